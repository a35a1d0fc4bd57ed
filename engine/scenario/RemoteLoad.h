// RemoteLoad: a scenario's load sent by other processes — load agents, on this machine or on
// others — instead of this process's LoadEngine. ScenarioRunner hands it the whole plan before
// the first phase (the agents run every phase on their own clocks from one common start time,
// so no message has to cross the network at a phase boundary), then reads each phase's
// figures from it once the phase is over. The implementation (agents/AgentCoordinator.h)
// lives above this folder: the runner only knows this interface, and `perflab run --agents`
// gives it one through RunOptions.
#pragma once

#include "engine/load/LoadPlan.h"
#include "engine/load/LoadSnapshot.h"
#include "engine/report/RunReport.h"

#include <QCoroTask>
#include <QJsonArray>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace perflab::metrics {
class Sampler;
}

namespace perflab::scenario {

struct RemotePhase
{
    QString name;
    double durationS = 0;  // --scale applied
    load::LoadModel model; // the whole load; each agent sends its share of it
};

struct RemotePlan
{
    QString targetUrl;   // as the agents reach it
    QJsonArray requests; // the scenario's "requests", as written (agents parse it the same way)
    std::vector<load::RequestSpec> mix; // the same, parsed: the routes' names and order
    std::vector<RemotePhase> phases;
    int timeoutMs = 10'000; // per request
};

class RemoteLoad
{
public:
    virtual ~RemoteLoad() = default;

    // Hands out the plan and waits for the agents; resolves at the common start instant, when
    // the first phase begins (or with the reason nothing started). `say` reports progress.
    virtual QCoro::Task<std::optional<QString>> start(RemotePlan plan,
                                                      std::function<void(const QString &)> say) = 0;
    // When phase `index` starts and ends by the plan, ms since the epoch.
    virtual qint64 phaseStartMs(int index) const = 0;
    virtual qint64 phaseEndMs(int index) const = 0;
    // Ends the run now on every agent (a cancelled run): the current phase ends here.
    virtual void cancel() = 0;
    // Resolves once every agent still alive has reported the whole of phase `index` (or has
    // been given up on: it is then reported lost). Call in phase order, after its planned end.
    virtual QCoro::Task<> finishPhase(int index) = 0;
    // Phase `index` exactly: the merge of every agent's figures, and each agent's own.
    virtual load::LoadSnapshot phaseStats(int index) const = 0;
    virtual std::vector<report::AgentReport> phaseAgents(int index) const = 0;
    // Every agent's figures so far, merged (live views, the per-second latency intervals).
    virtual load::LoadSnapshot snapshot() const = 0;
    // The live time series of the merged load (the columns of load/LoadMetrics.h).
    virtual metrics::Sampler &sampler() = 0;
    // The run is over (called once, after the last phase's finishPhase): stops reading the
    // agents' reports and sampling the merge, so nothing polls Redis or ticks until the object
    // is destroyed. Every figure above stays readable.
    virtual void stop() = 0;
    // Problems in words (lost agents, malformed messages), and whether an agent was lost.
    virtual QStringList problems() const = 0;
    virtual bool agentLost() const = 0;
};

} // namespace perflab::scenario

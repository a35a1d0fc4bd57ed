// AgentCoordinator: the side of `perflab run --agents` that hands a scenario's load to N load
// agents (LoadAgent.h) through Redis and merges what they report — ScenarioRunner's
// RemoteLoad.
//
// start() publishes the plan, waits for N agents to join (the first N; later ones are told the
// run started without them), publishes the start message with a common start time one second
// ahead, and reads the agents' interval reports from then on. Each report is checked
// (IntervalMessage.h) and added to the phase it belongs to, both to the merge and to its
// agent's own figures: the merged histograms are the sum of the agents' histograms, bucket for
// bucket, so the merge has the same counts and percentiles as one histogram of every sample.
// The same reports feed a registry and a Sampler with the load engine's columns, so the live
// charts and the progress line read a distributed run as they read a local one.
//
// An agent that sends nothing for `lostAfter` (2 s: twenty report intervals) while its run is
// going is lost: reported in words with its share, from the phase it was in; its figures up to
// then stay in the merge. A phase is finished when every agent still alive has sent its last
// report of the phase, or `lostAfter` past the phase's planned end plus the agents' drain time
// (2 s), whichever comes first. A malformed report is rejected and reported (the first few in
// full, then counted), never trusted in part.
#pragma once

#include "engine/load/LoadMetrics.h"
#include "engine/metrics/Registry.h"
#include "engine/metrics/Sampler.h"
#include "engine/redis/RedisUrl.h"
#include "engine/scenario/RemoteLoad.h"

#include <QObject>

#include <chrono>
#include <memory>
#include <vector>

namespace perflab::redis {
class RedisConnection;
}

namespace perflab::agents {

struct IntervalMessage;

struct AgentCoordinatorOptions
{
    redis::RedisUrl redis;
    int agentCount = 1;
    std::chrono::milliseconds joinTimeout{60'000};
    std::chrono::milliseconds lostAfter{2'000};
    std::chrono::milliseconds startDelay{1'000}; // between the start message and the start
};

class AgentCoordinator final : public QObject, public scenario::RemoteLoad
{
    Q_OBJECT
public:
    explicit AgentCoordinator(AgentCoordinatorOptions options, QObject *parent = nullptr);
    // The report reader, if still going, is brought to its end first.
    ~AgentCoordinator() override;

    QCoro::Task<std::optional<QString>> start(scenario::RemotePlan plan,
                                              std::function<void(const QString &)> say) override;
    qint64 phaseStartMs(int index) const override;
    qint64 phaseEndMs(int index) const override;
    void cancel() override;
    QCoro::Task<> finishPhase(int index) override;
    load::LoadSnapshot phaseStats(int index) const override;
    std::vector<report::AgentReport> phaseAgents(int index) const override;
    load::LoadSnapshot snapshot() const override;
    metrics::Sampler &sampler() override { return *m_sampler; }
    QStringList problems() const override { return m_problems; }
    bool agentLost() const override;

    // Ends the report reader and the sampler (after the run; also done by the destructor).
    void stop() override;

    QString runId() const { return m_runId; }

private:
    struct AgentState;
    struct PhaseState;

    QCoro::Task<> readReports();
    void absorb(const IntervalMessage &message);
    void recordLive(const IntervalMessage &message);
    void checkForLostAgents(bool phaseOverdue, int phase);
    void markLost(AgentState &agent, const QString &why);
    void problem(const QString &text);
    void say(const QString &line) const;

    AgentCoordinatorOptions m_options;
    std::unique_ptr<redis::RedisConnection> m_commands;
    std::unique_ptr<redis::RedisConnection> m_reader;
    metrics::Registry m_registry;
    load::LoadFamilies m_families = load::LoadFamilies::registerIn(m_registry);
    std::unique_ptr<metrics::Sampler> m_sampler;
    std::function<void(const QString &)> m_say;
    QString m_runId;
    scenario::RemotePlan m_plan;
    std::vector<QString> m_routeNames;
    std::vector<AgentState> m_agents;
    std::vector<PhaseState> m_phases;
    qint64 m_startAtMs = 0;
    qint64 m_cancelledAtMs = 0; // 0: not cancelled
    QStringList m_problems;
    int m_malformed = 0;
    bool m_reading = false; // the reader coroutine has not ended
    bool m_stopReading = false;
};

} // namespace perflab::agents

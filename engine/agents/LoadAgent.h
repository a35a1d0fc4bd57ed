// LoadAgent: `perflab agent` — a load generator that waits in Redis for distributed runs and
// sends its share of each (AgentKeys.h has the keys, AgentPlanJson.h the plan,
// IntervalMessage.h the reports).
//
// The life of one run: the agent sees a plan appear (or finds the newest one still taking
// agents when it starts), checks it, asks to join, and waits for the start message; when it
// is one of the agents picked, it starts its own LoadEngine on its share of the first phase's
// load at the common start time, switches models at the plan's phase boundaries (on its own
// clock, counted from the start time), and every 100 ms sends the interval's figures. Its
// intervals are cut at each phase boundary, so a phase's figures never mix with the next's.
// A stop message ends the run early. Then it waits for the next plan; it runs one at a time.
//
// Clocks: the start time is wall-clock time (ms since the epoch), so the agents' clocks must
// agree (NTP keeps machines within a few ms; a skewed agent starts and switches phases that
// much off, which its interval times show). After the start only its monotonic clock counts.
#pragma once

#include "engine/agents/AgentPlanJson.h"
#include "engine/load/LoadSnapshot.h"
#include "engine/redis/RedisUrl.h"

#include <QCoroTask>
#include <QObject>

#include <functional>
#include <memory>
#include <stop_token>

namespace perflab::redis {
class RedisConnection;
}

namespace perflab::agents {

struct LoadAgentOptions
{
    redis::RedisUrl redis;
    QString name;                             // unique among the agents of a run
    int threads = 1;                          // client threads of its LoadEngine
    std::function<void(const QString &)> say; // one line per event; may be empty
};

class LoadAgent final : public QObject
{
    Q_OBJECT
public:
    explicit LoadAgent(LoadAgentOptions options, QObject *parent = nullptr);
    ~LoadAgent() override;

    // Serves runs until `stop` is requested (a run going on ends at once, as a stop message would
    // end it). Resumes on this thread.
    QCoro::Task<> serve(std::stop_token stop);
    int runsDone() const { return m_runsDone; }
    // What its engine recorded over the whole of its last run (cumulative, every phase): the
    // figures its reports carried, counted on its own side.
    const load::LoadSnapshot &lastRunTotals() const { return m_lastRunTotals; }

private:
    // A plan entry: checked, joined and, when picked, run.
    QCoro::Task<> consider(QByteArray entryId, QByteArray planBytes, std::stop_token stop);
    QCoro::Task<> execute(const AgentPlan &plan, int index, int count, qint64 startAtMs,
                          QByteArray controlAfter, std::stop_token stop);
    QCoro::Task<> watchControl(QString runId, QByteArray after, std::shared_ptr<std::stop_source> stop,
                               std::shared_ptr<bool> watching);
    void say(const QString &line) const;

    LoadAgentOptions m_options;
    std::unique_ptr<redis::RedisConnection> m_commands; // appends and short reads
    std::unique_ptr<redis::RedisConnection> m_reader;   // blocking reads of the plans and of a run's start
    std::unique_ptr<redis::RedisConnection> m_control;  // blocking reads of a running run's control stream
    QString m_lastProblem;
    int m_runsDone = 0;
    load::LoadSnapshot m_lastRunTotals;
};

} // namespace perflab::agents

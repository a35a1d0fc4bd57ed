// KneeFinder: one capacity search as one object — what `perflab knee` drives. It starts the
// embedded lab (a LabServer on a free loopback port with the given settings, as a scenario
// run does) or addresses an external target, then runs open-loop steps of rising rate on the
// load engine (LoadEngine) and asks KneeRule after each step what comes next.
//
// A step: the engine's open-loop model is set to the step's rate; the first warmupS of the
// step are not measured (the queue and connections of the previous rate settle, new
// connections open); the rest is measured as the difference of two LoadSnapshots. Rising
// steps follow one another on the same engine (its connections stay open). A step KneeRule
// marks fromIdle (the first, and each refinement: these come after an overloaded step) runs
// on a new engine once the old one is stopped, its requests in flight given up to 5 s: the
// backlog of an overloaded step would otherwise be measured as the next step's latency.
//
// KneeSearch::concurrencySweep runs closed-loop steps instead (SweepPlan: 1, 2, 4 ... clients,
// added to the running engine), judged for errors only, and fits the Universal Scalability
// Law to their throughputs at the end (UslFit).
//
// Runtime failures (failed()): the lab does not start, the engine cannot start, or the first
// step gets no response at all (nothing answers at the target). cancel() ends the search at
// once; finished() then reports the steps measured so far, with stoppedBecause Interrupted.
#pragma once

#include "engine/knee/KneeResult.h"
#include "engine/load/LoadEngine.h"

#include <QCoroTask>
#include <QJsonObject>
#include <QObject>

#include <functional>
#include <memory>
#include <stop_token>

namespace perflab::lab {
class LabServer;
}

namespace perflab::knee {

struct KneeTarget
{
    QString url;             // an http:// URL; empty: an embedded lab
    QJsonObject labSettings; // the embedded lab's start-up settings, a partial document over the defaults
    QString dataDir;         // the embedded lab's data folder ("" = the user's data folder)
};

struct KneeOptions
{
    KneeTarget target;
    std::vector<load::RequestSpec> requests; // the request mix (valid, as LoadEngine needs it)
    KneeSearch search;
    std::function<void(const QString &)> progress; // start-up and step lines; may be empty
};

class KneeFinder final : public QObject
{
    Q_OBJECT
public:
    explicit KneeFinder(KneeOptions options, QObject *parent = nullptr);
    ~KneeFinder() override; // cancels and waits for the search to end

    void start(); // from the event loop; ends with finished() or failed()
    void cancel();
    bool isCancelled() const { return m_cancelled; }
    const KneeResult &result() const { return m_result; }

Q_SIGNALS:
    void stepFinished(int index); // result().steps[index] is measured and judged
    void finished();
    void failed(const QString &message);

private:
    QCoro::Task<> execute();
    QString startTarget();
    std::optional<QString> startStep(const KneeMove &move);
    void stopEverything(std::chrono::milliseconds grace); // the engine's requests in flight get `grace`
    void fail(const QString &message);
    void say(const QString &line) const;

    KneeOptions m_options;
    KneeResult m_result;
    load::HttpTarget m_target;
    std::unique_ptr<lab::LabServer> m_lab;
    std::unique_ptr<load::LoadEngine> m_engine;
    std::stop_source m_stop;
    bool m_cancelled = false;
    bool m_running = false;
};

} // namespace perflab::knee

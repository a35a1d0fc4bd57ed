// ScenarioRunner: one scenario run as one QObject; callers only connect to its signals (phases,
// load changes, finished, failed) — what `perflab run` and the
// desktop app's load controls drive. It starts the embedded lab server (or addresses an
// external target), applies the scenario's settings, then runs the phases one after another on
// one LoadEngine: each phase applies its settings through the same settings API the GUI uses
// (the embedded SettingsStore, or PATCH /admin/settings on an external perflab), takes a
// LoadSnapshot at its start and its end and keeps the difference as its statistics. At the end
// it checks the thresholds on the whole run, judges the scenario's claims (ClaimEvaluator.h)
// and hands out a report::RunReport.
//
// Decisions (the scenario format leaves them open):
//  - Thresholds are checked on the whole run (every phase merged), as k6 does: a scenario
//    whose phases contrast a slow and a fast way would otherwise always fail its slow phase.
//  - --scale multiplies phase durations and, for a stages load, the stages' durations, so a
//    ramp keeps its shape at any scale. A stages load restarts at each phase.
//  - A phase's load model changes the engine's model at the phase start; otherwise the
//    scenario's model keeps running across the boundary (no reconnect, no pause).
//  - The load may change while a phase runs (changeRate(), changeConnections(): the window's
//    slider, `perflab run --control-port`). The phase's statistics split there as at a phase
//    boundary: the part before keeps the phase's name, the rest is a segment of its own, named
//    after the new load ("cache on @ 600 req/s", "cache on @ 80 connections"), with its own
//    model and the same settings; a "load_changed" event (the old and the new model) marks the
//    instant on every chart. The phase still ends at its planned time. A change lasts until the
//    phase ends: the next phase starts with the load the scenario gives it, so a segment name
//    without "@" always means the scenario's load.
//    A claim naming a phase reads all its segments merged (the phase is what the scenario names,
//    its settings held throughout; a change made in its first second would otherwise leave the
//    claim a handful of requests). Thresholds read the whole run, as before.
//    A rate on a stages load ends the ramp: the rate then holds (a ramp cannot resume from a
//    rate it did not reach). A closed loop takes connections only, an open one a rate or
//    connections; a stages load no connections (its ramp would restart). A cluster target
//    refuses changes: its per-instance figures are read only at phase boundaries.
//  - Cancelling ends the current phase at once (its statistics cover the time it ran, and it
//    is marked interrupted), skips the rest and still produces the report. Claims that read
//    the interrupted or skipped phases are "not evaluated", not failed: the run's failure is
//    the interruption itself (`perflab run` exits 3), and half a phase proves nothing.
//  - RunOptions::sharedLab (the desktop window's lab) is used instead of starting one: the
//    scenario's settings are patched onto it like a phase's, and when the run ends the fields
//    the scenario and its phases set get back the values they had before (a field the user
//    changed while the run went, and the scenario does not set, stays). It is not stopped.
//  - A cluster target starts a LocalCluster with the scenario's settings as every instance's
//    start-up settings, then runs like an external target on its balancer (the phases' settings
//    go through it to one instance and reach the others through Redis); it is stopped after.
//  - RunOptions::sharedCluster (the window's lab as instance 1 of a cluster): the settings are
//    patched on the shared lab as above and reach the other members through Redis; the load
//    goes through the balancer, and each phase starts once every member holds its live fields.
//  - An external target that is not a perflab (PATCH /admin/settings fails) can run scenarios
//    without settings; with settings the run fails (exit 3), since the phases would not differ.
//    A perflab target that requires an admin token gets RunOptions::adminToken as a Bearer
//    token; a 401 fails the run saying so.
//  - RunOptions::remoteLoad (a run on load agents): the runner hands the agents the whole plan
//    before the first phase, once the scenario's and the first phase's settings hold; the
//    agents switch phases on their own clocks from a common start time and cut their reports
//    there, so each phase's figures are exact. The next phase's settings are applied once every
//    agent has reported the end of the phase before, a few hundred ms into the new phase.
//  - Settings in the report (each phase's, the events) have database.url's password masked
//    (SettingsSecrets.h): a report is a file that gets passed around.
#pragma once

#include "engine/load/LoadEngine.h"
#include "engine/report/RunReport.h"
#include "engine/scenario/IntervalHistograms.h"
#include "engine/scenario/RemoteLoad.h"
#include "engine/scenario/Scenario.h"

#include <QCoroTask>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>
#include <stop_token>

class QNetworkAccessManager;

namespace perflab::lab {
class LabServer;
}
namespace perflab::cluster {
class LocalCluster;
struct MemberFigures;
} // namespace perflab::cluster

namespace perflab::scenario {

class StaleReadProber;
class JobProber;

struct RunOptions
{
    QString targetOverride;              // --target: an http:// URL instead of the scenario's target
    QString adminToken;                  // sent with PATCH /admin/settings to an external target ("" = none)
    double scale = 1.0;                  // --scale
    int loadThreads = 1;                 // client threads of the load engine
    int serverThreads = 0;               // embedded server's threads (0: its default)
    QString dataDir;                     // embedded server's data folder ("" = the user's data folder)
    lab::LabServer *sharedLab = nullptr; // a running lab to use as the embedded target (outlives the run)
    // The cluster whose instance 1 is sharedLab (the window's lab run as a cluster), or null:
    // the embedded target's load then goes through its balancer (outlives the run).
    cluster::LocalCluster *sharedCluster = nullptr;
    QString perflabProgram; // what a cluster target's instances run; "": this program
    // The load sent by agents instead of this process (outlives the run), or null.
    RemoteLoad *remoteLoad = nullptr;
    std::function<void(const QString &)> progress; // start-up and phase lines; may be empty
};

class ScenarioRunner final : public QObject
{
    Q_OBJECT
public:
    ScenarioRunner(Scenario scenario, RunOptions options, QObject *parent = nullptr);
    // A run still going is cancelled, and its coroutine brought to its end, first.
    ~ScenarioRunner() override;

    // Starts the run on this thread's event loop; finished() or failed() follows.
    void start();
    // Ends the current phase now and skips the rest (the report is still produced).
    void cancel();

    // Why a live load change was refused.
    struct LoadChangeRefusal
    {
        bool noPhaseRunning = false; // the value may be fine: there is no phase to apply it to now
        QString field;               // "rate" or "connections" when the value was refused
        QString message;
    };
    // The highest open-loop rate a live change may ask for (the window's rate control's bound).
    static constexpr double kMaxLiveRate = 1'000'000;
    static constexpr int kMaxLiveConnections = 10'000;
    // The load of the running phase, as a live change sees it.
    struct LiveLoad
    {
        int phaseIndex = -1; // in the scenario
        QString phase;       // the scenario phase's name
        QString segment;     // the report phase the statistics go to now (the phase's name before a change)
        load::LoadModel model;
    };
    // While a phase runs: its load now; empty between phases, before the load starts and after.
    std::optional<LiveLoad> currentLoad() const;
    // Change the open-loop rate (req/s) or the connections of the running phase now; see the
    // decisions above. Empty on success.
    std::optional<LoadChangeRefusal> changeRate(double requestsPerS);
    std::optional<LoadChangeRefusal> changeConnections(int connections);

    bool isCancelled() const { return m_cancelled; }
    const report::RunReport &report() const { return m_report; }
    // While running: the embedded lab (nullptr for an external target) and the load engine.
    lab::LabServer *labServer() const { return m_lab; }
    load::LoadEngine *loadEngine() const { return m_engine.get(); }
    // The load's figures so far, from the local engine or the agents (empty before the load starts).
    load::LoadSnapshot loadSnapshot() const;
    bool isLoadRunning() const;
    // The live time series of the load (the local engine's sampler, or the agents' merge); null
    // before the load exists.
    metrics::Sampler *liveLoadSampler();

Q_SIGNALS:
    void phaseStarted(int index, const QString &name, double durationS);
    void phaseFinished(int index, const QString &name);
    // The load changed while phase `index` ran: from `timestampMs` on, statistics go to the
    // segment `segmentName`; `label` says the change in words ("rate 200 → 600 req/s").
    void loadChanged(int index, qint64 timestampMs, const QString &segmentName, const QString &label);
    void finished(); // report() is complete
    // The run could not go on (target unreachable, settings refused, load not started): a
    // runtime failure; bad input is caught before, when the scenario is parsed.
    void failed(const QString &message);

private:
    QCoro::Task<> execute();
    // Returns an error text, or "" on success.
    QString startTarget(load::HttpTarget &target);
    QString startCluster(const ClusterTarget &wanted);
    // A cluster's members take a change made through the balancer within a poll of their shared
    // settings: the phase starts once every member holds it (or says why not).
    QCoro::Task<std::optional<QString>> waitForMembersToHold(QJsonObject patch);
    // Every member's counters now (a member that does not answer: answered = false).
    QCoro::Task<std::vector<cluster::MemberFigures>> scrapeMembers();
    QCoro::Task<std::optional<QString>> applySettings(const QJsonObject &patch, QJsonObject &effective);
    void finishReport(qint64 finishedMs);
    metrics::Sampler &loadSampler();
    RemotePlan remotePlan() const;
    void evaluateThresholds();
    void stopTarget();
    void say(const QString &line) const;
    void fail(const QString &message);
    // Live load changes: the phase opens them before its sleep; after it, splitAtLoadChanges()
    // turns the phase's report into its segments (pushing all but the last into the report) and
    // leaves `current` at the load the engine runs, so the next phase sets its own.
    void openLoadControl(int phaseIndex, const QString &phaseName, const load::LoadModel &model);
    std::optional<LoadChangeRefusal> applyLoadChange(const load::LoadModel &wanted,
                                                     const QString &segmentLabel, const QString &changeLabel);
    void splitAtLoadChanges(report::PhaseReport &phaseReport, const load::LoadSnapshot &atStart,
                            const load::LoadSnapshot &atEnd, load::LoadModel &current);

    Scenario m_scenario;
    RunOptions m_options;
    report::RunReport m_report;
    std::unique_ptr<lab::LabServer> m_ownedLab;       // started by the run (no sharedLab)
    std::unique_ptr<cluster::LocalCluster> m_cluster; // a cluster target, started by the run
    cluster::LocalCluster *m_members = nullptr;       // m_cluster or the shared one: null without a cluster
    std::unique_ptr<StaleReadProber> m_prober;        // the scenario's stale_read_probe, if any
    std::unique_ptr<JobProber> m_jobProber;           // the scenario's job_probe, if any
    lab::LabServer *m_lab = nullptr;                  // m_ownedLab or the shared one
    QJsonObject m_sharedSettingsBefore; // the shared lab's values of the fields the scenario sets
    std::unique_ptr<load::LoadEngine> m_engine;
    std::unique_ptr<IntervalHistograms> m_intervals;  // latency.hlog's per-second histograms
    std::unique_ptr<QNetworkAccessManager> m_network; // external target's settings API
    load::HttpTarget m_target;
    std::stop_source m_stop;
    bool m_cancelled = false;
    bool m_running = false; // the run's coroutine has not ended yet
    bool m_external = false;
    bool m_loadStarted = false;                        // the local engine or the agents started sending
    std::vector<metrics::TimeSeriesEvent> m_runEvents; // phase boundaries
    // The running phase's live load changes, each where a new segment begins.
    struct LoadSplit
    {
        load::LoadSnapshot at;
        load::LoadModel model;
        QString name;
        std::uint64_t probeReads = 0; // the stale-read probe's counts at the split
        std::uint64_t staleReads = 0;
    };
    struct LivePhase
    {
        bool open = false;
        int index = -1;
        QString name;
        load::LoadModel model; // the load now
        std::vector<LoadSplit> splits;
    } m_live;
};

} // namespace perflab::scenario

// RunController: the one owner of a run in the desktop window. It holds the ScenarioRunner
// and hands out what a run produces as typed, immutable results through signals, in this
// order for every run:
//   runningChanged(true) → started → clientSamplerStarted (as the first phase begins) →
//   (phaseStarted, loadChanged, clientSample ×10/s, snapshotAvailable ×4/s)… → claimsEvaluated →
//   finished (the report) or failed → runningChanged(false).
// The load panel, the charts, the tables and the window only connect to it; none of them
// reaches into the runner, its load engine or its sampler.
//
// A run's objects live on the GUI thread (the runner's coroutine and the load engine's
// sampler), so every signal is emitted there.
#pragma once

#include "ui/run/AgentsChoice.h"

#include "engine/load/LoadSnapshot.h"
#include "engine/metrics/Sample.h"
#include "engine/report/RunReport.h"
#include "engine/scenario/Scenario.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>
#include <optional>
#include <vector>

namespace perflab::lab {
class LabServer;
}
namespace perflab::cluster {
class LocalCluster;
}
namespace perflab::scenario {
class ScenarioRunner;
}

namespace perflab::ui {

class RunController final : public QObject
{
    Q_OBJECT
public:
    explicit RunController(QObject *parent = nullptr);
    // A run still going is cancelled; its signals no longer reach anyone.
    ~RunController() override;

    // The lab runs go against (the window's own); null: none can start.
    void setLab(lab::LabServer *lab);
    bool hasLab() const;
    // The cluster whose instance 1 is the lab (null: the lab alone): runs go through its
    // balancer (scenario::RunOptions::sharedCluster).
    void setCluster(cluster::LocalCluster *cluster);
    bool isRunning() const { return m_runner != nullptr; }
    // Runs from now on send their load from these agents (nullopt: from the window itself).
    void setAgents(std::optional<AgentsChoice> agents) { m_agents = std::move(agents); }
    const std::optional<AgentsChoice> &agents() const { return m_agents; }
    QString scenarioId() const { return m_scenarioId; }

    // Starts `scenario` on the lab at `scale` (as `perflab run --scale`); `scenarioId` names
    // the report folder. False when a run is going or there is no lab.
    bool start(scenario::Scenario scenario, double scale, const QString &scenarioId);
    // Ends the current phase now and skips the rest; the report still follows.
    void stop();
    // The generator's cumulative figures now, for a reader that wants them at its own pace
    // (the live latency chart of one route, at each client row); empty when no load runs.
    std::optional<load::LoadSnapshot> currentSnapshot() const;
    // While a phase runs: its load now (the scenario's, or the last live change); else empty.
    std::optional<load::LoadModel> currentLoad() const;
    // Changes the running phase's open-loop rate (req/s) or its connections now: the phase's
    // statistics split there and loadChanged() follows (scenario::ScenarioRunner::changeRate).
    // The reason in words when refused (no phase runs, a value out of range, the wrong model).
    std::optional<QString> changeRate(double requestsPerS);
    std::optional<QString> changeConnections(int connections);

Q_SIGNALS:
    void labChanged(bool hasLab);
    void runningChanged(bool running);
    void started(const QString &scenarioId, double totalS, int phaseCount);
    void phaseStarted(int index, const QString &name, double durationS);
    // The load changed live in phase `index`: statistics go to `segmentName` from `timestampMs`
    // on; `label` says the change ("rate 200 req/s → 600 req/s").
    void loadChanged(int index, qint64 timestampMs, const QString &segmentName, const QString &label);
    // The run's client side (the load engine's sampler) begins: its columns, then its rows.
    void clientSamplerStarted(const perflab::metrics::SampleSchema &schema);
    void clientSample(const perflab::metrics::Sample &sample);
    // The generator's cumulative figures since the run began, 4 times a second.
    void snapshotAvailable(std::shared_ptr<const perflab::load::LoadSnapshot> snapshot, double elapsedS);
    // The scenario's claims as the finished run judged them (just before finished()).
    void claimsEvaluated(std::shared_ptr<const std::vector<perflab::report::ClaimResult>> claims);
    void finished(std::shared_ptr<const perflab::report::RunReport> report, const QString &scenarioId,
                  bool cancelled);
    void failed(const QString &message);
    // A line about the run's progress for the status bar ("waiting for 3 agents", "agent 'a2' joined").
    void progressLine(const QString &line);

private:
    void onPhaseStarted(int index, const QString &name, double durationS);
    void publishSnapshot();
    void endRun();

    QPointer<lab::LabServer> m_lab;
    QPointer<cluster::LocalCluster> m_cluster;
    std::unique_ptr<scenario::ScenarioRunner> m_runner;
    QString m_scenarioId;
    std::optional<AgentsChoice> m_agents;
    QElapsedTimer m_clock;
    QTimer m_snapshotTimer;
};

} // namespace perflab::ui

// RunController: see RunController.h.
#include "ui/run/RunController.h"

#include "engine/agents/AgentCoordinator.h"
#include "engine/cluster/LocalCluster.h"
#include "engine/lab/AdminToken.h"
#include "engine/lab/LabServer.h"
#include "engine/load/LoadEngine.h"
#include "engine/redis/RedisUrl.h"
#include "engine/scenario/ScenarioRunner.h"

namespace perflab::ui {

RunController::RunController(QObject *parent) : QObject(parent)
{
    m_snapshotTimer.setInterval(250);
    connect(&m_snapshotTimer, &QTimer::timeout, this, &RunController::publishSnapshot);
}

RunController::~RunController()
{
    // ~ScenarioRunner cancels the run and lets its coroutine end through the event loop:
    // what it emits then must not reach this half-destroyed controller.
    if (m_runner)
        disconnect(m_runner.get(), nullptr, this, nullptr);
}

bool RunController::hasLab() const
{
    return m_lab != nullptr;
}

void RunController::setLab(lab::LabServer *lab)
{
    m_lab = lab;
    Q_EMIT labChanged(lab != nullptr);
}

void RunController::setCluster(cluster::LocalCluster *cluster)
{
    m_cluster = cluster;
}

bool RunController::start(scenario::Scenario scenario, double scale, const QString &scenarioId)
{
    if (m_runner || !m_lab)
        return false;
    double totalS = 0;
    for (const scenario::Phase &phase : scenario.phases)
        totalS += phase.durationS * scale;
    const int phaseCount = int(scenario.phases.size());
    scenario::RunOptions options;
    options.sharedLab = m_lab;
    options.sharedCluster = m_cluster;
    // A scenario file may name an external target; a perflab there that requires its admin
    // token gets the one `perflab run` would take from the environment.
    if (const QString token = qEnvironmentVariable("PERFLAB_ADMIN_TOKEN"); lab::isWellFormedAdminToken(token))
        options.adminToken = token;
    options.scale = scale;
    options.loadThreads = 1;
    m_scenarioId = scenarioId;
    options.progress = [this](const QString &line) { Q_EMIT progressLine(line); };
    std::unique_ptr<agents::AgentCoordinator> coordinator;
    if (m_agents) {
        agents::AgentCoordinatorOptions agentOptions;
        agentOptions.redis = *redis::parseRedisUrl(m_agents->redisUrl).url;
        agentOptions.agentCount = m_agents->count;
        coordinator = std::make_unique<agents::AgentCoordinator>(agentOptions);
        options.remoteLoad = coordinator.get();
    }
    m_runner = std::make_unique<scenario::ScenarioRunner>(std::move(scenario), options);
    // The runner uses the coordinator until its own destructor has ended: its child goes after.
    if (coordinator)
        coordinator.release()->setParent(m_runner.get());
    connect(m_runner.get(), &scenario::ScenarioRunner::phaseStarted, this, &RunController::onPhaseStarted);
    connect(m_runner.get(), &scenario::ScenarioRunner::loadChanged, this, &RunController::loadChanged);
    connect(m_runner.get(), &scenario::ScenarioRunner::finished, this, [this] {
        auto report = std::make_shared<const report::RunReport>(m_runner->report());
        const bool cancelled = m_runner->isCancelled();
        endRun();
        Q_EMIT claimsEvaluated(std::make_shared<const std::vector<report::ClaimResult>>(report->claims));
        // The report first: a window closing after the run waits for what this starts.
        Q_EMIT finished(std::move(report), m_scenarioId, cancelled);
        Q_EMIT runningChanged(false);
    });
    connect(m_runner.get(), &scenario::ScenarioRunner::failed, this, [this](const QString &message) {
        endRun();
        Q_EMIT failed(message);
        Q_EMIT runningChanged(false);
    });
    m_clock.start();
    Q_EMIT runningChanged(true);
    Q_EMIT started(m_scenarioId, totalS, phaseCount);
    m_runner->start();
    return true;
}

void RunController::stop()
{
    if (m_runner)
        m_runner->cancel();
}

std::optional<load::LoadSnapshot> RunController::currentSnapshot() const
{
    if (!m_runner || !m_runner->isLoadRunning())
        return std::nullopt;
    return m_runner->loadSnapshot();
}

std::optional<load::LoadModel> RunController::currentLoad() const
{
    if (!m_runner)
        return std::nullopt;
    if (auto live = m_runner->currentLoad())
        return live->model;
    return std::nullopt;
}

std::optional<QString> RunController::changeRate(double requestsPerS)
{
    if (!m_runner)
        return QStringLiteral("no run is going");
    if (auto refusal = m_runner->changeRate(requestsPerS))
        return refusal->message;
    return std::nullopt;
}

std::optional<QString> RunController::changeConnections(int connections)
{
    if (!m_runner)
        return QStringLiteral("no run is going");
    if (auto refusal = m_runner->changeConnections(connections))
        return refusal->message;
    return std::nullopt;
}

void RunController::publishSnapshot()
{
    if (auto snapshot = currentSnapshot())
        Q_EMIT snapshotAvailable(std::make_shared<const load::LoadSnapshot>(std::move(*snapshot)),
                                 double(m_clock.elapsed()) / 1000.0);
}

void RunController::onPhaseStarted(int index, const QString &name, double durationS)
{
    // The load engine exists from the first phase on; its sampler lives on this thread.
    if (index == 0 && m_runner && m_runner->liveLoadSampler()) {
        metrics::Sampler &client = *m_runner->liveLoadSampler();
        Q_EMIT clientSamplerStarted(client.schema());
        connect(&client, &metrics::Sampler::sampled, this, &RunController::clientSample);
        m_snapshotTimer.start();
    }
    Q_EMIT phaseStarted(index, name, durationS);
}

void RunController::endRun()
{
    m_snapshotTimer.stop();
    if (m_runner && m_runner->liveLoadSampler())
        disconnect(m_runner->liveLoadSampler(), nullptr, this, nullptr);
    // The runner emitted from inside its own coroutine: it goes once that has returned.
    m_runner.release()->deleteLater();
}

} // namespace perflab::ui

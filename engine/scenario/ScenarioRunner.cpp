// See ScenarioRunner.h.
#include "engine/scenario/ScenarioRunner.h"

#include "engine/cluster/LocalCluster.h"

#include "engine/async/Cancellation.h"
#include "engine/async/Sleep.h"
#include "engine/lab/LabServer.h"
#include "engine/net/MaskedUrl.h"
#include "engine/report/EnvironmentProbe.h"
#include "engine/report/JsonReport.h"
#include "engine/report/ReportStats.h"
#include "engine/scenario/ClaimEvaluator.h"
#include "engine/scenario/JobProber.h"
#include "engine/scenario/StaleReadProber.h"
#include "engine/settings/LabSettings.h"
#include "engine/settings/SettingsFields.h"
#include "engine/settings/SettingsSecrets.h"

#include <QCoreApplication>
#include <QCoroNetworkReply>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QStandardPaths>

#include <cmath>

namespace perflab::scenario {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// The fields of a settings patch that a cluster's members share (those a running lab applies).
QJsonObject liveFieldsOf(const QJsonObject &patch)
{
    QJsonObject live;
    for (auto section = patch.begin(); section != patch.end(); ++section) {
        const QJsonObject fields = section.value().toObject();
        QJsonObject kept;
        for (auto field = fields.begin(); field != fields.end(); ++field) {
            const settings::SettingField *known = settings::findSettingField(section.key(), field.key());
            if (known && known->effect == settings::FieldEffect::Live)
                kept.insert(field.key(), field.value());
        }
        if (!kept.isEmpty())
            live.insert(section.key(), kept);
    }
    return live;
}

bool sameModel(const load::LoadModel &a, const load::LoadModel &b)
{
    if (a.kind != b.kind || a.connections != b.connections || a.thinkMs != b.thinkMs || a.rate != b.rate ||
        a.stages.size() != b.stages.size())
        return false;
    for (std::size_t i = 0; i < a.stages.size(); ++i)
        if (a.stages[i].durationS != b.stages[i].durationS || a.stages[i].rate != b.stages[i].rate)
            return false;
    return true;
}

load::LoadModel scaled(load::LoadModel model, double scale)
{
    for (load::Stage &stage : model.stages)
        stage.durationS *= scale;
    return model;
}

// The values `settings` holds for every field the patches name, as one partial document: what
// undoes those patches (and only them: a change the user made to another field while the run
// went on stays).
QJsonObject valuesOfPatchedFields(const QJsonObject &settings, const std::vector<QJsonObject> &patches)
{
    QJsonObject restore;
    for (const QJsonObject &patch : patches) {
        for (auto section = patch.begin(); section != patch.end(); ++section) {
            const QJsonObject was = settings.value(section.key()).toObject();
            QJsonObject fields = restore.value(section.key()).toObject();
            const QJsonObject named = section.value().toObject();
            for (auto field = named.begin(); field != named.end(); ++field)
                fields.insert(field.key(), was.value(field.key()));
            restore.insert(section.key(), fields);
        }
    }
    return restore;
}

// The scenario file as the report quotes it: its settings and each phase's with secrets masked.
QJsonObject withSecretsMaskedInScenario(QJsonObject document)
{
    const QString settingsKey = QStringLiteral("settings");
    if (document.value(settingsKey).isObject())
        document.insert(settingsKey, settings::withSecretsMasked(document.value(settingsKey).toObject()));
    QJsonArray phases = document.value(QStringLiteral("phases")).toArray();
    for (QJsonValueRef phase : phases) {
        QJsonObject object = phase.toObject();
        if (object.value(settingsKey).isObject())
            object.insert(settingsKey, settings::withSecretsMasked(object.value(settingsKey).toObject()));
        phase = object;
    }
    if (document.contains(QStringLiteral("phases")))
        document.insert(QStringLiteral("phases"), phases);
    return document;
}

std::vector<metrics::Sample> samplesBetween(const metrics::TimeSeriesStore &store, qint64 fromMs, qint64 toMs)
{
    std::vector<metrics::Sample> kept;
    for (metrics::Sample &sample : store.samplesSince(fromMs))
        if (sample.timestampMs <= toMs + 1000) // the sample that closes the last interval
            kept.push_back(std::move(sample));
    return kept;
}

} // namespace

ScenarioRunner::ScenarioRunner(Scenario scenario, RunOptions options, QObject *parent)
    : QObject(parent), m_scenario(std::move(scenario)), m_options(std::move(options))
{
}

ScenarioRunner::~ScenarioRunner()
{
    cancel();
    // The run's coroutine resumes through this thread's event loop; let it reach its end
    // before the members it uses go away.
    while (m_running)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
}

void ScenarioRunner::start()
{
    m_running = true;
    execute(); // eager and detached: it frees itself when it ends (m_running tells)
}

void ScenarioRunner::cancel()
{
    if (!m_running || m_cancelled)
        return;
    m_cancelled = true;
    m_stop.request_stop();
}

void ScenarioRunner::say(const QString &line) const
{
    if (m_options.progress)
        m_options.progress(line);
}

load::LoadSnapshot ScenarioRunner::loadSnapshot() const
{
    if (m_options.remoteLoad)
        return m_loadStarted ? m_options.remoteLoad->snapshot() : load::LoadSnapshot{};
    return m_engine ? m_engine->snapshot() : load::LoadSnapshot{};
}

bool ScenarioRunner::isLoadRunning() const
{
    if (m_options.remoteLoad)
        return m_loadStarted && m_running;
    return m_engine && m_engine->isRunning();
}

metrics::Sampler *ScenarioRunner::liveLoadSampler()
{
    if (m_options.remoteLoad)
        return &m_options.remoteLoad->sampler();
    return m_engine ? &m_engine->sampler() : nullptr;
}

metrics::Sampler &ScenarioRunner::loadSampler()
{
    return m_options.remoteLoad ? m_options.remoteLoad->sampler() : m_engine->sampler();
}

RemotePlan ScenarioRunner::remotePlan() const
{
    RemotePlan plan;
    plan.targetUrl = m_target.url();
    plan.requests = m_scenario.document.value(QStringLiteral("requests")).toArray();
    plan.mix = m_scenario.requests;
    for (const Phase &phase : m_scenario.phases)
        plan.phases.push_back({phase.name, phase.durationS * m_options.scale,
                               scaled(phase.load.value_or(m_scenario.load), m_options.scale)});
    return plan;
}

void ScenarioRunner::fail(const QString &message)
{
    if (m_engine)
        m_engine->stop();
    stopTarget();
    m_running = false;
    Q_EMIT failed(message);
}

void ScenarioRunner::stopTarget()
{
    m_members = nullptr;
    if (m_cluster) {
        m_cluster->stop();
        m_cluster.reset();
    }
    if (m_ownedLab) {
        m_ownedLab->httpServer().stop();
    } else if (m_lab && !m_sharedSettingsBefore.isEmpty()) {
        // The fields the scenario set back to what they were (values the lab held, so they
        // cannot be refused); only those that differ now, so the charts' marker says what changed.
        const QJsonObject patch =
            settings::changedFields(m_lab->settings().current()->toJson(), m_sharedSettingsBefore);
        if (!patch.isEmpty())
            m_lab->settings().patch(patch);
        m_sharedSettingsBefore = {};
    }
}

QString ScenarioRunner::startCluster(const ClusterTarget &wanted)
{
    const QString folder =
        (m_options.dataDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                                     : QDir(m_options.dataDir).absolutePath()) +
        QStringLiteral("/cluster");
    QDir().mkpath(folder);
    // The scenario's settings are every instance's start-up settings (dataset size, pool...).
    const QString settingsFile = folder + QStringLiteral("/scenario-settings.json");
    QFile file(settingsFile);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QStringLiteral("cluster: cannot write %1: %2").arg(settingsFile, file.errorString());
    file.write(QJsonDocument(m_scenario.settings).toJson());
    file.close();
    cluster::ClusterConfig config;
    config.instances = wanted.instances;
    config.threads = m_options.serverThreads;
    config.folder = folder;
    config.settingsFile = settingsFile;
    config.databaseUrl = wanted.databaseUrl;
    config.redisUrl = wanted.redisUrl;
    config.program = m_options.perflabProgram.isEmpty() ? QCoreApplication::applicationFilePath()
                                                        : m_options.perflabProgram;
    config.progress = m_options.progress;
    m_cluster = std::make_unique<cluster::LocalCluster>(config);
    if (auto error = m_cluster->start([this] { return m_cancelled; })) {
        m_cluster.reset();
        return QStringLiteral("cluster: %1").arg(*error);
    }
    m_members = m_cluster.get();
    return {};
}

QString ScenarioRunner::startTarget(load::HttpTarget &target)
{
    QString wanted = m_options.targetOverride.isEmpty() ? m_scenario.target : m_options.targetOverride;
    if (wanted == QLatin1String("cluster") && m_scenario.cluster) {
        if (const QString error = startCluster(*m_scenario.cluster); !error.isEmpty())
            return error;
        wanted = m_cluster->url();
    }
    m_external = wanted != QLatin1String("embedded");
    if (m_external) {
        auto parsed = load::HttpTarget::parse(wanted);
        if (auto *error = std::get_if<QString>(&parsed))
            return QStringLiteral("target '%1': %2").arg(net::maskedUrl(wanted), *error);
        target = std::get<load::HttpTarget>(parsed);
        m_network = std::make_unique<QNetworkAccessManager>();
        m_report.target = m_cluster ? QStringLiteral("cluster of %1 instances behind nginx (%2)")
                                          .arg(m_cluster->config().instances)
                                          .arg(target.url())
                                    : target.url();
        return {};
    }
    if (m_options.sharedLab) {
        m_lab = m_options.sharedLab;
        std::vector<QJsonObject> patches{m_scenario.settings};
        for (const Phase &phase : m_scenario.phases)
            patches.push_back(phase.settings);
        m_sharedSettingsBefore = valuesOfPatchedFields(m_lab->settings().current()->toJson(), patches);
        if (!m_scenario.settings.isEmpty()) {
            auto result = m_lab->settings().patch(m_scenario.settings);
            if (auto *error = std::get_if<settings::SettingsError>(&result))
                return QStringLiteral("settings: %1").arg(error->message());
        }
        if (cluster::LocalCluster *shared = m_options.sharedCluster) {
            m_members = shared;
            m_network = std::make_unique<QNetworkAccessManager>(); // the members' settings and counters
            target = std::get<load::HttpTarget>(load::HttpTarget::parse(shared->url()));
            m_report.target =
                QStringLiteral("cluster of %1 instances behind nginx (%2), instance 1 the window's lab")
                    .arg(shared->instanceUrls().size())
                    .arg(shared->url());
            return {};
        }
        target = std::get<load::HttpTarget>(load::HttpTarget::parse(m_lab->url()));
        m_report.target = QStringLiteral("embedded (%1)").arg(m_lab->url());
        return {};
    }
    lab::LabServerConfig config;
    config.server.port = 0; // a free loopback port: runs never collide with a `perflab serve`
    config.server.threads = m_options.serverThreads;
    config.dataDir = m_options.dataDir;
    config.progress = m_options.progress;
    // The scenario's own settings are the lab's start-up settings (dataset size, pool...).
    auto initial = settings::applyPatch(settings::LabSettings(), m_scenario.settings);
    if (auto *error = std::get_if<settings::SettingsError>(&initial))
        return QStringLiteral("settings: %1").arg(error->message());
    config.settings = std::get<settings::LabSettings>(initial);
    m_ownedLab = std::make_unique<lab::LabServer>(config);
    m_lab = m_ownedLab.get();
    if (auto error = m_lab->start())
        return QStringLiteral("embedded lab server: %1").arg(error->message);
    auto parsed = load::HttpTarget::parse(m_lab->url());
    target = std::get<load::HttpTarget>(parsed);
    m_report.target = QStringLiteral("embedded (%1)").arg(m_lab->url());
    return {};
}

QCoro::Task<std::optional<QString>> ScenarioRunner::applySettings(const QJsonObject &patch,
                                                                  QJsonObject &effective)
{
    if (m_lab) {
        if (!patch.isEmpty()) {
            auto result = m_lab->settings().patch(patch);
            if (auto *error = std::get_if<settings::SettingsError>(&result))
                co_return QStringLiteral("settings: %1").arg(error->message());
        }
        effective = settings::withSecretsMasked(m_lab->settings().current()->toJson());
        co_return std::nullopt;
    }
    if (patch.isEmpty())
        co_return std::nullopt; // an external target's settings are not ours to read
    QNetworkRequest request(QUrl(m_target.url() + QStringLiteral("/admin/settings")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    // The token is for this target alone: a redirect elsewhere must not carry it along.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    if (!m_options.adminToken.isEmpty())
        request.setRawHeader(QByteArrayLiteral("Authorization"), "Bearer " + m_options.adminToken.toLatin1());
    QNetworkReply *reply =
        m_network->sendCustomRequest(request, "PATCH", QJsonDocument(patch).toJson(QJsonDocument::Compact));
    const bool done = co_await qCoro(reply).waitForFinished(std::chrono::seconds{10});
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (done && status == 401 && m_options.adminToken.isEmpty())
        co_return QStringLiteral("target %1 requires its admin token for PATCH /admin/settings: pass it with "
                                 "--admin-token or PERFLAB_ADMIN_TOKEN")
            .arg(m_target.url());
    if (done && status == 401)
        co_return QStringLiteral("target %1 refused the admin token (PATCH /admin/settings answered 401)")
            .arg(m_target.url());
    if (!done || status != 200) {
        const QString why = !done         ? QStringLiteral("no answer within 10 s")
                            : status == 0 ? reply->errorString()
                                          : QStringLiteral("answered %1: %2")
                                                .arg(status)
                                                .arg(QString::fromUtf8(reply->readAll().left(300)));
        co_return QStringLiteral("target %1 does not take the phase's settings (PATCH /admin/settings %2); "
                                 "a scenario with settings needs a perflab target")
            .arg(m_target.url(), why);
    }
    effective = settings::withSecretsMasked(QJsonDocument::fromJson(reply->readAll()).object());
    co_return std::nullopt;
}

QCoro::Task<std::optional<QString>> ScenarioRunner::waitForMembersToHold(QJsonObject wanted)
{
    // Members share only the live fields; the others are each one's own from its start.
    const QJsonObject patch = liveFieldsOf(wanted);
    const QDeadlineTimer deadline(std::chrono::seconds(10));
    for (const QString &member : m_members->instanceUrls()) {
        while (true) {
            QNetworkRequest request(QUrl(member + QStringLiteral("/admin/settings")));
            // Members inherit PERFLAB_ADMIN_TOKEN from this process, and then ask for it even on loopback.
            if (!m_options.adminToken.isEmpty())
                request.setRawHeader(QByteArrayLiteral("Authorization"),
                                     "Bearer " + m_options.adminToken.toLatin1());
            QNetworkReply *reply = m_network->get(request);
            const bool done = co_await qCoro(reply).waitForFinished(std::chrono::seconds{5});
            reply->deleteLater();
            const QJsonObject held =
                done ? QJsonDocument::fromJson(reply->readAll()).object() : QJsonObject();
            if (!held.isEmpty() && settings::changedFields(held, patch).isEmpty())
                break;
            if (deadline.hasExpired())
                co_return QStringLiteral("cluster member %1 did not take the phase's settings within 10 s")
                    .arg(member);
            co_await async::sleep(std::chrono::milliseconds(50));
        }
    }
    co_return std::nullopt;
}

QCoro::Task<std::vector<cluster::MemberFigures>> ScenarioRunner::scrapeMembers()
{
    std::vector<cluster::MemberFigures> members;
    const QStringList urls = m_members->instanceUrls();
    for (qsizetype i = 0; i < urls.size(); ++i) {
        QNetworkReply *reply = m_network->get(QNetworkRequest(QUrl(urls[i] + QStringLiteral("/metrics"))));
        const bool done = co_await qCoro(reply).waitForFinished(std::chrono::seconds{2});
        reply->deleteLater();
        cluster::MemberFigures figures;
        if (done && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200)
            figures = cluster::MemberFigures::fromPrometheusText(reply->readAll());
        if (figures.instance.isEmpty())
            figures.instance = QString::number(i + 1); // the cluster names its members 1..N
        members.push_back(figures);
    }
    co_return members;
}

QCoro::Task<> ScenarioRunner::execute()
{
    m_report.scenarioName = m_scenario.name;
    m_report.description = m_scenario.description;
    m_report.scenario = withSecretsMaskedInScenario(m_scenario.document);
    m_report.scale = m_options.scale;

    if (const QString error = startTarget(m_target); !error.isEmpty()) {
        fail(error);
        co_return;
    }
    if (m_external && !m_scenario.settings.isEmpty()) {
        QJsonObject ignored;
        if (auto error = co_await applySettings(m_scenario.settings, ignored)) {
            fail(*error);
            co_return;
        }
    }
    if (m_members && !m_external && !m_scenario.settings.isEmpty()) {
        // Patched on the window's lab (instance 1): the load starts once the others hold it too.
        if (auto error = co_await waitForMembersToHold(m_scenario.settings)) {
            fail(*error);
            co_return;
        }
    }

    load::LoadOptions loadOptions;
    loadOptions.threads = std::max(1, m_options.loadThreads);
    RemoteLoad *const remote = m_options.remoteLoad;
    if (remote)
        m_intervals = std::make_unique<IntervalHistograms>([remote] { return remote->snapshot(); });
    else
        m_engine = std::make_unique<load::LoadEngine>(m_target, m_scenario.requests, loadOptions);
    if (!remote)
        m_intervals =
            std::make_unique<IntervalHistograms>([engine = m_engine.get()] { return engine->snapshot(); });
    load::LoadModel current;
    m_report.startedMs = nowMs();

    for (std::size_t index = 0; index < m_scenario.phases.size() && !m_cancelled; ++index) {
        const Phase &phase = m_scenario.phases[index];
        report::PhaseReport phaseReport;
        phaseReport.name = phase.name;
        phaseReport.settingsPatch = settings::withSecretsMasked(phase.settings);
        if (auto error = co_await applySettings(phase.settings, phaseReport.settings)) {
            fail(*error);
            co_return;
        }
        if (m_members && !phase.settings.isEmpty()) {
            if (auto error = co_await waitForMembersToHold(phase.settings)) {
                fail(*error);
                co_return;
            }
        }
        const load::LoadModel model = scaled(phase.load.value_or(m_scenario.load), m_options.scale);
        // The load starts once the first phase's settings hold, so no request of the first
        // phase runs under the settings of none.
        if (index == 0 && remote) {
            auto starting = remote->start(remotePlan(), m_options.progress);
            if (auto error = co_await std::move(starting)) {
                fail(*error);
                co_return;
            }
        }
        if (index == 0) {
            if (!remote) {
                if (auto error = m_engine->start(model)) {
                    fail(QStringLiteral("load: %1").arg(*error));
                    co_return;
                }
            }
            m_loadStarted = true;
            if (m_scenario.staleReadProbe) {
                m_prober = std::make_unique<StaleReadProber>(*m_scenario.staleReadProbe, m_target.url());
                m_prober->start();
            }
            if (m_scenario.jobProbe) {
                m_jobProber = std::make_unique<JobProber>(*m_scenario.jobProbe, m_target.url());
                m_jobProber->start();
            }
        } else if (!remote && (!sameModel(model, current) || model.kind == load::LoadModelKind::Stages)) {
            m_engine->setModel(model);
        }
        current = model;
        phaseReport.model = model;
        const double durationS = phase.durationS * m_options.scale;
        std::vector<cluster::MemberFigures> membersAtStart;
        if (m_members)
            membersAtStart = co_await scrapeMembers();
        const load::LoadSnapshot atStart = loadSnapshot();
        phaseReport.startMs = remote ? remote->phaseStartMs(int(index)) : atStart.timestampMs;
        m_intervals->startPhase(phase.name, atStart);
        if (m_jobProber)
            m_jobProber->setPhase(
                int(m_report.phases.size())); // its place in the report: live load changes split phases
        if (!phase.killInstance.isEmpty() && m_members) {
            // As a crash or a pulled plug: no draining, jobs in its hands are left unacknowledged.
            if (m_members->killInstance(phase.killInstance)) {
                say(QStringLiteral("instance %1 killed (SIGKILL)").arg(phase.killInstance));
                m_runEvents.push_back({nowMs(), QStringLiteral("instance_killed"),
                                       QJsonObject{{QStringLiteral("instance"), phase.killInstance}}});
            } else {
                say(QStringLiteral(
                        "instance %1 not killed: it has no process of its own (the window's lab) or is gone")
                        .arg(phase.killInstance));
            }
        }
        const std::uint64_t probeReadsAtStart = m_prober ? m_prober->reads() : 0;
        const std::uint64_t staleAtStart = m_prober ? m_prober->staleReads() : 0;
        m_runEvents.push_back({phaseReport.startMs, QStringLiteral("phase"),
                               QJsonObject{{QStringLiteral("name"), phase.name},
                                           {QStringLiteral("settings"), phaseReport.settingsPatch}}});
        say(QStringLiteral("phase %1/%2 '%3': %4 s")
                .arg(index + 1)
                .arg(m_scenario.phases.size())
                .arg(phase.name)
                .arg(durationS));
        openLoadControl(int(index), phase.name, model);
        Q_EMIT phaseStarted(int(index), phase.name, durationS);
        // On agents the phase ends at its planned instant, which their clocks keep too.
        const qint64 sleepMs = remote ? std::max<qint64>(0, remote->phaseEndMs(int(index)) - nowMs())
                                      : qint64(std::llround(durationS * 1000));
        try {
            co_await async::sleep(std::chrono::milliseconds(sleepMs), m_stop.get_token());
        } catch (const async::Cancelled &) {
            // cancel(): the phase ends here, with what it measured so far
            if (remote)
                remote->cancel();
        }
        if (remote) {
            auto finishing = remote->finishPhase(int(index));
            co_await std::move(finishing);
        }
        const load::LoadSnapshot atEnd = loadSnapshot();
        phaseReport.endMs = remote ? remote->phaseEndMs(int(index)) : atEnd.timestampMs;
        if (m_members) {
            const std::vector<cluster::MemberFigures> membersAtEnd = co_await scrapeMembers();
            for (std::size_t m = 0; m < membersAtEnd.size() && m < membersAtStart.size(); ++m)
                phaseReport.members.push_back(
                    cluster::MemberFigures::between(membersAtEnd[m], membersAtStart[m]));
        }
        if (remote) {
            phaseReport.stats = remote->phaseStats(int(index));
            phaseReport.agents = remote->phaseAgents(int(index));
        } else {
            phaseReport.stats = load::LoadSnapshot::between(atEnd, atStart);
        }
        if (m_prober) {
            phaseReport.probeReads = m_prober->reads() - probeReadsAtStart;
            phaseReport.staleReads = m_prober->staleReads() - staleAtStart;
        }
        splitAtLoadChanges(phaseReport, atStart, atEnd, current);
        if (m_cancelled) {
            phaseReport.name += QStringLiteral(" (interrupted)");
            phaseReport.interrupted = true;
        }
        m_intervals->finishPhase(phaseReport.name, atEnd);
        m_report.phases.push_back(std::move(phaseReport));
        Q_EMIT phaseFinished(int(index), phase.name);
    }

    loadSampler().sampleNow(); // the last interval, up to the last phase's end
    if (m_prober)
        co_await m_prober->stop();
    if (m_engine)
        m_engine->stop();
    if (remote) {
        remote->stop();
        m_report.agentProblems = remote->problems();
        m_report.agentLost = remote->agentLost();
    }
    if (m_jobProber) {
        co_await m_jobProber->stopEnqueueing();
        say(QStringLiteral("waiting for the probe's %1 jobs to end (%2 s at most)")
                .arg(m_jobProber->total().accepted)
                .arg(m_scenario.jobProbe->settleS));
        co_await m_jobProber->settle(m_stop.get_token());
        for (std::size_t i = 0; i < m_report.phases.size(); ++i) {
            const JobProbeCounts counts = m_jobProber->countsOfPhase(int(i));
            report::PhaseReport &phase = m_report.phases[i];
            phase.jobsAccepted = counts.accepted;
            phase.jobsCompleted = counts.completed;
            phase.jobsFailed = counts.failed;
            phase.jobsRefused = counts.refused;
        }
    }
    finishReport(nowMs());
    stopTarget();
    m_running = false;
    Q_EMIT finished();
}

// ---- Live load changes -------------------------------------------------------------------

namespace {

QString rateText(double requestsPerS)
{
    return QStringLiteral("%1 req/s").arg(QString::number(requestsPerS, 'g', 7));
}

QString connectionsText(int connections)
{
    return connections == 1 ? QStringLiteral("1 connection")
                            : QStringLiteral("%1 connections").arg(connections);
}

QString loadText(const load::LoadModel &model)
{
    switch (model.kind) {
    case load::LoadModelKind::Closed:
        return QStringLiteral("closed, %1").arg(connectionsText(model.connections));
    case load::LoadModelKind::Open:
        return QStringLiteral("open, %1").arg(rateText(model.rate));
    case load::LoadModelKind::Stages:
        return QStringLiteral("stages");
    }
    return {};
}

} // namespace

std::optional<ScenarioRunner::LiveLoad> ScenarioRunner::currentLoad() const
{
    if (!m_live.open || m_cancelled)
        return std::nullopt;
    return LiveLoad{m_live.index, m_live.name,
                    m_live.splits.empty() ? m_live.name : m_live.splits.back().name, m_live.model};
}

void ScenarioRunner::openLoadControl(int phaseIndex, const QString &phaseName, const load::LoadModel &model)
{
    m_live = LivePhase{true, phaseIndex, phaseName, model, {}};
}

std::optional<ScenarioRunner::LoadChangeRefusal> ScenarioRunner::changeRate(double requestsPerS)
{
    const QString field = QStringLiteral("rate");
    if (!std::isfinite(requestsPerS) || requestsPerS <= 0 || requestsPerS > kMaxLiveRate)
        return LoadChangeRefusal{false, field,
                                 QStringLiteral("rate: expected requests per second > 0 and <= %1, got %2")
                                     .arg(kMaxLiveRate, 0, 'f', 0)
                                     .arg(requestsPerS)};
    if (m_live.open && m_live.model.kind == load::LoadModelKind::Closed)
        return LoadChangeRefusal{
            false, field,
            QStringLiteral("rate: this phase runs a closed loop (%1), which has no rate; "
                           "change its connections instead")
                .arg(connectionsText(m_live.model.connections))};
    load::LoadModel wanted = m_live.model;
    const bool wasStages = wanted.kind == load::LoadModelKind::Stages;
    wanted.kind = load::LoadModelKind::Open; // a ramp ends here: the new rate holds
    wanted.stages.clear();
    wanted.rate = requestsPerS;
    const QString from = wasStages ? QStringLiteral("stages") : rateText(m_live.model.rate);
    return applyLoadChange(wanted, rateText(requestsPerS),
                           QStringLiteral("rate %1 → %2").arg(from, rateText(requestsPerS)));
}

std::optional<ScenarioRunner::LoadChangeRefusal> ScenarioRunner::changeConnections(int connections)
{
    const QString field = QStringLiteral("connections");
    if (connections < 1 || connections > kMaxLiveConnections)
        return LoadChangeRefusal{false, field,
                                 QStringLiteral("connections: expected an integer 1..%1, got %2")
                                     .arg(kMaxLiveConnections)
                                     .arg(connections)};
    if (m_live.open && m_live.model.kind == load::LoadModelKind::Stages)
        return LoadChangeRefusal{
            false, field,
            QStringLiteral("connections: this phase runs a stages ramp, which a new model would "
                           "restart; set a rate first (the ramp then ends at it)")};
    load::LoadModel wanted = m_live.model;
    wanted.connections = connections;
    return applyLoadChange(
        wanted, connectionsText(connections),
        QStringLiteral("connections %1 → %2").arg(m_live.model.connections).arg(connections));
}

std::optional<ScenarioRunner::LoadChangeRefusal>
ScenarioRunner::applyLoadChange(const load::LoadModel &wanted, const QString &segmentLabel,
                                const QString &changeLabel)
{
    if (m_options.remoteLoad && m_live.open && !m_cancelled)
        return LoadChangeRefusal{
            false,
            {},
            QStringLiteral("the load of a run on agents cannot change while it runs: the agents "
                           "follow the plan they were given at the start")};
    if (!m_live.open || !m_engine || !m_engine->isRunning() || m_cancelled)
        return LoadChangeRefusal{true, {}, QStringLiteral("no phase is running")};
    if (m_members)
        return LoadChangeRefusal{
            false,
            {},
            QStringLiteral("the load of a run on a cluster cannot change while it runs: its "
                           "per-instance figures are read at phase boundaries only")};
    // Segment names are report keys (tables, latency.hlog tags, compare): never two alike.
    const QString base = QStringLiteral("%1 @ %2").arg(m_live.name, segmentLabel);
    auto taken = [this](const QString &name) {
        for (const Phase &phase : m_scenario.phases)
            if (phase.name == name)
                return true;
        for (const report::PhaseReport &phase : m_report.phases)
            if (phase.name == name)
                return true;
        for (const LoadSplit &split : m_live.splits)
            if (split.name == name)
                return true;
        return false;
    };
    QString name = base;
    for (int n = 2; taken(name); ++n)
        name = QStringLiteral("%1 (%2)").arg(base).arg(n);

    const QString endingName = m_live.splits.empty() ? m_live.name : m_live.splits.back().name;
    LoadSplit split{m_engine->snapshot(), wanted, name, m_prober ? m_prober->reads() : 0,
                    m_prober ? m_prober->staleReads() : 0};
    // The same instant ends one segment and begins the next, as a phase boundary: a request in
    // flight counts in the segment in which it completes.
    m_intervals->finishPhase(endingName, split.at);
    m_engine->setModel(wanted);
    m_intervals->startPhase(name, split.at);
    const qint64 atMs = split.at.timestampMs;
    m_runEvents.push_back({atMs, QStringLiteral("load_changed"),
                           QJsonObject{{QStringLiteral("phase"), m_live.name},
                                       {QStringLiteral("segment"), name},
                                       {QStringLiteral("change"), changeLabel},
                                       {QStringLiteral("from"), report::modelJson(m_live.model)},
                                       {QStringLiteral("to"), report::modelJson(wanted)}}});
    m_live.model = wanted;
    m_live.splits.push_back(std::move(split));
    if (m_jobProber)
        m_jobProber->setPhase(int(m_report.phases.size() + m_live.splits.size()));
    say(QStringLiteral("load changed in phase '%1': %2 (now %3, segment '%4')")
            .arg(m_live.name, changeLabel, loadText(wanted), name));
    Q_EMIT loadChanged(m_live.index, atMs, name, changeLabel);
    return std::nullopt;
}

void ScenarioRunner::splitAtLoadChanges(report::PhaseReport &phaseReport, const load::LoadSnapshot &atStart,
                                        const load::LoadSnapshot &atEnd, load::LoadModel &current)
{
    LivePhase live = std::move(m_live);
    m_live = LivePhase{};
    phaseReport.phaseIndex = live.index;
    if (live.splits.empty())
        return;
    current = live.model; // what the engine runs now: the next phase compares its own with it
    // The probe's counts at the phase's start, from its counts now and the phase's total.
    const std::uint64_t readsAtStart = (m_prober ? m_prober->reads() : 0) - phaseReport.probeReads;
    const std::uint64_t staleAtStart = (m_prober ? m_prober->staleReads() : 0) - phaseReport.staleReads;
    const std::uint64_t readsAtEnd = readsAtStart + phaseReport.probeReads;
    const std::uint64_t staleAtEnd = staleAtStart + phaseReport.staleReads;
    const report::PhaseReport whole = phaseReport;
    for (std::size_t k = 0; k <= live.splits.size(); ++k) {
        const bool last = k == live.splits.size();
        const load::LoadSnapshot &from = k == 0 ? atStart : live.splits[k - 1].at;
        const load::LoadSnapshot &to = last ? atEnd : live.splits[k].at;
        report::PhaseReport segment = whole;
        segment.segmentOf = whole.name;
        segment.name = k == 0 ? whole.name : live.splits[k - 1].name;
        segment.model = k == 0 ? whole.model : live.splits[k - 1].model;
        segment.startMs = from.timestampMs;
        segment.endMs = to.timestampMs;
        segment.stats = load::LoadSnapshot::between(to, from);
        if (m_prober) {
            segment.probeReads = (last ? readsAtEnd : live.splits[k].probeReads) -
                                 (k == 0 ? readsAtStart : live.splits[k - 1].probeReads);
            segment.staleReads = (last ? staleAtEnd : live.splits[k].staleReads) -
                                 (k == 0 ? staleAtStart : live.splits[k - 1].staleReads);
        }
        if (last)
            phaseReport = std::move(segment); // the caller finishes it like a whole phase
        else
            m_report.phases.push_back(std::move(segment));
    }
}

void ScenarioRunner::finishReport(qint64 finishedMs)
{
    m_report.finishedMs = finishedMs;
    const auto clientStore = loadSampler().store();
    m_report.client.columns = clientStore->schema().columns();
    m_report.client.samples = samplesBetween(*clientStore, m_report.startedMs, finishedMs);
    std::vector<metrics::TimeSeriesEvent> events = m_runEvents;
    if (m_lab) {
        m_lab->sampler().sampleNow(); // close the server's last interval too
        const auto serverStore = m_lab->sampler().store();
        m_report.server.columns = serverStore->schema().columns();
        m_report.server.samples = samplesBetween(*serverStore, m_report.startedMs, finishedMs);
        for (const metrics::TimeSeriesEvent &event : serverStore->events())
            if (event.timestampMs >= m_report.startedMs && event.timestampMs <= finishedMs)
                events.push_back(event);
    }
    std::stable_sort(events.begin(), events.end(),
                     [](const auto &a, const auto &b) { return a.timestampMs < b.timestampMs; });
    m_report.events = std::move(events);
    m_report.intervals = m_intervals->take();
    m_report.environment =
        report::collectEnvironment(m_lab ? m_lab->threadCount() : 0, std::max(1, m_options.loadThreads));
    evaluateThresholds();
    m_report.claims = evaluateClaims(m_scenario, m_report);
}

void ScenarioRunner::evaluateThresholds()
{
    load::RouteStats all;
    all.route = QStringLiteral("all");
    double durationS = 0;
    for (const report::PhaseReport &phase : m_report.phases) {
        all.add(phase.stats.total());
        durationS += double(phase.endMs - phase.startMs) / 1000.0;
    }
    const Thresholds &limits = m_scenario.thresholds;
    auto check = [&](const char *name, const std::optional<double> &limit, double actual, bool upperBound) {
        if (!limit)
            return;
        report::ThresholdResult result;
        result.name = QLatin1String(name);
        result.limit = *limit;
        result.actual = actual;
        result.passed = upperBound ? actual <= *limit : actual >= *limit;
        m_report.thresholds.push_back(result);
    };
    // The report's own figures, so a threshold's "actual" is the number its tables show.
    const report::LatencySummaryMs latency = report::summarizeLatency(all.corrected);
    check("p50_ms", limits.p50Ms, latency.p50, true);
    check("p90_ms", limits.p90Ms, latency.p90, true);
    check("p99_ms", limits.p99Ms, latency.p99, true);
    check("p999_ms", limits.p999Ms, latency.p999, true);
    check("max_ms", limits.maxMs, latency.max, true);
    check("error_rate", limits.errorRate, report::errorRate(all), true);
    check("min_rps", limits.minRequestsPerS, durationS > 0 ? double(all.responses) / durationS : 0.0, false);
}

} // namespace perflab::scenario

// See KneeFinder.h.
#include "engine/knee/KneeFinder.h"

#include "engine/async/Cancellation.h"
#include "engine/async/Sleep.h"
#include "engine/knee/KneeText.h"
#include "engine/knee/StepMeasurement.h"
#include "engine/knee/SweepPlan.h"
#include "engine/lab/LabServer.h"
#include "engine/net/MaskedUrl.h"
#include "engine/report/EnvironmentProbe.h"
#include "engine/settings/LabSettings.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>

#include <cmath>

namespace perflab::knee {

namespace {

// How long a stopped engine waits for its requests in flight before a step from idle: long
// enough for a queue the size of the connection pool to drain at any service time a knee
// search can measure, short enough not to stall the search on a server that never answers.
constexpr std::chrono::milliseconds kDrainGrace{5000};

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

std::chrono::milliseconds milliseconds(double seconds)
{
    return std::chrono::milliseconds(std::llround(seconds * 1000));
}

} // namespace

KneeFinder::KneeFinder(KneeOptions options, QObject *parent) : QObject(parent), m_options(std::move(options))
{
    m_result.search = m_options.search;
    for (const load::RequestSpec &request : m_options.requests)
        m_result.routes.append(request.name());
}

KneeFinder::~KneeFinder()
{
    cancel();
    // The search's coroutine resumes through this thread's event loop; let it reach its end
    // before the members it uses go away.
    while (m_running)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    stopEverything(std::chrono::milliseconds(0));
}

void KneeFinder::start()
{
    m_running = true;
    execute(); // eager and detached: it ends by itself (m_running tells)
}

void KneeFinder::cancel()
{
    if (!m_running || m_cancelled)
        return;
    m_cancelled = true;
    m_stop.request_stop();
}

void KneeFinder::say(const QString &line) const
{
    if (m_options.progress)
        m_options.progress(line);
}

void KneeFinder::stopEverything(std::chrono::milliseconds grace)
{
    if (m_engine) {
        m_engine->stop(grace);
        m_engine.reset();
    }
    if (m_lab) {
        m_lab->httpServer().stop();
        m_lab.reset();
    }
}

void KneeFinder::fail(const QString &message)
{
    stopEverything(std::chrono::milliseconds(0));
    m_running = false;
    Q_EMIT failed(message);
}

QString KneeFinder::startTarget()
{
    if (!m_options.target.url.isEmpty()) {
        auto parsed = load::HttpTarget::parse(m_options.target.url);
        if (auto *error = std::get_if<QString>(&parsed))
            return QStringLiteral("target '%1': %2").arg(net::maskedUrl(m_options.target.url), *error);
        m_target = std::get<load::HttpTarget>(parsed);
        m_result.url = m_target.url();
        return {};
    }
    lab::LabServerConfig config;
    config.server.port = 0; // a free loopback port: never collides with a `perflab serve`
    config.dataDir = m_options.target.dataDir;
    config.progress = m_options.progress;
    auto initial = settings::applyPatch(settings::LabSettings(), m_options.target.labSettings);
    if (auto *error = std::get_if<settings::SettingsError>(&initial))
        return QStringLiteral("settings: %1").arg(error->message());
    config.settings = std::get<settings::LabSettings>(initial);
    m_lab = std::make_unique<lab::LabServer>(config);
    if (auto error = m_lab->start())
        return QStringLiteral("embedded lab server: %1").arg(error->message);
    m_target = std::get<load::HttpTarget>(load::HttpTarget::parse(m_lab->url()));
    m_result.url = m_lab->url();
    m_result.embedded = true;
    return {};
}

std::optional<QString> KneeFinder::startStep(const KneeMove &move)
{
    load::LoadModel model;
    if (move.concurrency > 0) {
        model.kind = load::LoadModelKind::Closed;
        model.connections = move.concurrency;
    } else {
        model.kind = load::LoadModelKind::Open;
        model.rate = move.rateRps;
        model.connections = m_options.search.connections;
    }
    if (m_engine && !move.fromIdle) {
        m_engine->setModel(model);
        return std::nullopt;
    }
    if (m_engine) {
        m_engine->stop(kDrainGrace);
        m_engine.reset();
    }
    load::LoadOptions loadOptions;
    loadOptions.threads = std::max(1, m_options.search.threads);
    loadOptions.timeout = m_options.search.timeout;
    m_engine = std::make_unique<load::LoadEngine>(m_target, m_options.requests, loadOptions);
    if (auto error = m_engine->start(model))
        return QStringLiteral("load: %1").arg(*error);
    return std::nullopt;
}

QCoro::Task<> KneeFinder::execute()
{
    if (const QString error = startTarget(); !error.isEmpty()) {
        fail(error);
        co_return;
    }
    const KneeSearch &search = m_options.search;
    const std::chrono::milliseconds warmup = milliseconds(search.warmupS);
    const std::chrono::milliseconds measured = milliseconds(search.stepS - search.warmupS);
    m_result.startedMs = nowMs();
    while (!m_cancelled) {
        const KneeMove move = search.concurrencySweep ? nextSweepMove(m_result.steps, search.connections)
                                                      : nextMove(m_result.steps, search.bounds, search.plan);
        if (move.done) {
            m_result.stoppedBecause = move.stoppedBecause;
            m_result.capacityRps = move.capacityRps;
            m_result.capacityStep = move.capacityStep;
            m_result.kneeStep = move.kneeStep;
            break;
        }
        if (auto error = startStep(move)) {
            fail(*error);
            co_return;
        }
        const QString load = move.concurrency > 0 ? QStringLiteral("%1 clients").arg(move.concurrency)
                                                  : formatRate(move.rateRps) + QStringLiteral(" req/s");
        say(QStringLiteral("step %1 (%2): %3 for %4 s")
                .arg(m_result.steps.size() + 1)
                .arg(stepKindKey(move.kind), load)
                .arg(search.stepS));
        try {
            co_await async::sleep(warmup, m_stop.get_token());
            const load::LoadSnapshot from = m_engine->snapshot();
            QElapsedTimer clock;
            clock.start();
            co_await async::sleep(measured, m_stop.get_token());
            const load::LoadSnapshot to = m_engine->snapshot();
            KneeStep step =
                measureStep(move.kind, move.rateRps, from, to, double(clock.nsecsElapsed()) / 1e9);
            step.concurrency = move.concurrency;
            // A sweep has no rate to follow nor a latency to keep: only errors mark a step there.
            step.verdict =
                search.concurrencySweep
                    ? (step.errorShare > search.bounds.maxErrorShare ? KneeReason::Errors : KneeReason::None)
                    : judgeStep(step, search.bounds);
            m_result.steps.push_back(step);
        } catch (const async::Cancelled &) {
            break; // cancel(): the step in progress is dropped, half a step proves nothing
        }
        const KneeStep &step = m_result.steps.back();
        if (m_result.steps.size() == 1 && step.responses == 0) {
            fail(QStringLiteral(
                     "no response from %1 during the first step (%2 requests failed, none answered)")
                     .arg(net::maskedUrl(m_result.url))
                     .arg(step.requests));
            co_return;
        }
        Q_EMIT stepFinished(int(m_result.steps.size() - 1));
    }
    if (search.concurrencySweep) {
        std::vector<UslPoint> points;
        for (const KneeStep &step : m_result.steps)
            points.push_back({double(step.concurrency), step.achievedRps});
        m_result.usl = fitUsl(points);
    }
    if (m_cancelled && search.concurrencySweep) {
        const std::optional<std::size_t> highest = highestThroughput(m_result.steps);
        m_result.stoppedBecause = KneeReason::Interrupted;
        m_result.capacityStep = highest;
        m_result.capacityRps = highest ? m_result.steps[*highest].achievedRps : 0;
    } else if (m_cancelled) {
        // The rule did not end the search: what passed so far is a lower bound, no more.
        const KneeBracket bracket = bracketOf(m_result.steps, search.bounds);
        m_result.stoppedBecause = KneeReason::Interrupted;
        m_result.capacityStep = bracket.best;
        m_result.capacityRps = bracket.best ? m_result.steps[*bracket.best].offeredRps : 0;
        m_result.kneeStep = bracket.lowestFailed;
    }
    m_result.finishedMs = nowMs();
    m_result.environment =
        report::collectEnvironment(m_lab ? m_lab->threadCount() : 0, std::max(1, search.threads));
    // The requests of the last step finish before the lab stops: an overloaded step leaves
    // some waiting inside the lab (for a /limited permit, say), and a lab that stops under
    // them leaves their coroutines behind.
    stopEverything(kDrainGrace);
    m_running = false;
    Q_EMIT finished();
}

} // namespace perflab::knee

// See LoadAgent.h.
#include "engine/agents/LoadAgent.h"

#include "engine/agents/AgentKeys.h"
#include "engine/agents/AgentShare.h"
#include "engine/agents/IntervalMessage.h"
#include "engine/agents/RedisStreams.h"
#include "engine/async/Cancellation.h"
#include "engine/async/Sleep.h"
#include "engine/load/LoadEngine.h"
#include "engine/load/MonotonicClock.h"
#include "engine/redis/RedisConnection.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <stop_token>

namespace perflab::agents {

using namespace std::chrono_literals;

namespace {

constexpr std::chrono::milliseconds kInterval{100};
constexpr std::chrono::milliseconds kBlock{1000};
// How long an agent that joined waits for the run to start before it looks for another.
constexpr std::chrono::minutes kStartWait{15};

qint64 wallNowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

std::unique_ptr<redis::RedisConnection> connectionTo(const redis::RedisUrl &url,
                                                     std::chrono::milliseconds timeout)
{
    redis::RedisConnectionOptions options;
    options.url = url;
    options.commandTimeout = timeout;
    return std::make_unique<redis::RedisConnection>(options);
}

// Sleeps until `atNs` on the monotonic clock; false when `stop` cut it short.
QCoro::Task<bool> sleepUntilNs(std::int64_t atNs, std::stop_token stop)
{
    const std::int64_t leftNs = atNs - load::monotonicNowNs();
    try {
        auto sleeping =
            async::sleep(std::chrono::milliseconds(std::max<std::int64_t>(0, leftNs / 1'000'000)), stop);
        co_await std::move(sleeping);
    } catch (const async::Cancelled &) {
        co_return false;
    }
    co_return !stop.stop_requested();
}

} // namespace

LoadAgent::LoadAgent(LoadAgentOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_commands(connectionTo(m_options.redis, 2s)),
      m_reader(connectionTo(m_options.redis, kBlock + 2s)),
      m_control(connectionTo(m_options.redis, kBlock + 2s))
{
}

LoadAgent::~LoadAgent() = default;

void LoadAgent::say(const QString &line) const
{
    if (m_options.say)
        m_options.say(line);
}

QCoro::Task<> LoadAgent::serve(std::stop_token stop)
{
    // The newest plan may still be taking agents: an agent started after it was published
    // joins it. Older plans have started or were given up.
    QByteArray after;
    while (after.isEmpty() && !stop.stop_requested()) {
        auto looking = lastEntry(*m_commands, plansKey());
        const StreamRead last = co_await std::move(looking);
        if (!last.error.isEmpty()) {
            if (last.error != m_lastProblem)
                say(QStringLiteral("Redis: %1; retrying").arg(last.error));
            m_lastProblem = last.error;
            auto pausing = sleepUntilNs(load::monotonicNowNs() + 1'000'000'000, stop);
            co_await std::move(pausing);
            continue;
        }
        m_lastProblem.clear();
        say(QStringLiteral("waiting for runs on %1 as '%2'").arg(m_options.redis.address(), m_options.name));
        if (last.entries.empty()) {
            after = QByteArrayLiteral("0-0");
        } else {
            after = last.entries.front().id;
            auto considering =
                consider(after, last.entries.front().fields.value(QByteArrayLiteral("plan")), stop);
            co_await std::move(considering);
        }
    }
    while (!stop.stop_requested()) {
        auto reading = readAfter(*m_reader, plansKey(), after, kBlock, 10);
        const StreamRead read = co_await std::move(reading);
        if (!read.error.isEmpty()) {
            if (read.error != m_lastProblem)
                say(QStringLiteral("Redis: %1; retrying").arg(read.error));
            m_lastProblem = read.error;
            auto pausing = sleepUntilNs(load::monotonicNowNs() + 1'000'000'000, stop);
            co_await std::move(pausing);
            continue;
        }
        if (!m_lastProblem.isEmpty())
            say(QStringLiteral("Redis is back"));
        m_lastProblem.clear();
        for (const StreamEntry &entry : read.entries) {
            after = entry.id;
            if (stop.stop_requested())
                break;
            auto considering = consider(entry.id, entry.fields.value(QByteArrayLiteral("plan")), stop);
            co_await std::move(considering);
        }
    }
}

QCoro::Task<> LoadAgent::consider(QByteArray entryId, QByteArray planBytes, std::stop_token stop)
{
    auto parsed = parsePlanJson(planBytes);
    if (auto *error = std::get_if<QString>(&parsed)) {
        say(QStringLiteral("plan %1 rejected: %2").arg(QString::fromLatin1(entryId), *error));
        co_return;
    }
    const AgentPlan plan = std::get<AgentPlan>(std::move(parsed));
    const QByteArray stateKey = runKey(plan.runId, "state");
    auto asking = m_commands->command({QByteArrayLiteral("GET"), stateKey});
    const redis::RedisReply state = co_await std::move(asking);
    if (state.kind != redis::RedisReply::Kind::String || state.text != "joining")
        co_return; // started, given up, or expired: not ours to join
    auto joining = appendEntry(*m_commands, runKey(plan.runId, "joins"), QByteArrayLiteral("agent"),
                               m_options.name.toUtf8());
    if (const QString error = co_await std::move(joining); !error.isEmpty()) {
        say(QStringLiteral("run %1: could not join: %2").arg(plan.runId, error));
        co_return;
    }
    say(QStringLiteral("joined run %1 (%2 agents, %3 phases, target %4); waiting for its start")
            .arg(plan.runId)
            .arg(plan.agentCount)
            .arg(plan.plan.phases.size())
            .arg(plan.plan.targetUrl));
    const QDeadlineTimer deadline(kStartWait);
    QByteArray after = QByteArrayLiteral("0-0");
    while (!stop.stop_requested() && !deadline.hasExpired()) {
        auto reading = readAfter(*m_reader, runKey(plan.runId, "control"), after, kBlock, 10);
        const StreamRead read = co_await std::move(reading);
        if (!read.error.isEmpty()) {
            say(QStringLiteral("run %1: Redis: %2; retrying").arg(plan.runId, read.error));
            auto pausing = sleepUntilNs(load::monotonicNowNs() + 1'000'000'000, stop);
            co_await std::move(pausing);
            continue;
        }
        for (const StreamEntry &entry : read.entries) {
            after = entry.id;
            const QJsonObject message =
                QJsonDocument::fromJson(entry.fields.value(QByteArrayLiteral("message"))).object();
            const QString type = message.value(QStringLiteral("type")).toString();
            if (type == QLatin1String("stop"))
                co_return;
            if (type != QLatin1String("start"))
                continue;
            const QJsonArray agents = message.value(QStringLiteral("agents")).toArray();
            const double startAt = message.value(QStringLiteral("start_at_ms")).toDouble(-1);
            int index = -1;
            for (qsizetype i = 0; i < agents.size(); ++i)
                if (agents[i].toString() == m_options.name)
                    index = int(i);
            if (index < 0) {
                say(QStringLiteral("run %1 started with other agents").arg(plan.runId));
                co_return;
            }
            if (agents.size() > kMaxAgents || !(startAt > 0)) {
                say(QStringLiteral(
                        "run %1: start message rejected: expected \"agents\" (at most %2) and \"start_at_ms\"")
                        .arg(plan.runId)
                        .arg(kMaxAgents));
                co_return;
            }
            auto executing = execute(plan, index, int(agents.size()), qint64(startAt), after, stop);
            co_await std::move(executing);
            co_return;
        }
        if (read.entries.empty()) {
            auto asking = m_commands->command({QByteArrayLiteral("GET"), stateKey});
            const redis::RedisReply now = co_await std::move(asking);
            if (now.kind != redis::RedisReply::Kind::String ||
                (now.text != "joining" && now.text != "started")) {
                say(QStringLiteral("run %1 was given up before it started").arg(plan.runId));
                co_return;
            }
        }
    }
}

QCoro::Task<> LoadAgent::watchControl(QString runId, QByteArray after, std::shared_ptr<std::stop_source> stop,
                                      std::shared_ptr<bool> watching)
{
    while (*watching) {
        auto reading = readAfter(*m_control, runKey(runId, "control"), after, 500ms, 10);
        const StreamRead read = co_await std::move(reading);
        if (!*watching)
            break;
        if (!read.error.isEmpty()) {
            auto pausing = async::sleep(500ms);
            co_await std::move(pausing);
            continue;
        }
        for (const StreamEntry &entry : read.entries) {
            after = entry.id;
            const QJsonObject message =
                QJsonDocument::fromJson(entry.fields.value(QByteArrayLiteral("message"))).object();
            if (message.value(QStringLiteral("type")).toString() == QLatin1String("stop"))
                stop->request_stop();
        }
    }
}

QCoro::Task<> LoadAgent::execute(const AgentPlan &plan, int index, int count, qint64 startAtMs,
                                 QByteArray controlAfter, std::stop_token outerStop)
{
    const QByteArray intervalsKey = runKey(plan.runId, "intervals");
    load::LoadOptions loadOptions;
    loadOptions.threads = std::max(1, m_options.threads);
    loadOptions.timeout = std::chrono::milliseconds(plan.plan.timeoutMs);
    load::LoadEngine engine(std::get<load::HttpTarget>(load::HttpTarget::parse(plan.plan.targetUrl)),
                            plan.plan.mix, loadOptions);
    auto stop = std::make_shared<std::stop_source>();
    auto watching = std::make_shared<bool>(true);
    std::stop_callback forward(outerStop, [stop] { stop->request_stop(); });
    watchControl(plan.runId, controlAfter, stop, watching); // eager, ends when `watching` goes false

    std::uint64_t seq = 0;
    QString lastSendError;
    auto send = [&](IntervalMessage &message) -> QCoro::Task<> {
        message.agent = m_options.name;
        message.seq = seq++;
        message.toMs = wallNowMs();
        auto appending =
            appendEntry(*m_commands, intervalsKey, QByteArrayLiteral("interval"), encodeInterval(message));
        const QString error = co_await std::move(appending);
        if (!error.isEmpty() && error != lastSendError)
            say(QStringLiteral("run %1: an interval was not delivered: %2").arg(plan.runId, error));
        lastSendError = error;
    };

    const std::int64_t startNs = load::monotonicNowNs() + (startAtMs - wallNowMs()) * 1'000'000;
    say(QStringLiteral("run %1: agent %2 of %3, starting in %4 ms")
            .arg(plan.runId)
            .arg(index + 1)
            .arg(count)
            .arg(std::max<qint64>(0, startAtMs - wallNowMs())));
    auto waiting = sleepUntilNs(startNs, stop->get_token());
    const bool started = co_await std::move(waiting);
    std::optional<QString> startError;
    if (started)
        startError = engine.start(agentShare(plan.plan.phases[0].model, index, count));
    if (!started || startError) {
        IntervalMessage message;
        message.lastOfPhase = true;
        message.final = true;
        message.error = startError.value_or(QString());
        if (startError)
            say(QStringLiteral("run %1: could not start: %2").arg(plan.runId, *startError));
        auto sending = send(message);
        co_await std::move(sending);
        *watching = false;
        co_return;
    }

    const int phaseCount = int(plan.plan.phases.size());
    int phase = 0;
    auto phaseLengthNs = [&](int p) {
        return std::int64_t(plan.plan.phases[std::size_t(p)].durationS * 1e9);
    };
    std::int64_t phaseEndNs = startNs + phaseLengthNs(0);
    std::int64_t tickNs = startNs;
    load::LoadSnapshot previous = engine.snapshot();
    std::uint64_t requests = 0;
    while (true) {
        tickNs += std::int64_t(kInterval.count()) * 1'000'000;
        auto sleeping = sleepUntilNs(std::min(tickNs, phaseEndNs), stop->get_token());
        const bool stopped = !co_await std::move(sleeping);
        const bool boundary = stopped || load::monotonicNowNs() >= phaseEndNs;
        const bool final = stopped || (boundary && phase + 1 == phaseCount);
        if (final)
            engine.stop(); // what is in flight is answered (or cut off) within the engine's grace
        const load::LoadSnapshot now = engine.snapshot();
        if (boundary && !final)
            engine.setModel(agentShare(plan.plan.phases[std::size_t(phase + 1)].model, index, count));
        const load::LoadSnapshot delta = load::LoadSnapshot::between(now, previous);
        previous = now;
        IntervalMessage message;
        message.phase = phase;
        message.lastOfPhase = boundary;
        message.final = final;
        message.routes = delta.routes;
        message.generator = delta.generator;
        requests += delta.total().responses;
        auto sending = send(message);
        co_await std::move(sending);
        if (final) {
            m_lastRunTotals = now;
            break;
        }
        if (boundary) {
            ++phase;
            tickNs = phaseEndNs;
            phaseEndNs += phaseLengthNs(phase);
        }
    }
    *watching = false;
    ++m_runsDone;
    say(QStringLiteral("run %1 %2: %3 responses")
            .arg(plan.runId, stop->stop_requested() ? QStringLiteral("stopped") : QStringLiteral("done"))
            .arg(requests));
}

} // namespace perflab::agents

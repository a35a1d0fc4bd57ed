// See AgentCoordinator.h.
#include "engine/agents/AgentCoordinator.h"

#include "engine/agents/AgentKeys.h"
#include "engine/agents/AgentPlanJson.h"
#include "engine/agents/AgentShare.h"
#include "engine/agents/IntervalMessage.h"
#include "engine/agents/RedisStreams.h"
#include "engine/async/Sleep.h"
#include "engine/load/LoadSnapshotReader.h"
#include "engine/redis/RedisConnection.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

namespace perflab::agents {

using namespace std::chrono_literals;

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// After its last phase an agent drains what is in flight (up to 1 s) before its last report.
constexpr qint64 kDrainAllowanceMs = 1500;
constexpr int kMalformedShownInFull = 5;

QString timeOfDay(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz"));
}

// Several agents' figures of the same time span as one generator's: counts add up, every
// agent's client threads side by side (the busiest one anywhere is the one to judge), the
// span is the longest agent's.
load::GeneratorStats mergedGenerators(const std::vector<load::GeneratorStats> &agents)
{
    load::GeneratorStats merged;
    bool first = true;
    for (const load::GeneratorStats &g : agents) {
        merged.elapsedNs = std::max(merged.elapsedNs, g.elapsedNs);
        merged.asked += g.asked;
        merged.sent += g.sent;
        merged.sendLag.add(g.sendLag);
        merged.threads.insert(merged.threads.end(), g.threads.begin(), g.threads.end());
        merged.cpuKnown = first ? g.cpuKnown : merged.cpuKnown && g.cpuKnown;
        merged.runWaitKnown = first ? g.runWaitKnown : merged.runWaitKnown && g.runWaitKnown;
        merged.connectionsOpen += g.connectionsOpen;
        merged.connectionsConnecting += g.connectionsConnecting;
        merged.connectFailures += g.connectFailures;
        first = false;
    }
    return merged;
}

QString shareText(double share)
{
    return QStringLiteral("%1 %").arg(100.0 * share, 0, 'f', 1);
}

} // namespace

struct AgentCoordinator::AgentState
{
    QString name;
    std::uint64_t nextSeq = 0;
    int phase = 0;          // the phase of its latest report
    int finishedPhase = -1; // its last report of this phase has come
    bool done = false;      // its last report of the run has come
    bool lost = false;
    int lostPhase = -1;
    qint64 lastSeenMs = 0;
    bool cameBackNoted = false;
    std::int64_t connectionsOpen = 0;
    std::int64_t connectionsConnecting = 0;
};

struct AgentCoordinator::PhaseState
{
    std::vector<load::RouteStats> merged; // per route of the mix
    struct PerAgent
    {
        load::RouteStats total;
        load::GeneratorStats generator;
    };
    std::vector<PerAgent> agents; // by agent index
};

AgentCoordinator::AgentCoordinator(AgentCoordinatorOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
    redis::RedisConnectionOptions commands;
    commands.url = m_options.redis;
    commands.commandTimeout = 2s;
    m_commands = std::make_unique<redis::RedisConnection>(commands);
    redis::RedisConnectionOptions reader = commands;
    reader.commandTimeout = 3s; // beyond the longest blocking read (1 s)
    m_reader = std::make_unique<redis::RedisConnection>(reader);
    m_sampler = std::make_unique<metrics::Sampler>(m_registry, load::loadSamplerSpecs(nullptr), this);
}

AgentCoordinator::~AgentCoordinator()
{
    stop();
    while (m_reading)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
}

void AgentCoordinator::stop()
{
    m_stopReading = true;
    m_sampler->stop();
}

void AgentCoordinator::say(const QString &line) const
{
    if (m_say)
        m_say(line);
}

void AgentCoordinator::problem(const QString &text)
{
    if (!m_problems.contains(text)) {
        m_problems.append(text);
        say(text);
    }
}

QCoro::Task<std::optional<QString>> AgentCoordinator::start(scenario::RemotePlan plan,
                                                            std::function<void(const QString &)> sayLine)
{
    m_say = std::move(sayLine);
    m_plan = std::move(plan);
    m_runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    for (const load::RequestSpec &spec : m_plan.mix)
        m_routeNames.push_back(spec.name());
    const int count = m_options.agentCount;
    m_phases.resize(m_plan.phases.size());
    for (PhaseState &phase : m_phases) {
        for (const QString &route : m_routeNames) {
            phase.merged.emplace_back();
            phase.merged.back().route = route;
        }
        phase.agents.resize(std::size_t(count));
        for (PhaseState::PerAgent &agent : phase.agents)
            agent.total.route = QStringLiteral("all");
    }
    const QString where = m_options.redis.address();
    const QByteArray stateKey = runKey(m_runId, "state");
    auto setting = m_commands->command({QByteArrayLiteral("SET"), stateKey, QByteArrayLiteral("joining"),
                                        QByteArrayLiteral("EX"), QByteArray::number(kKeysExpireS)});
    if (const redis::RedisReply set = co_await std::move(setting); set.isFailure())
        co_return QStringLiteral("agents: Redis at %1: %2").arg(where, set.failureText());
    AgentPlan published{m_runId, count, m_plan};
    auto publishing =
        appendEntry(*m_commands, plansKey(), QByteArrayLiteral("plan"), planToJson(published), 1000);
    if (const QString error = co_await std::move(publishing); !error.isEmpty())
        co_return QStringLiteral("agents: Redis at %1: %2").arg(where, error);
    // Agents on other machines would send to their own loopback: say so before anyone joins.
    if (const auto target = load::HttpTarget::parse(m_plan.targetUrl);
        std::holds_alternative<load::HttpTarget>(target)) {
        const QString host = std::get<load::HttpTarget>(target).host;
        if (host == QLatin1String("127.0.0.1") || host == QLatin1String("localhost") ||
            host == QLatin1String("::1"))
            say(QStringLiteral(
                    "the target %1 is a loopback address: only agents on this machine reach it (give "
                    "--target a URL the agents' machines reach)")
                    .arg(m_plan.targetUrl));
    }
    say(QStringLiteral("run %1 published; waiting for %2 agent%3 (perflab agent --redis redis://%4)")
            .arg(m_runId)
            .arg(count)
            .arg(count == 1 ? QString() : QStringLiteral("s"), where));

    QStringList names;
    QByteArray after = QByteArrayLiteral("0-0");
    const QDeadlineTimer deadline(m_options.joinTimeout);
    while (names.size() < count && !deadline.hasExpired() && m_cancelledAtMs == 0) {
        auto reading = readAfter(*m_reader, runKey(m_runId, "joins"), after, 500ms, 100);
        const StreamRead read = co_await std::move(reading);
        if (!read.error.isEmpty())
            co_return QStringLiteral("agents: Redis at %1: %2").arg(where, read.error);
        for (const StreamEntry &entry : read.entries) {
            after = entry.id;
            const QString name = QString::fromUtf8(entry.fields.value(QByteArrayLiteral("agent")));
            if (name.isEmpty() || name.size() > 128 || names.contains(name) || names.size() >= count)
                continue;
            names.append(name);
            say(QStringLiteral("agent '%1' joined (%2 of %3)").arg(name).arg(names.size()).arg(count));
        }
    }
    if (names.size() < count) {
        auto abandoning =
            m_commands->command({QByteArrayLiteral("SET"), stateKey, QByteArrayLiteral("abandoned"),
                                 QByteArrayLiteral("EX"), QByteArray::number(kKeysExpireS)});
        co_await std::move(abandoning);
        if (m_cancelledAtMs != 0)
            co_return QStringLiteral("agents: cancelled while waiting for agents (%1 of %2 had joined)")
                .arg(names.size())
                .arg(count);
        co_return QStringLiteral("agents: only %1 of %2 agents joined within %3 s%4; start more with "
                                 "`perflab agent --redis redis://%5`, or ask for fewer with --agent-count")
            .arg(names.size())
            .arg(count)
            .arg(m_options.joinTimeout.count() / 1000)
            .arg(names.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(names.join(QStringLiteral(", "))),
                 where);
    }
    auto starting = m_commands->command({QByteArrayLiteral("SET"), stateKey, QByteArrayLiteral("started"),
                                         QByteArrayLiteral("EX"), QByteArray::number(kKeysExpireS)});
    co_await std::move(starting);
    m_startAtMs = nowMs() + m_options.startDelay.count();
    for (const QString &name : names) {
        AgentState agent;
        agent.name = name;
        agent.lastSeenMs = m_startAtMs;
        m_agents.push_back(agent);
    }
    const QJsonObject startMessage{{QStringLiteral("type"), QStringLiteral("start")},
                                   {QStringLiteral("start_at_ms"), m_startAtMs},
                                   {QStringLiteral("agents"), QJsonArray::fromStringList(names)}};
    auto announcing = appendEntry(*m_commands, runKey(m_runId, "control"), QByteArrayLiteral("message"),
                                  QJsonDocument(startMessage).toJson(QJsonDocument::Compact));
    if (const QString error = co_await std::move(announcing); !error.isEmpty())
        co_return QStringLiteral("agents: Redis at %1: %2").arg(where, error);
    m_reading = true;
    readReports(); // eager and detached: m_reading says when it ended
    auto waiting = async::sleep(std::chrono::milliseconds(std::max<qint64>(0, m_startAtMs - nowMs())));
    co_await std::move(waiting);
    m_sampler->start();
    co_return std::nullopt;
}

qint64 AgentCoordinator::phaseStartMs(int index) const
{
    double offsetS = 0;
    for (int i = 0; i < index && i < int(m_plan.phases.size()); ++i)
        offsetS += m_plan.phases[std::size_t(i)].durationS;
    const qint64 planned = m_startAtMs + qint64(std::llround(offsetS * 1000));
    return m_cancelledAtMs ? std::min(planned, m_cancelledAtMs) : planned;
}

qint64 AgentCoordinator::phaseEndMs(int index) const
{
    // The next phase's start, which is the cancel time when the run was cut short.
    return phaseStartMs(index + 1);
}

void AgentCoordinator::cancel()
{
    if (m_cancelledAtMs != 0)
        return;
    m_cancelledAtMs = nowMs();
    if (m_startAtMs == 0)
        return; // still waiting for agents: start() gives up
    // Fire and forget: the agents end their run as they read it; finishPhase() waits for them.
    [](redis::RedisConnection &commands, QByteArray key) -> QCoro::Task<> {
        const QJsonObject stop{{QStringLiteral("type"), QStringLiteral("stop")}};
        auto appending = appendEntry(commands, key, QByteArrayLiteral("message"),
                                     QJsonDocument(stop).toJson(QJsonDocument::Compact));
        co_await std::move(appending);
    }(*m_commands, runKey(m_runId, "control"));
}

QCoro::Task<> AgentCoordinator::readReports()
{
    const QByteArray key = runKey(m_runId, "intervals");
    QByteArray after = QByteArrayLiteral("0-0");
    while (!m_stopReading) {
        auto reading = readAfter(*m_reader, key, after, 200ms, 500);
        const StreamRead read = co_await std::move(reading);
        if (m_stopReading)
            break;
        if (!read.error.isEmpty()) {
            problem(QStringLiteral("Redis at %1 went away while agents reported: %2")
                        .arg(m_options.redis.address(), read.error));
            auto pausing = async::sleep(200ms);
            co_await std::move(pausing);
        }
        for (const StreamEntry &entry : read.entries) {
            after = entry.id;
            auto decoded = decodeInterval(entry.fields.value(QByteArrayLiteral("interval")), m_routeNames,
                                          int(m_phases.size()));
            if (auto *error = std::get_if<QString>(&decoded)) {
                ++m_malformed;
                if (m_malformed <= kMalformedShownInFull)
                    problem(QStringLiteral("a malformed agent report was rejected (stream entry %1): %2")
                                .arg(QString::fromLatin1(entry.id), *error));
                continue;
            }
            absorb(std::get<IntervalMessage>(decoded));
        }
        checkForLostAgents(false, -1);
    }
    if (m_malformed > kMalformedShownInFull)
        problem(QStringLiteral("%1 malformed agent reports were rejected in all").arg(m_malformed));
    m_reading = false;
}

void AgentCoordinator::absorb(const IntervalMessage &message)
{
    auto found = std::find_if(m_agents.begin(), m_agents.end(),
                              [&](const AgentState &a) { return a.name == message.agent; });
    if (found == m_agents.end()) {
        problem(QStringLiteral("reports from '%1', which is not one of this run's agents, were left out")
                    .arg(message.agent));
        return;
    }
    AgentState &agent = *found;
    const std::size_t index = std::size_t(found - m_agents.begin());
    if (agent.lost) {
        if (!agent.cameBackNoted)
            problem(QStringLiteral(
                        "agent '%1' reported again after it was given up; its later reports were left out")
                        .arg(agent.name));
        agent.cameBackNoted = true;
        return;
    }
    if (message.seq < agent.nextSeq || message.phase < agent.phase || agent.done)
        return; // a repeat, or older than what came: already counted or superseded
    if (message.seq > agent.nextSeq)
        problem(QStringLiteral(
                    "agent '%1': %2 report(s) never arrived; their requests are missing from the figures")
                    .arg(agent.name)
                    .arg(message.seq - agent.nextSeq));
    agent.nextSeq = message.seq + 1;
    agent.lastSeenMs = nowMs();
    agent.phase = message.phase;
    PhaseState &phase = m_phases[std::size_t(message.phase)];
    PhaseState::PerAgent &mine = phase.agents[index];
    for (std::size_t r = 0; r < message.routes.size() && r < phase.merged.size(); ++r) {
        phase.merged[r].add(message.routes[r]);
        mine.total.add(message.routes[r]);
    }
    mine.generator.accumulate(message.generator);
    agent.connectionsOpen = message.generator.connectionsOpen;
    agent.connectionsConnecting = message.generator.connectionsConnecting;
    recordLive(message);
    if (message.lastOfPhase)
        agent.finishedPhase = message.phase;
    if (message.final)
        agent.done = true;
    if (!message.error.isEmpty())
        markLost(agent, QStringLiteral("could not send its share: %1").arg(message.error));
}

void AgentCoordinator::recordLive(const IntervalMessage &message)
{
    for (const load::RouteStats &stats : message.routes) {
        const QStringList route{stats.route};
        if (stats.corrected.totalCount() > 0)
            m_families.latency.withLabels(route)->addHistogram(stats.corrected);
        if (stats.uncorrected.totalCount() > 0)
            m_families.latencyUncorrected.withLabels(route)->addHistogram(stats.uncorrected);
        for (const auto &[code, n] : stats.statusCounts)
            m_families.responses.withLabels({stats.route, QString::number(code)})->inc(n);
        for (const auto &[kind, n] : stats.errors)
            m_families.errors.withLabels({stats.route, kind})->inc(n);
        if (stats.bytesReceived)
            m_families.bytesReceived.withLabels(route)->inc(stats.bytesReceived);
        if (stats.lateSends)
            m_families.lateSends.withLabels(route)->inc(stats.lateSends);
        for (const auto &[part, figures] : stats.serverTiming) {
            m_families.serverTimingUs.withLabels({stats.route, part})
                ->inc(std::uint64_t(std::llround(figures.totalMs * 1000)));
            m_families.serverTimingResponses.withLabels({stats.route, part})->inc(figures.count);
        }
    }
    m_families.sends.series()->inc(message.generator.sent);
    if (message.generator.sendLag.totalCount() > 0)
        m_families.sendLag.series()->addHistogram(message.generator.sendLag);
    std::int64_t open = 0;
    std::int64_t connecting = 0;
    for (const AgentState &agent : m_agents) {
        if (!agent.lost && !agent.done) {
            open += agent.connectionsOpen;
            connecting += agent.connectionsConnecting;
        }
    }
    m_families.connectionsOpen.series()->set(open);
    m_families.connectionsConnecting.series()->set(connecting);
}

void AgentCoordinator::markLost(AgentState &agent, const QString &why)
{
    if (agent.lost)
        return;
    agent.lost = true;
    agent.lostPhase = agent.phase;
    const std::size_t index = std::size_t(&agent - m_agents.data());
    const double share =
        agentShareFraction(m_plan.phases[std::size_t(agent.phase)].model, int(index), int(m_agents.size()));
    problem(
        QStringLiteral(
            "agent '%1' %2 (last report at %3, in phase '%4'): its share, %5 of the load, is missing from "
            "then on")
            .arg(agent.name, why, timeOfDay(agent.lastSeenMs), m_plan.phases[std::size_t(agent.phase)].name,
                 shareText(share)));
}

void AgentCoordinator::checkForLostAgents(bool phaseOverdue, int phase)
{
    const qint64 now = nowMs();
    if (m_startAtMs == 0 || now < m_startAtMs)
        return;
    const qint64 runEnd = phaseEndMs(int(m_plan.phases.size()) - 1);
    const qint64 allowed = m_options.lostAfter.count() + (now >= runEnd ? kDrainAllowanceMs : 0);
    for (AgentState &agent : m_agents) {
        if (agent.lost || agent.done)
            continue;
        if (phaseOverdue && agent.finishedPhase < phase)
            markLost(agent, QStringLiteral("did not report the end of phase '%1'")
                                .arg(m_plan.phases[std::size_t(phase)].name));
        else if (now - agent.lastSeenMs > allowed)
            markLost(agent, QStringLiteral("stopped reporting"));
    }
}

QCoro::Task<> AgentCoordinator::finishPhase(int index)
{
    const qint64 giveUpAt = phaseEndMs(index) + kDrainAllowanceMs + m_options.lostAfter.count();
    while (true) {
        const bool allIn = std::all_of(m_agents.begin(), m_agents.end(), [index](const AgentState &agent) {
            return agent.done || agent.lost || agent.finishedPhase >= index;
        });
        if (allIn)
            co_return;
        if (nowMs() > giveUpAt) {
            checkForLostAgents(true, index);
            co_return;
        }
        auto pausing = async::sleep(20ms);
        co_await std::move(pausing);
    }
}

load::LoadSnapshot AgentCoordinator::phaseStats(int index) const
{
    load::LoadSnapshot snapshot;
    snapshot.timestampMs = phaseEndMs(index);
    const PhaseState &phase = m_phases[std::size_t(index)];
    snapshot.routes = phase.merged;
    std::vector<load::GeneratorStats> perAgent;
    for (const PhaseState::PerAgent &agent : phase.agents)
        perAgent.push_back(agent.generator);
    snapshot.generator = mergedGenerators(perAgent);
    return snapshot;
}

std::vector<report::AgentReport> AgentCoordinator::phaseAgents(int index) const
{
    std::vector<report::AgentReport> agents;
    const PhaseState &phase = m_phases[std::size_t(index)];
    for (std::size_t i = 0; i < m_agents.size(); ++i) {
        const AgentState &state = m_agents[i];
        report::AgentReport agent;
        agent.name = state.name;
        agent.share =
            agentShareFraction(m_plan.phases[std::size_t(index)].model, int(i), int(m_agents.size()));
        agent.total = phase.agents[i].total;
        agent.generator = phase.agents[i].generator;
        agent.lost = state.lost && state.lostPhase <= index;
        agent.lostAtMs = agent.lost ? state.lastSeenMs : 0;
        agents.push_back(std::move(agent));
    }
    return agents;
}

load::LoadSnapshot AgentCoordinator::snapshot() const
{
    load::LoadSnapshot snapshot = load::readLoadSnapshot(m_families, m_routeNames, nowMs());
    // Each agent's own figures over every phase so far, then merged as a phase's are.
    std::vector<load::GeneratorStats> perAgent(m_agents.size());
    for (const PhaseState &phase : m_phases)
        for (std::size_t i = 0; i < phase.agents.size() && i < perAgent.size(); ++i)
            perAgent[i].accumulate(phase.agents[i].generator);
    snapshot.generator = mergedGenerators(perAgent);
    return snapshot;
}

bool AgentCoordinator::agentLost() const
{
    return std::any_of(m_agents.begin(), m_agents.end(), [](const AgentState &agent) { return agent.lost; });
}

} // namespace perflab::agents

// See ClientWorker.h.
#include "engine/load/ClientWorker.h"

#include "engine/load/GeneratorProbe.h"
#include "engine/load/MonotonicClock.h"

#include <QTimer>

#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

namespace perflab::load {

namespace {
std::int64_t toNs(std::chrono::milliseconds ms)
{
    return std::int64_t(ms.count()) * 1'000'000;
}
} // namespace

ClientWorker::ClientWorker(int index, int workerCount, std::shared_ptr<const ClientShared> shared)
    : m_index(index), m_workerCount(workerCount), m_shared(std::move(shared)),
      // Deterministic per thread: the same mix choices and path expansions on every run.
      m_rng(0x9e3779b97f4a7c15ULL ^ std::uint64_t(index + 1)),
      m_requestTimeoutNs(toNs(m_shared->options.timeout)),
      m_connectTimeoutNs(toNs(m_shared->options.connectTimeout))
{
}

ClientWorker::~ClientWorker()
{
    abandonAll();
    if (m_timerFd >= 0) {
        if (m_dispatcher)
            m_dispatcher->unwatchFd(m_timerFd);
        ::close(m_timerFd);
    }
}

void ClientWorker::start(const LoadModel &model, int connections, std::int64_t startNs)
{
    m_dispatcher = net::EpollEventDispatcher::forCurrentThread();
    if (!m_dispatcher)
        qFatal("ClientWorker: the thread needs an EpollEventDispatcher");
    for (int i = 0; i < mix().size(); ++i)
        m_recorders.push_back(std::make_unique<RouteRecorder>(*m_shared->families, mix().entry(i).route));
    m_inFlightGauge = m_shared->families->inFlight.series();
    m_sends = m_shared->families->sends.series();
    m_sendLag = m_shared->families->sendLag.series();
    m_connectionsOpen = m_shared->families->connectionsOpen.series();
    m_connectionsConnecting = m_shared->families->connectionsConnecting.series();
    if (m_shared->probe)
        m_shared->probe->registerThread(m_index);
    m_timerFd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (m_timerFd < 0)
        qFatal("ClientWorker: timerfd_create failed: %s", std::strerror(errno));
    m_dispatcher->watchFd(m_timerFd, this, true, false);

    m_sweepTimer = new QTimer(this);
    connect(m_sweepTimer, &QTimer::timeout, this, &ClientWorker::sweep);
    // A timeout fires within a tenth of its length (at most every 5 ms, at least every 100 ms).
    const auto shortest = std::min(m_shared->options.timeout, m_shared->options.connectTimeout);
    m_sweepTimer->start(
        std::clamp(shortest / 10, std::chrono::milliseconds(5), std::chrono::milliseconds(100)));

    m_model.kind = LoadModelKind::Closed; // nothing before: applyModel starts from scratch
    applyModel(model, connections, startNs);
}

void ClientWorker::applyModel(const LoadModel &model, int connections, std::int64_t atNs)
{
    if (m_stopping)
        return;
    const bool wasOpen = isOpenLoop();
    m_model = model;
    m_thinkNs = std::int64_t(std::llround(std::max(0.0, model.thinkMs) * 1e6));
    m_schedule.setModel(model, atNs);
    if (isOpenLoop() && !wasOpen) {
        // Join the schedule at the first of this thread's indexes not intended before atNs.
        const auto first = std::uint64_t(std::ceil(m_schedule.countBefore(atNs) - 1e-9));
        const std::uint64_t stride = std::uint64_t(m_workerCount);
        m_cursor = first + (std::uint64_t(m_index) + stride - first % stride) % stride;
    }
    m_targetConnections = std::max(1, connections);
    // A connection is free from when this thread has it, not from atNs: the thread's own
    // start-up is not lateness of its sends.
    const std::int64_t createdNs = monotonicNowNs();
    while (int(m_connections.size()) < m_targetConnections) {
        m_connections.push_back(std::make_unique<ClientConnection>(*this));
        pushFree(m_connections.back().get(), createdNs);
    }
    pump();
}

void ClientWorker::requestStarted()
{
    m_inFlight.fetch_add(1, std::memory_order_relaxed);
    m_inFlightGauge->inc();
}

void ClientWorker::requestAbandoned()
{
    m_inFlightGauge->dec();
    m_inFlight.fetch_sub(1, std::memory_order_release);
}

void ClientWorker::requestEnded(ClientConnection *connection, std::int64_t nowNs)
{
    m_inFlightGauge->dec();
    m_inFlight.fetch_sub(1, std::memory_order_release);
    if (m_stopping) {
        connection->abandon();
        return;
    }
    std::int64_t at = connection->reusableAtNs();
    if (!isOpenLoop() && m_thinkNs > 0)
        at = std::max(at, nowNs + m_thinkNs);
    if (at > nowNs)
        m_waiting.push({at, connection});
    else
        pushFree(connection, nowNs);
    pump();
}

void ClientWorker::pushFree(ClientConnection *connection, std::int64_t sinceNs)
{
    if (m_free.empty())
        m_freeSinceNs = sinceNs;
    m_free.push_back(connection);
}

bool ClientWorker::retireIfSurplus(ClientConnection *connection)
{
    if (int(m_connections.size()) <= m_targetConnections)
        return false;
    auto it = std::find_if(m_connections.begin(), m_connections.end(),
                           [connection](const auto &owned) { return owned.get() == connection; });
    if (it == m_connections.end())
        return false;
    connection->abandon();
    // Not deleted here: we may be inside one of its own handlers.
    m_retired.push_back(std::move(*it));
    m_connections.erase(it);
    return true;
}

void ClientWorker::sendOn(ClientConnection *connection, std::int64_t intendedNs, std::int64_t nowNs)
{
    const int entry = mix().pick(m_rng);
    if (nowNs - intendedNs > kLateSendNs)
        recorder(entry).recordLateSend();
    m_sends->inc();
    connection->send(entry, intendedNs, nowNs);
}

void ClientWorker::sendScheduled(ClientConnection *connection, std::int64_t intendedNs, std::int64_t nowNs)
{
    m_sendLag->recordMicros((nowNs - std::max(intendedNs, m_freeSinceNs)) / 1000);
    sendOn(connection, intendedNs, nowNs);
}

void ClientWorker::pump()
{
    // Not re-entrant: a send that fails at once ends its request, which calls back here.
    if (m_pumping) {
        m_pumpAgain = true;
        return;
    }
    m_pumping = true;
    do {
        m_pumpAgain = false;
        const std::int64_t now = monotonicNowNs();
        while (!m_waiting.empty() && m_waiting.top().atNs <= now) {
            pushFree(m_waiting.top().connection, m_waiting.top().atNs);
            m_waiting.pop();
        }
        if (m_stopping)
            break;
        if (!isOpenLoop()) {
            while (!m_free.empty()) {
                ClientConnection *connection = m_free.back();
                m_free.pop_back();
                if (!retireIfSurplus(connection))
                    sendOn(connection, now, now);
            }
        } else {
            while (!m_free.empty()) {
                const std::int64_t intended = m_schedule.intendedNs(m_cursor);
                if (intended > now)
                    break;
                ClientConnection *connection = m_free.back();
                m_free.pop_back();
                if (retireIfSurplus(connection))
                    continue;
                m_cursor += std::uint64_t(m_workerCount);
                sendScheduled(connection, intended, now);
            }
            m_schedule.dropBefore(m_cursor);
            // Surplus connections left free while the schedule has nothing due.
            while (int(m_connections.size()) > m_targetConnections && !m_free.empty()) {
                ClientConnection *connection = m_free.back();
                m_free.pop_back();
                retireIfSurplus(connection);
            }
        }
    } while (m_pumpAgain);

    std::int64_t next = m_waiting.empty() ? OpenLoopSchedule::kNever : m_waiting.top().atNs;
    if (!m_stopping && isOpenLoop() && !m_free.empty())
        next = std::min(next, m_schedule.intendedNs(m_cursor));
    armTimer(next);
    m_pumping = false;
}

void ClientWorker::armTimer(std::int64_t atNs)
{
    if (atNs == m_armedNs)
        return;
    m_armedNs = atNs;
    itimerspec spec{};
    if (atNs != OpenLoopSchedule::kNever) {
        // 0 would disarm: an instant in the past fires at once, which is what we want.
        const std::int64_t at = std::max<std::int64_t>(atNs, 1);
        spec.it_value.tv_sec = time_t(at / 1'000'000'000);
        spec.it_value.tv_nsec = long(at % 1'000'000'000);
    }
    timerfd_settime(m_timerFd, TFD_TIMER_ABSTIME, &spec, nullptr);
}

void ClientWorker::onFdReady(uint32_t)
{
    std::uint64_t expirations = 0;
    [[maybe_unused]] const auto r = ::read(m_timerFd, &expirations, sizeof expirations);
    m_armedNs = OpenLoopSchedule::kNever; // one-shot: it fired
    pump();
}

void ClientWorker::sweep()
{
    m_retired.clear();
    const std::int64_t now = monotonicNowNs();
    // checkDeadline may end a request, which may retire a connection: iterate by index over
    // a snapshot of the raw pointers.
    std::vector<ClientConnection *> connections;
    connections.reserve(m_connections.size());
    for (const auto &connection : m_connections)
        connections.push_back(connection.get());
    for (ClientConnection *connection : connections) {
        if (std::any_of(m_retired.begin(), m_retired.end(),
                        [connection](const auto &r) { return r.get() == connection; }))
            continue;
        connection->checkDeadline(now);
    }
}

void ClientWorker::beginStop()
{
    m_stopping = true;
    for (ClientConnection *connection : m_free)
        connection->abandon();
    m_free.clear();
    while (!m_waiting.empty()) {
        m_waiting.top().connection->abandon();
        m_waiting.pop();
    }
    armTimer(OpenLoopSchedule::kNever);
}

void ClientWorker::abandonAll()
{
    m_stopping = true;
    for (const auto &connection : m_connections)
        connection->abandon();
    m_free.clear();
    m_waiting = {};
    if (m_sweepTimer)
        m_sweepTimer->stop();
}

} // namespace perflab::load

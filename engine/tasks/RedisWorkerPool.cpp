// See RedisWorkerPool.h.
#include "engine/tasks/RedisWorkerPool.h"

#include "engine/async/Cancellation.h"
#include "engine/async/Sleep.h"
#include "engine/redis/RedisClient.h"
#include "engine/redis/RedisConnection.h"
#include "engine/settings/SettingsStore.h"
#include "engine/tasks/TaskMetrics.h"

#include <QCoreApplication>
#include <QJsonValue>
#include <QSysInfo>

#include <algorithm>
#include <utility>

namespace perflab::tasks {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

bool selected(const settings::SettingsStore &settings)
{
    return settings.view().background.queueBackend == QLatin1String("redis");
}

// The connection's own reconnect backoff: a worker asks no more often than its connection
// would try anyway.
class Backoff
{
public:
    std::chrono::milliseconds next()
    {
        const redis::RedisConnectionOptions defaults;
        m_delay = m_delay.count() == 0 ? defaults.minBackoff : std::min(m_delay * 2, defaults.maxBackoff);
        return m_delay;
    }
    void reset() { m_delay = 0ms; }

private:
    std::chrono::milliseconds m_delay{0};
};

// A wait that a stop ends early, without an exception.
QCoro::Task<> pause(std::chrono::milliseconds duration, std::stop_token stop)
{
    try {
        auto waiting = async::sleep(duration, stop);
        co_await std::move(waiting);
    } catch (const async::Cancelled &) {
    }
}

// Unique among every process on every host that shares the Redis, and among the queues of one
// process (tests run two instances side by side).
QByteArray makeConsumerPrefix()
{
    static std::atomic<int> instances{0};
    return QSysInfo::machineHostName().toUtf8() + ':' +
           QByteArray::number(QCoreApplication::applicationPid()) + ':' + QByteArray::number(++instances);
}

} // namespace

RedisWorkerPool::RedisWorkerPool(RedisJobStore &store, redis::RedisClient &client,
                                 std::shared_ptr<const JobHandlers> handlers,
                                 const settings::SettingsStore &settings, JobMetrics &metrics)
    : m_store(store), m_client(client), m_handlers(std::move(handlers)), m_settings(settings),
      m_metrics(metrics), m_consumerPrefix(makeConsumerPrefix())
{
}

RedisWorkerPool::~RedisWorkerPool() = default;

void RedisWorkerPool::start()
{
    if (m_stop.stop_requested())
        m_stop = std::stop_source();
    m_stopped = nullptr;
    resize();
}

void RedisWorkerPool::resize()
{
    if (m_stop.stop_requested())
        return;
    m_target = selected(m_settings) ? std::max(1, m_settings.view().background.workers) : 0;
    while (liveWorkers() < m_target) {
        m_live.fetch_add(1, std::memory_order_relaxed);
        workerLoop(m_consumerPrefix + ":w" + QByteArray::number(++m_nextWorker)); // detached
    }
    // Surplus workers retire when their current read or job ends.
    publishWorkers();
}

void RedisWorkerPool::beginStop(std::function<void()> stopped)
{
    m_stopped = std::move(stopped);
    m_stop.request_stop();
    notifyIfStopped();
}

void RedisWorkerPool::notifyIfStopped()
{
    if (liveWorkers() == 0 && m_leaving == 0 && m_stopped)
        std::exchange(m_stopped, nullptr)();
}

void RedisWorkerPool::publishWorkers()
{
    const int live = liveWorkers();
    m_metrics.workers->add(live - m_published);
    m_published = live;
}

void RedisWorkerPool::unpublishWorkers()
{
    m_metrics.workers->sub(m_published);
    m_published = 0;
}

void RedisWorkerPool::workerLeaving()
{
    // Counted out at once, before the worker's last commands suspend it, so that the other
    // workers see the pool's new size and only the surplus retires.
    m_live.fetch_sub(1, std::memory_order_relaxed);
    ++m_leaving;
    publishWorkers();
}

void RedisWorkerPool::workerLeft()
{
    --m_leaving;
    notifyIfStopped();
}

bool RedisWorkerPool::reclaimDue()
{
    const auto now = Clock::now();
    if (now < m_nextReclaim)
        return false;
    // A few looks per visibility timeout; the first worker free after that does it.
    const auto interval =
        std::clamp<std::chrono::milliseconds>(m_store.config().visibilityTimeout / 4, 50ms, 5000ms);
    m_nextReclaim = now + interval;
    return true;
}

QCoro::Task<> RedisWorkerPool::workerLoop(QByteArray consumer)
{
    const std::stop_token stop = m_stop.get_token();
    // Its own connection: XREADGROUP ... BLOCK holds the socket for the whole block, and every
    // command queued behind it would wait as long. Not timed into
    // redis_command_duration_seconds: a blocking read's wait is not a command's latency.
    redis::RedisConnectionOptions options;
    options.commandTimeout = m_store.config().block + 2s;
    auto reader = std::make_unique<redis::RedisConnection>(options);
    Backoff backoff;
    bool groupReady = false;
    bool holding = false; // an entry this consumer read is still unacknowledged
    QString lastError;
    while (!stop.stop_requested() && liveWorkers() <= m_target) { // a surplus worker retires
        RedisJobRead read;
        bool reclaimed = false;
        if (const std::optional<redis::RedisUrl> url = m_client.url()) {
            if (reader->url() != *url)
                reader->setUrl(*url);
        } else {
            read.error = QStringLiteral("no Redis configured (redis.url or --redis)");
        }
        if (read.error.isEmpty() && !groupReady) {
            auto creating = m_store.ensureGroup();
            read.error = co_await std::move(creating);
            groupReady = read.error.isEmpty();
        }
        if (read.error.isEmpty() && reclaimDue()) {
            auto reclaiming = m_store.reclaim(consumer, m_reclaimCursor);
            read = co_await std::move(reclaiming);
            if (read.error.isEmpty())
                m_reclaimCursor = read.nextCursor;
            if (read.entry) {
                reclaimed = true;
                m_nextReclaim = Clock::now(); // more may be waiting: the next free worker looks again
            }
        }
        if (read.error.isEmpty() && !read.entry) {
            auto reading = m_store.readNew(*reader, consumer);
            read = co_await std::move(reading);
        }
        if (!read.error.isEmpty()) {
            if (read.noGroup && groupReady) { // Redis lost its data (restarted empty): make the group again
                groupReady = false;
                continue;
            }
            if (read.error != lastError)
                qWarning("perflab: redis job worker %s: %s; retrying", consumer.constData(),
                         qPrintable(read.error));
            lastError = read.error;
            auto waiting = pause(backoff.next(), stop);
            co_await std::move(waiting);
            continue;
        }
        if (!lastError.isEmpty())
            qInfo("perflab: redis job worker %s: Redis answers again", consumer.constData());
        lastError.clear();
        backoff.reset();
        if (!read.entry)
            continue; // the block ended with nothing new
        auto processing = process(std::move(*read.entry), consumer, reclaimed, stop);
        if (!co_await std::move(processing))
            holding = true;
    }
    workerLeaving();
    if (!holding) {
        auto removing = m_store.removeConsumer(consumer);
        co_await std::move(removing);
    }
    reader.reset();
    workerLeft();
}

QCoro::Task<bool> RedisWorkerPool::process(RedisJobEntry entry, QByteArray consumer, bool reclaimed,
                                           std::stop_token stop)
{
    if (reclaimed)
        m_metrics.recovered->inc();
    if (stop.stop_requested()) { // read just as the queue stops: handed back before it starts
        auto requeueing = m_store.requeue(entry);
        co_return (co_await std::move(requeueing)).isEmpty();
    }
    auto starting = m_store.start(entry, consumer, reclaimed);
    const RedisJobStart started = co_await std::move(starting);
    if (!started.error.isEmpty()) {
        // Not marked running: the entry stays pending under this consumer and is reclaimed
        // after the visibility timeout.
        qWarning("perflab: redis job %s not started: %s", qPrintable(entry.id), qPrintable(started.error));
        co_return false;
    }
    if (!started.run) {
        qWarning("perflab: redis job %s abandoned after %d executions that never finished",
                 qPrintable(entry.id), started.attempt);
        m_metrics.failed->inc();
        co_return true;
    }

    JobRecord job;
    job.id = entry.id;
    job.name = entry.name;
    job.payload = jsonFromText(QString::fromUtf8(entry.payload)).toObject();
    job.attempts = started.attempt;
    m_busy.fetch_add(1, std::memory_order_relaxed);
    std::stop_source handlerDone;
    auto claimKeeper = keepClaim(entry.entryId, consumer, handlerDone.get_token());
    auto executing = executeJob(*m_handlers, std::move(job), stop, m_metrics);
    const JobOutcome outcome = co_await std::move(executing);
    handlerDone.request_stop();
    co_await std::move(claimKeeper);
    m_busy.fetch_sub(1, std::memory_order_relaxed);

    if (outcome.cancelled) {
        auto requeueing = m_store.requeue(entry);
        const QString error = co_await std::move(requeueing);
        if (error.isEmpty())
            co_return true;
        qWarning(
            "perflab: redis job %s not handed back (%s): another worker takes it after the visibility timeout",
            qPrintable(entry.id), qPrintable(error));
        co_return false;
    }
    // Acknowledged only once the result is stored. Redis away: wait for it (the job has run;
    // running it again would be the at-least-once fallback, not the rule).
    Backoff backoff;
    bool warned = false;
    for (;;) {
        auto finishing = m_store.finish(entry, outcome);
        const QString error = co_await std::move(finishing);
        if (error.isEmpty())
            break;
        if (stop.stop_requested()) {
            qWarning(
                "perflab: redis job %s: result not stored (%s); it runs again after the visibility timeout",
                qPrintable(entry.id), qPrintable(error));
            co_return false;
        }
        if (!warned)
            qWarning("perflab: redis job %s: result not stored yet (%s); retrying", qPrintable(entry.id),
                     qPrintable(error));
        warned = true;
        auto waiting = pause(backoff.next(), stop);
        co_await std::move(waiting);
    }
    (outcome.status == JobStatus::Completed ? m_metrics.completed : m_metrics.failed)->inc();
    co_return true;
}

QCoro::Task<> RedisWorkerPool::keepClaim(QByteArray entryId, QByteArray consumer, std::stop_token done)
{
    const auto interval = std::max<std::chrono::milliseconds>(m_store.config().visibilityTimeout / 3, 10ms);
    for (;;) {
        try {
            auto waiting = async::sleep(interval, done);
            co_await std::move(waiting);
        } catch (const async::Cancelled &) {
            co_return;
        }
        auto renewing = m_store.renewClaim(entryId, consumer);
        co_await std::move(renewing);
    }
}

} // namespace perflab::tasks

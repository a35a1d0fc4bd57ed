// See RedisJobQueue.h.
#include "engine/tasks/RedisJobQueue.h"

#include "engine/settings/SettingsStore.h"
#include "engine/tasks/RedisQueueDepth.h"
#include "engine/tasks/RedisWorkerPool.h"

namespace perflab::tasks {

RedisJobQueue::RedisJobQueue(JobQueueConfig config, std::shared_ptr<const JobHandlers> handlers,
                             const settings::SettingsStore &settings, metrics::Registry &registry)
    : m_config(std::move(config)), m_settings(settings), m_metrics(registry),
      m_client(&registry, QStringLiteral("queue")), m_store(m_client, m_config.redis, m_config.maxAttempts),
      m_pool(std::make_unique<RedisWorkerPool>(m_store, m_client, std::move(handlers), settings, m_metrics)),
      m_depth(std::make_unique<RedisQueueDepth>(m_store, settings, *m_metrics.queueDepth))
{
    m_runner.setObjectName(QStringLiteral("perflab-redis-jobs"));
    followSettings();
    // Direct: a PATCH of redis.url is answered right after changed() returns, and the next
    // enqueue must already go to the new Redis. setUrl() and setMonitoring() are thread-safe.
    m_settingsLink = QObject::connect(
        &m_settings, &settings::SettingsStore::changed, &m_client, [this] { followSettings(); },
        Qt::DirectConnection);
}

RedisJobQueue::~RedisJobQueue()
{
    QObject::disconnect(m_settingsLink);
    stop();
}

void RedisJobQueue::followSettings()
{
    const settings::LabSettings &settings = m_settings.view();
    const redis::RedisUrlResult parsed = redis::parseRedisUrl(settings.redis.url);
    m_client.setUrl(settings.redis.url.isEmpty() ? std::nullopt : parsed.url); // validated by the settings
    // While in use, its health follows Redis even when no job comes (the panel and /admin/stats).
    m_client.setMonitoring(parsed.url && settings.background.queueBackend == QLatin1String("redis"));
}

std::optional<QString> RedisJobQueue::start()
{
    if (isRunning())
        return std::nullopt;
    m_runner.start();
    m_runnerContext = new QObject;
    m_runnerContext->moveToThread(&m_runner);
    RedisWorkerPool *pool = m_pool.get();
    RedisQueueDepth *depth = m_depth.get();
    QObject::connect(&m_settings, &settings::SettingsStore::changed, m_runnerContext,
                     [pool] { pool->resize(); });
    QMetaObject::invokeMethod(
        m_runnerContext,
        [pool, depth] {
            pool->start();
            depth->start();
        },
        Qt::QueuedConnection);
    return std::nullopt;
}

void RedisJobQueue::stop(std::chrono::milliseconds grace)
{
    if (!isRunning())
        return;
    RedisWorkerPool *pool = m_pool.get();
    RedisQueueDepth *depth = m_depth.get();
    QSemaphore *stopped = &m_stopped;
    QMetaObject::invokeMethod(
        m_runnerContext,
        [pool, depth, stopped] {
            pool->beginStop([stopped] { stopped->release(); });
            depth->beginStop([stopped] { stopped->release(); });
        },
        Qt::QueuedConnection);
    if (!m_stopped.tryAcquire(2, int(grace.count())))
        qWarning(
            "perflab: redis job queue: workers still busy after %lld ms; stopping anyway (their jobs run again "
            "elsewhere after the visibility timeout)",
            qlonglong(grace.count()));
    m_runner.quit();
    m_runner.wait();
    m_stopped.tryAcquire(m_stopped.available()); // a late release must not satisfy the next stop
    delete m_runnerContext; // its thread has finished: nothing can be delivered to it any more
    m_runnerContext = nullptr;
    m_pool->unpublishWorkers();
    m_depth->unpublish();
}

QCoro::Task<EnqueueResult> RedisJobQueue::enqueue(QString name, QJsonObject payload)
{
    auto adding = m_store.enqueue(std::move(name), std::move(payload));
    EnqueueResult result = co_await std::move(adding);
    if (result.id)
        m_metrics.enqueued->inc();
    co_return result;
}

QCoro::Task<JobLookup> RedisJobQueue::find(QString id)
{
    auto looking = m_store.find(std::move(id));
    co_return co_await std::move(looking);
}

int RedisJobQueue::workerCount() const
{
    return m_pool->liveWorkers();
}

int RedisJobQueue::busyWorkerCount() const
{
    return m_pool->busyWorkers();
}

QByteArray RedisJobQueue::consumerPrefix() const
{
    return m_pool->consumerPrefix();
}

} // namespace perflab::tasks

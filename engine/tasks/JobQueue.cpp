// See JobQueue.h.
#include "engine/tasks/JobQueue.h"

#include "engine/settings/SettingsStore.h"
#include "engine/tasks/RedisJobQueue.h"
#include "engine/tasks/SqliteJobQueue.h"

namespace perflab::tasks {

JobQueue::JobQueue(JobQueueConfig config, std::shared_ptr<const JobHandlers> handlers,
                   const settings::SettingsStore &settings, metrics::Registry &registry, QObject *parent)
    : QObject(parent), m_config(std::move(config)), m_settings(settings),
      m_sqlite(std::make_unique<SqliteJobQueue>(m_config, handlers, settings, registry)),
      m_redis(std::make_unique<RedisJobQueue>(m_config, handlers, settings, registry))
{
}

JobQueue::~JobQueue()
{
    stop();
}

std::optional<QString> JobQueue::start()
{
    if (auto error = m_sqlite->start())
        return error;
    if (auto error = m_redis->start()) {
        m_sqlite->stop(std::chrono::seconds(5));
        return error;
    }
    return std::nullopt;
}

void JobQueue::stop(std::chrono::milliseconds grace)
{
    m_redis->stop(grace);
    m_sqlite->stop(grace);
}

bool JobQueue::isRunning() const
{
    return m_sqlite->isRunning();
}

QString JobQueue::backendName() const
{
    return m_settings.view().background.queueBackend;
}

JobQueueBackend &JobQueue::selected()
{
    if (backendName() == QLatin1String("redis"))
        return *m_redis;
    return *m_sqlite;
}

QCoro::Task<EnqueueResult> JobQueue::enqueue(QString name, QJsonObject payload)
{
    auto enqueueing = selected().enqueue(std::move(name), std::move(payload));
    co_return co_await std::move(enqueueing);
}

QCoro::Task<JobLookup> JobQueue::find(QString id)
{
    JobQueueBackend &first = selected();
    JobQueueBackend &second = &first == m_redis.get() ? static_cast<JobQueueBackend &>(*m_sqlite)
                                                      : static_cast<JobQueueBackend &>(*m_redis);
    auto looking = first.find(id);
    JobLookup lookup = co_await std::move(looking);
    if (lookup.job)
        co_return lookup;
    if (&second == m_redis.get() && !m_redis->isConfigured())
        co_return lookup;
    auto lookingElsewhere = second.find(id);
    JobLookup elsewhere = co_await std::move(lookingElsewhere);
    if (elsewhere.job || !lookup.storeFailed)
        co_return elsewhere; // found there, or not found anywhere (or only the other failed)
    co_return lookup;
}

int JobQueue::workerCount() const
{
    return m_sqlite->workerCount() + m_redis->workerCount();
}

int JobQueue::busyWorkerCount() const
{
    return m_sqlite->busyWorkerCount() + m_redis->busyWorkerCount();
}

QString JobQueue::databasePath() const
{
    return m_sqlite->databasePath();
}

} // namespace perflab::tasks

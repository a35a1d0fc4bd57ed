// The durable job queue on Redis Streams (background.queue_backend "redis"), the guide's Celery /
// ARQ queue: every instance whose redis.url points at the same Redis (and whose key prefix is
// the same) shares one queue, so a job enqueued on one runs on any, and /job/{id} on any finds
// it. Delivery is at least once (see RedisWorkerPool.h); results live in Redis for
// config.redis.resultTtl after the job's last change.
//
// Threads: enqueue() and find() run on the caller's thread (an HTTP worker's own Redis
// connection); the workers and their handlers are coroutines on the runner thread
// "perflab-redis-jobs". The client (role "queue": redis_up{role="queue"},
// redis_command_duration_seconds{role="queue"}) follows redis.url live.
#pragma once

#include "engine/redis/RedisClient.h"
#include "engine/tasks/JobHandlers.h"
#include "engine/tasks/JobQueueBackend.h"
#include "engine/tasks/JobQueueConfig.h"
#include "engine/tasks/RedisJobStore.h"
#include "engine/tasks/TaskMetrics.h"

#include <QSemaphore>
#include <QThread>

#include <memory>

namespace perflab::metrics {
class Registry;
}
namespace perflab::settings {
class SettingsStore;
}

namespace perflab::tasks {

class RedisQueueDepth;
class RedisWorkerPool;

class RedisJobQueue final : public JobQueueBackend
{
public:
    // `handlers`, `settings` and `registry` must outlive the queue.
    RedisJobQueue(JobQueueConfig config, std::shared_ptr<const JobHandlers> handlers,
                  const settings::SettingsStore &settings, metrics::Registry &registry);
    ~RedisJobQueue() override; // stop()

    QString backendName() const override { return QStringLiteral("redis"); }

    // Starts the runner thread. Its workers run while the backend is selected; a Redis that
    // does not answer is not an error here (the workers wait for it), so this always succeeds.
    std::optional<QString> start() override;
    // Running handlers are cancelled and their jobs handed back to the stream. A handler that
    // is still running after `grace` is left as a dead worker's would be: its entry stays
    // pending and another worker takes it after the visibility timeout.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(5)) override;
    bool isRunning() const override { return m_runnerContext != nullptr; }

    // Work without start(): they need only the Redis.
    QCoro::Task<EnqueueResult> enqueue(QString name, QJsonObject payload) override;
    QCoro::Task<JobLookup> find(QString id) override;

    int workerCount() const override;
    int busyWorkerCount() const override;

    bool isConfigured() const { return m_client.url().has_value(); }
    redis::RedisHealth health() const { return m_client.health(); }
    redis::RedisClient &client() { return m_client; }
    RedisJobStore &store() { return m_store; }
    QByteArray consumerPrefix() const;

private:
    void followSettings();

    const JobQueueConfig m_config;
    const settings::SettingsStore &m_settings;
    JobMetrics m_metrics;
    redis::RedisClient m_client;
    RedisJobStore m_store;
    std::unique_ptr<RedisWorkerPool> m_pool;  // runs on m_runner
    std::unique_ptr<RedisQueueDepth> m_depth; // runs on m_runner
    QThread m_runner;
    QObject *m_runnerContext = nullptr; // lives on m_runner while it runs: posts go through it
    QMetaObject::Connection m_settingsLink;
    QSemaphore m_stopped;
};

} // namespace perflab::tasks

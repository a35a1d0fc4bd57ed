// The durable job queue the lab's routes use (guide chapter 2: Celery's process_data.delay(),
// ARQ's enqueue_job): two backends behind one door, chosen per job by the live setting
// background.queue_backend.
//
//   sqlite  SqliteJobQueue: the lab's own file, this process only (one process per data folder).
//   redis   RedisJobQueue: Redis Streams, shared by every instance pointing at the same Redis.
//
// Switching live (PATCH /admin/settings): the next job goes to the selected backend. Jobs
// already enqueued stay where they are and still run: the SQLite workers drain the file before
// they retire (only this process can run those), the Redis workers here finish the job in hand
// and retire (the stream is shared and durable: the instances on Redis run what waits there,
// or this one once switched back). /job/{id} looks in the selected backend first, then in the
// other (Redis only when redis.url is set), so a job made before a switch is still found.
//
// Both backends start with the lab: the SQLite file is opened (and locked) even while Redis is
// selected, so that what an earlier run left in it is run (drained) too.
#pragma once

#include "engine/tasks/JobHandlers.h"
#include "engine/tasks/JobQueueBackend.h"
#include "engine/tasks/JobQueueConfig.h"

#include <QCoro/QCoroTask>
#include <QObject>

#include <chrono>
#include <memory>
#include <optional>

namespace perflab::metrics {
class Registry;
}
namespace perflab::settings {
class SettingsStore;
}

namespace perflab::tasks {

class RedisJobQueue;
class SqliteJobQueue;

class JobQueue final : public QObject
{
    Q_OBJECT
public:
    // `handlers`, `settings` and `registry` must outlive the queue.
    JobQueue(JobQueueConfig config, std::shared_ptr<const JobHandlers> handlers,
             const settings::SettingsStore &settings, metrics::Registry &registry, QObject *parent = nullptr);
    ~JobQueue() override; // stop()

    // Starts both backends; nullopt on success, else what went wrong (nothing is left running).
    std::optional<QString> start();
    // Stops both (see each backend). Blocks. Stop the HTTP server first.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
    bool isRunning() const;

    // Any thread with an event loop: to the backend background.queue_backend selects now.
    QCoro::Task<EnqueueResult> enqueue(QString name, QJsonObject payload);
    // Any thread with an event loop: the selected backend, then the other.
    QCoro::Task<JobLookup> find(QString id);

    int workerCount() const;     // live workers of both backends (a draining one included)
    int busyWorkerCount() const; // workers running a handler now
    QString backendName() const; // the selected backend: "sqlite" or "redis"

    SqliteJobQueue &sqlite() { return *m_sqlite; }
    RedisJobQueue &redis() { return *m_redis; }
    const RedisJobQueue &redis() const { return *m_redis; }
    QString databasePath() const;
    const JobQueueConfig &config() const { return m_config; }

private:
    JobQueueBackend &selected();

    const JobQueueConfig m_config;
    const settings::SettingsStore &m_settings;
    std::unique_ptr<SqliteJobQueue> m_sqlite;
    std::unique_ptr<RedisJobQueue> m_redis;
};

} // namespace perflab::tasks

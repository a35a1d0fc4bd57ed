// The durable job queue on the lab's own SQLite file (background.queue_backend "sqlite"): the
// store on its own thread, the worker pool on a runner thread, and the async API the routes
// await (through JobQueue).
//
// Threads: the store's statements run on JobStoreThread (one thread, one connection); the
// workers and the handlers they run are coroutines on the runner thread "perflab-jobs";
// enqueue() and find() may be awaited from any thread with an event loop (HTTP workers) and
// resume there. Nothing here blocks an HTTP worker.
//
// Delivery is at least once: a job is claimed (running, attempts + 1) in one commit before its
// handler starts and marked completed/failed in another after it ends. A process killed in
// between leaves the row running; start() puts such rows back to pending, so they run again.
// One process per data folder (a lock file enforces it): otherwise a starting process would
// take a living one's running jobs for crashed ones.
#pragma once

#include "engine/tasks/JobHandlers.h"
#include "engine/tasks/JobQueueBackend.h"
#include "engine/tasks/JobQueueConfig.h"
#include "engine/tasks/JobRecord.h"
#include "engine/tasks/JobStoreThread.h"
#include "engine/tasks/TaskMetrics.h"

#include <QCoro/QCoroTask>
#include <QObject>
#include <QSemaphore>
#include <QThread>

#include <chrono>
#include <memory>
#include <optional>

class QLockFile;

namespace perflab::metrics {
class Registry;
}
namespace perflab::settings {
class SettingsStore;
}

namespace perflab::tasks {

class JobWorkerPool;

class SqliteJobQueue final : public JobQueueBackend
{
public:
    // `handlers`, `settings` and `registry` must outlive the queue. The worker count follows
    // settings.background.workers live while the backend is selected (see JobWorkerPool.h).
    SqliteJobQueue(JobQueueConfig config, std::shared_ptr<const JobHandlers> handlers,
                   const settings::SettingsStore &settings, metrics::Registry &registry);
    ~SqliteJobQueue() override; // stop()

    QString backendName() const override { return QStringLiteral("sqlite"); }

    // Takes the lock, opens the store, requeues what a crashed process left running and starts
    // the workers. nullopt on success, else what went wrong (nothing is left running).
    std::optional<QString> start() override;
    // Stops the workers (running handlers are cancelled; their jobs go back to pending), waits
    // up to `grace` for them, then closes the store. Blocks. Stop the HTTP server first.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(5)) override;
    bool isRunning() const override { return m_runnerContext != nullptr; }

    // Any thread with an event loop. Commits a pending job and resumes with its id once the
    // row is on disk; no id when the store failed (logged, `error` empty).
    QCoro::Task<EnqueueResult> enqueue(QString name, QJsonObject payload) override;
    // Any thread with an event loop.
    QCoro::Task<JobLookup> find(QString id) override;

    int workerCount() const override;
    int busyWorkerCount() const override;
    QString databasePath() const;
    const JobQueueConfig &config() const { return m_config; }

private:
    JobQueueConfig m_config;
    std::shared_ptr<const JobHandlers> m_handlers;
    const settings::SettingsStore &m_settings;
    JobMetrics m_metrics;
    JobStoreThread m_store;
    std::unique_ptr<JobWorkerPool> m_pool; // its workers run on m_runner
    std::unique_ptr<QLockFile> m_lock;
    QThread m_runner;
    QObject *m_runnerContext = nullptr; // lives on m_runner while it runs: posts go through it
    QSemaphore m_poolStopped;
};

} // namespace perflab::tasks

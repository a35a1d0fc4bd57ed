// The durable job queue (seed chapter 2: Celery's process_data.delay(), ARQ's enqueue_job)
// as one object: the SQLite store on its own thread, the worker pool on a runner thread, and
// the async API the routes await.
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

#include "tasks/JobHandlers.h"
#include "tasks/JobRecord.h"
#include "tasks/JobStoreThread.h"
#include "tasks/TaskMetrics.h"

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

struct JobQueueConfig
{
    // Holds jobs.sqlite (with its -wal and -shm files) and jobs.lock; created if missing.
    QString dataDir;
    // A job whose executions keep dying with the process (a poison job) is failed at the start
    // after this many, instead of crashing every restart.
    int maxAttempts = 5;
    // How long an idle worker sleeps before looking at the store again without being woken.
    std::chrono::milliseconds idlePoll{1000};
};

// How find() went: `job` is empty for an unknown id unless the store failed.
struct JobLookup
{
    std::optional<JobRecord> job;
    bool storeFailed = false;
};

class JobQueue final : public QObject
{
    Q_OBJECT
public:
    // `handlers`, `settings` and `registry` must outlive the queue. The worker count follows
    // settings.background.workers live.
    JobQueue(JobQueueConfig config, std::shared_ptr<const JobHandlers> handlers,
             const settings::SettingsStore &settings, metrics::Registry &registry, QObject *parent = nullptr);
    ~JobQueue() override; // stop()

    // Takes the lock, opens the store, requeues what a crashed process left running and starts
    // the workers. nullopt on success, else what went wrong (nothing is left running).
    std::optional<QString> start();
    // Stops the workers (running handlers are cancelled; their jobs go back to pending), waits
    // up to `grace` for them, then closes the store. Blocks. Stop the HTTP server first.
    void stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
    bool isRunning() const { return m_runnerContext != nullptr; }

    // Any thread with an event loop. Commits a pending job and resumes with its id (a UUID)
    // once the row is on disk; nullopt when the store failed (logged). A name without a
    // handler is accepted; the job then fails when it runs.
    QCoro::Task<std::optional<QString>> enqueue(QString name, QJsonObject payload);
    // Any thread with an event loop.
    QCoro::Task<JobLookup> find(QString id);

    int workerCount() const;     // live workers
    int busyWorkerCount() const; // workers running a handler now
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

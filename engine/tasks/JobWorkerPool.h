// The SQLite job queue's workers: coroutines on the queue's runner thread that claim pending
// jobs from the store, run their handlers and store the results. Their number follows the live
// setting background.workers while background.queue_backend is "sqlite"; while another backend
// is selected the pool drains: its workers keep claiming until the store has no pending job,
// then retire (only this process can run the jobs in its file, so none is left behind).
#pragma once

#include "engine/async/BoundedQueue.h"
#include "engine/tasks/JobHandlers.h"
#include "engine/tasks/JobRecord.h"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>

namespace perflab::settings {
class SettingsStore;
}

namespace perflab::tasks {

class JobStoreThread;
struct JobMetrics;

// start(), resize() and beginStop() are called on the runner thread (JobQueue posts them),
// and every worker coroutine runs there. notifyNewJob() and the counts are thread-safe.
// Destroy it only while no runner thread runs its workers.
class JobWorkerPool
{
public:
    JobWorkerPool(JobStoreThread &store, std::shared_ptr<const JobHandlers> handlers,
                  const settings::SettingsStore &settings, JobMetrics &metrics,
                  std::chrono::milliseconds idlePoll);
    ~JobWorkerPool();
    JobWorkerPool(const JobWorkerPool &) = delete;
    JobWorkerPool &operator=(const JobWorkerPool &) = delete;

    // Any thread: a job was committed; wakes an idle worker.
    void notifyNewJob();

    int liveWorkers() const { return m_live.load(std::memory_order_relaxed); }
    int busyWorkers() const { return m_busy.load(std::memory_order_relaxed); }

    // Runner thread. Starts (again, after a stop) with the workers the setting asks for; when
    // the backend is not selected, they drain what the store holds and retire.
    void start();
    // Runner thread. Grows the pool at once, or lets the surplus workers retire once idle.
    void resize();
    // After the runner thread has ended: takes this pool's workers out of job_workers.
    void unpublishWorkers();
    // Runner thread. Stops claiming, cancels the running handlers (their jobs stay `running`
    // in the store, for the caller to requeue) and calls `stopped` once no worker is left.
    void beginStop(std::function<void()> stopped);

private:
    QCoro::Task<> workerLoop();
    QCoro::Task<> runJob(JobRecord job, std::stop_token stop);
    void spawnWorker();
    void workerLeft();
    // job_workers is shared with the other backend: each pool adds what it changed.
    void publishWorkers();

    JobStoreThread &m_store;
    std::shared_ptr<const JobHandlers> m_handlers;
    const settings::SettingsStore &m_settings;
    JobMetrics &m_metrics;
    const std::chrono::milliseconds m_idlePoll;

    // Wake-up hints: one per committed job (or per retiring worker). A hint too many costs
    // one empty claim; a missing one at most the idle poll interval.
    async::BoundedQueue<int> m_wakeups{256};
    std::stop_source m_stop;
    std::function<void()> m_stopped;
    int m_target = 0;           // runner thread only; 0 while draining
    int m_published = 0;        // this pool's share of job_workers; runner thread only
    std::atomic<int> m_live{0}; // written on the runner thread only
    std::atomic<int> m_busy{0};
};

} // namespace perflab::tasks

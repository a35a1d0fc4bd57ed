// The Redis job queue's workers: coroutines on the queue's runner thread, each a consumer of the
// group with its own blocking connection. A worker reads one new entry (XREADGROUP ... BLOCK),
// or, when it is time, takes over one that another consumer read and never acknowledged within
// the visibility timeout (XAUTOCLAIM, counted as jobs_total{state="recovered"}); it marks the
// job running, runs the handler while renewing its claim, stores the result and only then
// acknowledges the entry (at least once, as Celery's acks_late).
//
// Their number follows background.workers while background.queue_backend is "redis"; when
// another backend is selected they finish the job in hand and retire (the stream is shared:
// what waits in it is run by the instances still on Redis, or here after switching back).
// While Redis is away a worker waits with the client's backoff (100 ms doubling to 2 s)
// between attempts, never spinning; a result it could not store is stored once Redis is back.
#pragma once

#include "engine/tasks/JobHandlers.h"
#include "engine/tasks/RedisJobStore.h"

#include <QCoro/QCoroTask>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>

namespace perflab::redis {
class RedisClient;
}
namespace perflab::settings {
class SettingsStore;
}

namespace perflab::tasks {

struct JobMetrics;

// start(), resize() and beginStop() are called on the runner thread, where every worker runs.
// The counts are thread-safe. Destroy it only while no runner thread runs its workers.
class RedisWorkerPool
{
public:
    RedisWorkerPool(RedisJobStore &store, redis::RedisClient &client,
                    std::shared_ptr<const JobHandlers> handlers, const settings::SettingsStore &settings,
                    JobMetrics &metrics);
    ~RedisWorkerPool();
    RedisWorkerPool(const RedisWorkerPool &) = delete;
    RedisWorkerPool &operator=(const RedisWorkerPool &) = delete;

    int liveWorkers() const { return m_live.load(std::memory_order_relaxed); }
    int busyWorkers() const { return m_busy.load(std::memory_order_relaxed); }
    // "host:pid:n", the start of every worker's consumer name ("host:pid:n:w3").
    QByteArray consumerPrefix() const { return m_consumerPrefix; }

    void start();
    void resize();
    // Stops reading; running handlers are cancelled and their jobs requeued; calls `stopped`
    // once no worker is left.
    void beginStop(std::function<void()> stopped);
    // After the runner thread has ended: takes this pool's workers out of job_workers.
    void unpublishWorkers();

private:
    QCoro::Task<> workerLoop(QByteArray consumer);
    // Runs one entry to its end; false when it still holds the entry (not acknowledged).
    QCoro::Task<bool> process(RedisJobEntry entry, QByteArray consumer, bool reclaimed, std::stop_token stop);
    QCoro::Task<> keepClaim(QByteArray entryId, QByteArray consumer, std::stop_token done);
    // Whether this worker should look for abandoned entries now (one worker at a time does).
    bool reclaimDue();
    void workerLeaving();
    void workerLeft();
    void notifyIfStopped();
    void publishWorkers();

    RedisJobStore &m_store;
    redis::RedisClient &m_client;
    std::shared_ptr<const JobHandlers> m_handlers;
    const settings::SettingsStore &m_settings;
    JobMetrics &m_metrics;
    const QByteArray m_consumerPrefix;

    std::stop_source m_stop;
    std::function<void()> m_stopped;
    // Runner thread only:
    int m_target = 0;
    int m_published = 0;
    int m_nextWorker = 0;
    int m_leaving = 0; // workers counted out, still sending their last commands
    std::chrono::steady_clock::time_point m_nextReclaim{};
    QByteArray m_reclaimCursor = "0-0";
    std::atomic<int> m_live{0};
    std::atomic<int> m_busy{0};
};

} // namespace perflab::tasks

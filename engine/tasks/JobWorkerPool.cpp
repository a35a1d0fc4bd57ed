// See JobWorkerPool.h.
#include "engine/tasks/JobWorkerPool.h"

#include "engine/async/Cancellation.h"
#include "engine/async/Sleep.h"
#include "engine/settings/SettingsStore.h"
#include "engine/tasks/JobExecution.h"
#include "engine/tasks/JobStoreThread.h"
#include "engine/tasks/TaskMetrics.h"

#include <algorithm>
#include <utility>

namespace perflab::tasks {

namespace {

// The backend this pool serves, as background.queue_backend names it.
bool selected(const settings::SettingsStore &settings)
{
    return settings.view().background.queueBackend == QLatin1String("sqlite");
}

} // namespace

JobWorkerPool::JobWorkerPool(JobStoreThread &store, std::shared_ptr<const JobHandlers> handlers,
                             const settings::SettingsStore &settings, JobMetrics &metrics,
                             std::chrono::milliseconds idlePoll)
    : m_store(store), m_handlers(std::move(handlers)), m_settings(settings), m_metrics(metrics),
      m_idlePoll(idlePoll)
{
}

JobWorkerPool::~JobWorkerPool() = default;

void JobWorkerPool::notifyNewJob()
{
    m_wakeups.tryPush(0); // a full queue already holds plenty of wake-ups
}

void JobWorkerPool::start()
{
    if (m_stop.stop_requested())
        m_stop = std::stop_source();
    m_stopped = nullptr;
    resize();
    if (m_target == 0) {
        // Another backend is selected: drain what an earlier run left pending in the file.
        for (int i = std::max(1, m_settings.view().background.workers); i > 0; --i)
            spawnWorker();
        publishWorkers();
    }
}

void JobWorkerPool::resize()
{
    if (m_stop.stop_requested())
        return;
    m_target = selected(m_settings) ? std::max(1, m_settings.view().background.workers) : 0;
    while (liveWorkers() < m_target)
        spawnWorker();
    for (int surplus = liveWorkers() - m_target; surplus > 0; --surplus)
        notifyNewJob(); // idle workers wake up, see the surplus and retire
    publishWorkers();
}

void JobWorkerPool::spawnWorker()
{
    m_live.fetch_add(1, std::memory_order_relaxed);
    workerLoop(); // detached: it frees itself when it retires
}

void JobWorkerPool::publishWorkers()
{
    const int live = liveWorkers();
    m_metrics.workers->add(live - m_published);
    m_published = live;
}

void JobWorkerPool::unpublishWorkers()
{
    m_metrics.workers->sub(m_published);
    m_published = 0;
}

void JobWorkerPool::beginStop(std::function<void()> stopped)
{
    m_stopped = std::move(stopped);
    m_stop.request_stop();
    if (liveWorkers() == 0 && m_stopped)
        std::exchange(m_stopped, nullptr)();
}

void JobWorkerPool::workerLeft()
{
    m_live.fetch_sub(1, std::memory_order_relaxed);
    publishWorkers();
    if (liveWorkers() == 0 && m_stopped)
        std::exchange(m_stopped, nullptr)();
}

QCoro::Task<> JobWorkerPool::workerLoop()
{
    const std::stop_token stop = m_stop.get_token();
    bool idle = false; // the last claim found nothing pending
    while (!stop.stop_requested()) {
        // A surplus worker retires; while draining (target 0) only once nothing is pending.
        if (liveWorkers() > m_target && (m_target > 0 || idle)) {
            if (m_target > 0)
                notifyNewJob(); // the wake-up this worker may have taken belongs to someone else
            break;
        }
        std::optional<JobRecord> job;
        bool storeFailed = false;
        try {
            metrics::Gauge *depth = m_metrics.queueDepth;
            auto claim = [depth](JobStore &store) {
                auto claimed = store.claimNext();
                if (claimed)
                    depth->dec(); // on the store's thread, ordered with the enqueues' increments
                return claimed;
            };
            job = co_await m_store.call(std::move(claim));
        } catch (const JobStoreError &error) {
            qWarning("perflab: job queue: %s", error.what());
            storeFailed = true;
        }
        if (job) {
            idle = false;
            auto running = runJob(std::move(*job), stop);
            co_await std::move(running);
            continue;
        }
        if (storeFailed) { // back off instead of spinning on a broken store
            try {
                auto pause = async::sleep(m_idlePoll, stop);
                co_await std::move(pause);
            } catch (const async::Cancelled &) {
            }
            continue;
        }
        idle = true;
        if (m_target == 0)
            continue;                                   // drained: retire at the top
        auto waiting = m_wakeups.pop(m_idlePoll, stop); // nullopt on timeout: claim again anyway
        co_await std::move(waiting);
    }
    workerLeft();
}

QCoro::Task<> JobWorkerPool::runJob(JobRecord job, std::stop_token stop)
{
    m_busy.fetch_add(1, std::memory_order_relaxed);
    const QString id = job.id;
    auto executing = executeJob(*m_handlers, std::move(job), stop, m_metrics);
    const JobOutcome outcome = co_await std::move(executing);
    m_busy.fetch_sub(1, std::memory_order_relaxed);
    if (outcome.cancelled)
        co_return; // still `running` in the store: the queue's stop puts it back to pending

    try {
        auto finish = [id, status = outcome.status, result = outcome.result](JobStore &store) {
            store.finish(id, status, result);
        };
        co_await m_store.call(std::move(finish));
    } catch (const JobStoreError &error) {
        // Left `running`: the next start runs it again (at-least-once).
        qWarning("perflab: job %s: result not stored: %s", qPrintable(id), error.what());
        co_return;
    }
    (outcome.status == JobStatus::Completed ? m_metrics.completed : m_metrics.failed)->inc();
}

} // namespace perflab::tasks

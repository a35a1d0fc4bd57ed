// See JobWorkerPool.h.
#include "tasks/JobWorkerPool.h"

#include "async/Cancellation.h"
#include "async/Sleep.h"
#include "settings/SettingsStore.h"
#include "tasks/JobStoreThread.h"
#include "tasks/TaskMetrics.h"

#include <QJsonObject>

#include <algorithm>
#include <utility>

namespace perflab::tasks {

namespace {

QJsonObject errorResult(const QString &message)
{
    return QJsonObject{{QStringLiteral("error"), message}};
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
}

void JobWorkerPool::resize()
{
    if (m_stop.stop_requested())
        return;
    m_target = std::max(1, m_settings.view().background.workers);
    while (liveWorkers() < m_target) {
        m_live.fetch_add(1, std::memory_order_relaxed);
        workerLoop(); // detached: it frees itself when it retires
    }
    for (int surplus = liveWorkers() - m_target; surplus > 0; --surplus)
        notifyNewJob(); // idle workers wake up, see the surplus and retire
    m_metrics.workers->set(liveWorkers());
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
    m_metrics.workers->set(liveWorkers());
    if (liveWorkers() == 0 && m_stopped)
        std::exchange(m_stopped, nullptr)();
}

QCoro::Task<> JobWorkerPool::workerLoop()
{
    const std::stop_token stop = m_stop.get_token();
    while (!stop.stop_requested()) {
        if (liveWorkers() > m_target) {
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
        auto waiting = m_wakeups.pop(m_idlePoll, stop); // nullopt on timeout: claim again anyway
        co_await std::move(waiting);
    }
    workerLeft();
}

QCoro::Task<> JobWorkerPool::runJob(JobRecord job, std::stop_token stop)
{
    m_metrics.started->inc();
    m_metrics.running->inc();
    m_busy.fetch_add(1, std::memory_order_relaxed);
    JobStatus status = JobStatus::Completed;
    QJsonValue result;
    bool cancelled = false;
    if (const JobHandler *handler = m_handlers->find(job.name)) {
        try {
            JobContext context{job.id, job.attempts, stop};
            auto running = (*handler)(job.payload, std::move(context));
            result = co_await std::move(running);
        } catch (const async::Cancelled &) {
            cancelled = true;
        } catch (const std::exception &error) {
            status = JobStatus::Failed;
            result = errorResult(QString::fromLocal8Bit(error.what()));
        } catch (...) {
            status = JobStatus::Failed;
            result = errorResult(QStringLiteral("unknown error"));
        }
    } else {
        status = JobStatus::Failed;
        result = errorResult(QStringLiteral("no handler named ") + job.name);
    }
    m_busy.fetch_sub(1, std::memory_order_relaxed);
    m_metrics.running->dec();
    if (cancelled)
        co_return; // still `running` in the store: the queue's stop puts it back to pending

    try {
        auto finish = [id = job.id, status, result](JobStore &store) { store.finish(id, status, result); };
        co_await m_store.call(std::move(finish));
    } catch (const JobStoreError &error) {
        // Left `running`: the next start runs it again (at-least-once).
        qWarning("perflab: job %s: result not stored: %s", qPrintable(job.id), error.what());
        co_return;
    }
    (status == JobStatus::Completed ? m_metrics.completed : m_metrics.failed)->inc();
}

} // namespace perflab::tasks

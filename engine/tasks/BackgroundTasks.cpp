// See BackgroundTasks.h.
#include "engine/tasks/BackgroundTasks.h"

#include "engine/http/HttpResponse.h"
#include "engine/settings/SettingsStore.h"
#include "engine/tasks/JobQueue.h"

namespace perflab::tasks {

BackgroundRunner::BackgroundRunner(const settings::SettingsStore &settings,
                                   std::shared_ptr<const JobHandlers> handlers, JobQueue &queue,
                                   metrics::Registry &registry)
    : m_settings(settings), m_handlers(std::move(handlers)), m_queue(queue), m_metrics(registry)
{
}

BackgroundMode BackgroundRunner::mode() const
{
    const QString &mode = m_settings.view().background.mode;
    if (mode == QLatin1String("inline"))
        return BackgroundMode::Inline;
    if (mode == QLatin1String("queue"))
        return BackgroundMode::Queue;
    return BackgroundMode::Background;
}

QCoro::Task<> BackgroundRunner::runInProcess(std::vector<Task> tasks) const
{
    for (Task &task : tasks) {
        m_metrics.started->inc();
        m_metrics.running->inc();
        bool ok = false;
        if (const JobHandler *handler = m_handlers->find(task.name)) {
            try {
                auto running = (*handler)(std::move(task.payload), JobContext{});
                co_await std::move(running);
                ok = true;
            } catch (const std::exception &error) {
                qWarning("perflab: background task %s failed: %s", qPrintable(task.name), error.what());
            } catch (...) {
                qWarning("perflab: background task %s failed", qPrintable(task.name));
            }
        } else {
            qWarning("perflab: background task %s has no handler", qPrintable(task.name));
        }
        m_metrics.running->dec();
        (ok ? m_metrics.completed : m_metrics.failed)->inc();
    }
}

BackgroundTasks::BackgroundTasks(const BackgroundRunner &runner) : m_runner(runner), m_mode(runner.mode()) {}

void BackgroundTasks::add(QString name, QJsonObject payload)
{
    m_tasks.push_back({std::move(name), std::move(payload)});
}

QCoro::Task<bool> BackgroundTasks::finish(http::HttpResponse &response)
{
    std::vector<BackgroundRunner::Task> tasks;
    tasks.swap(m_tasks);
    if (tasks.empty())
        co_return true;
    switch (m_mode) {
    case BackgroundMode::Inline: {
        auto running = m_runner.runInProcess(std::move(tasks));
        co_await std::move(running);
        co_return true;
    }
    case BackgroundMode::Background: {
        // One closure for all, so that they run in order as Starlette runs them. It owns the
        // tasks; the runner outlives the server.
        const BackgroundRunner *runner = &m_runner;
        response.backgroundTasks.push_back(
            [runner, tasks = std::move(tasks)]() mutable { return runner->runInProcess(std::move(tasks)); });
        co_return true;
    }
    case BackgroundMode::Queue:
        for (BackgroundRunner::Task &task : tasks) {
            auto enqueueing = m_runner.queue().enqueue(std::move(task.name), std::move(task.payload));
            const EnqueueResult enqueued = co_await std::move(enqueueing);
            if (!enqueued.id) {
                m_error = enqueued.error;
                co_return false;
            }
        }
        co_return true;
    }
    co_return true;
}

} // namespace perflab::tasks

// FastAPI's BackgroundTasks for the lab's routes, in the three ways the setting
// background.mode asks for (read live, once per request):
//   inline     the tasks run before the response is sent: the client waits, to show the cost;
//   background after the response has been written, on the same worker's event loop, one
//              after another in the order added (Starlette's BackgroundTasks);
//   queue      each becomes a job of the durable queue, committed before the response.
//
//     tasks::BackgroundTasks tasks(runner);
//     tasks.add(u"send_email"_s, {{u"email"_s, email}, ...});
//     http::HttpResponse response = http::HttpResponse::json(200, ...);
//     if (!co_await tasks.finish(response))
//         co_return http::HttpResponse::error(503, ...);
//
// A task is a named handler (JobHandlers) with a JSON payload, not a closure, so that queue
// mode can store it.
#pragma once

#include "engine/tasks/JobHandlers.h"
#include "engine/tasks/TaskMetrics.h"

#include <QCoro/QCoroTask>
#include <QJsonObject>
#include <QString>

#include <memory>
#include <vector>

namespace perflab::http {
struct HttpResponse;
}
namespace perflab::metrics {
class Registry;
}
namespace perflab::settings {
class SettingsStore;
}

namespace perflab::tasks {

class JobQueue;

enum class BackgroundMode { Inline, Background, Queue };

// What every request's BackgroundTasks shares: the setting, the handlers, the queue and the
// metrics. Thread-safe; it must outlive the server's workers (background tasks started after
// a response refer to it).
class BackgroundRunner
{
public:
    BackgroundRunner(const settings::SettingsStore &settings, std::shared_ptr<const JobHandlers> handlers,
                     JobQueue &queue, metrics::Registry &registry);

    BackgroundMode mode() const; // background.mode now
    JobQueue &queue() const { return m_queue; }

    struct Task
    {
        QString name;
        QJsonObject payload;
    };
    // Runs the tasks in process, one after another, counting background_tasks_total. A task
    // that fails (or has no handler) is logged and counted; the next one still runs.
    QCoro::Task<> runInProcess(std::vector<Task> tasks) const;

private:
    const settings::SettingsStore &m_settings;
    std::shared_ptr<const JobHandlers> m_handlers;
    JobQueue &m_queue;
    BackgroundTaskMetrics m_metrics;
};

// One per request.
class BackgroundTasks
{
public:
    explicit BackgroundTasks(const BackgroundRunner &runner);

    void add(QString name, QJsonObject payload);
    BackgroundMode mode() const { return m_mode; }

    // Inline: runs the tasks now and resumes when they are done. Background: hands them to
    // the response (HttpResponse::backgroundTasks). Queue: enqueues each and resumes once all
    // are committed; false if the store failed (the caller should answer 503, with error()).
    QCoro::Task<bool> finish(http::HttpResponse &response);
    // Why the last finish() returned false, when the queue said (e.g. "Redis unreachable: ...").
    const QString &error() const { return m_error; }

private:
    const BackgroundRunner &m_runner;
    BackgroundMode m_mode;
    std::vector<BackgroundRunner::Task> m_tasks;
    QString m_error;
};

} // namespace perflab::tasks

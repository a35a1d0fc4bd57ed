// Named task handlers — the functions a job queue worker (or a background task) runs by name,
// as Celery's @task and ARQ's WorkerSettings.functions register them. One registry serves
// all three background modes, so a task added by a route runs the same code inline, after the
// response, or from the durable queue.
#pragma once

#include <QCoro/QCoroTask>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <functional>
#include <stop_token>

namespace perflab::tasks {

struct JobContext
{
    QString jobId;        // empty when run as an in-process background task
    int attempt = 1;      // 1 for the first execution; more after a crash
    std::stop_token stop; // requested when the queue stops: end early with async::Cancelled
};

// Runs on the thread of the caller (an HTTP worker, or the job queue's runner thread), so it
// must not block: await simulated I/O, and move blocking calls to async::runBlocking. It
// must own or copy what it uses. A thrown exception marks the task failed with its what().
using JobHandler = std::function<QCoro::Task<QJsonValue>(QJsonObject payload, JobContext context)>;

// Filled before the queue and the server start, read-only (and so thread-safe) afterwards.
class JobHandlers
{
public:
    // Replaces a handler of the same name.
    void add(const QString &name, JobHandler handler) { m_handlers.emplace(name, std::move(handler)); }
    const JobHandler *find(const QString &name) const
    {
        const auto it = m_handlers.constFind(name);
        return it == m_handlers.cend() ? nullptr : &it.value();
    }
    QStringList names() const { return m_handlers.keys(); }

private:
    QHash<QString, JobHandler> m_handlers;
};

} // namespace perflab::tasks

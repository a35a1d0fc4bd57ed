// See JobExecution.h.
#include "engine/tasks/JobExecution.h"

#include "engine/async/Cancellation.h"
#include "engine/tasks/TaskMetrics.h"

#include <QJsonObject>

namespace perflab::tasks {

namespace {

QJsonObject errorResult(const QString &message)
{
    return QJsonObject{{QStringLiteral("error"), message}};
}

} // namespace

QCoro::Task<JobOutcome> executeJob(const JobHandlers &handlers, JobRecord job, std::stop_token stop,
                                   JobMetrics &metrics)
{
    metrics.started->inc();
    metrics.running->inc();
    JobOutcome outcome;
    if (const JobHandler *handler = handlers.find(job.name)) {
        try {
            JobContext context{job.id, job.attempts, stop};
            auto running = (*handler)(job.payload, std::move(context));
            outcome.result = co_await std::move(running);
        } catch (const async::Cancelled &) {
            outcome.cancelled = true;
        } catch (const std::exception &error) {
            outcome.status = JobStatus::Failed;
            outcome.result = errorResult(QString::fromLocal8Bit(error.what()));
        } catch (...) {
            outcome.status = JobStatus::Failed;
            outcome.result = errorResult(QStringLiteral("unknown error"));
        }
    } else {
        outcome.status = JobStatus::Failed;
        outcome.result = errorResult(QStringLiteral("no handler named ") + job.name);
    }
    metrics.running->dec();
    co_return outcome;
}

} // namespace perflab::tasks

// See TaskMetrics.h.
#include "engine/tasks/TaskMetrics.h"

#include "engine/metrics/Registry.h"

namespace perflab::tasks {

BackgroundTaskMetrics::BackgroundTaskMetrics(metrics::Registry &registry)
{
    auto &family = registry.counterFamily(QStringLiteral("background_tasks_total"),
                                          QStringLiteral("Background tasks run in process, by state."),
                                          {QStringLiteral("state")});
    started = family.withLabels({QStringLiteral("started")});
    completed = family.withLabels({QStringLiteral("completed")});
    failed = family.withLabels({QStringLiteral("failed")});
    running = registry
                  .gaugeFamily(QStringLiteral("background_tasks_running"),
                               QStringLiteral("Background tasks running in process now."))
                  .series();
}

JobMetrics::JobMetrics(metrics::Registry &registry)
{
    auto &jobs = registry.counterFamily(QStringLiteral("jobs_total"),
                                        QStringLiteral("Jobs of the durable queue, by state reached."),
                                        {QStringLiteral("state")});
    enqueued = jobs.withLabels({QStringLiteral("enqueued")});
    started = jobs.withLabels({QStringLiteral("started")});
    completed = jobs.withLabels({QStringLiteral("completed")});
    failed = jobs.withLabels({QStringLiteral("failed")});
    recovered = jobs.withLabels({QStringLiteral("recovered")});
    queueDepth = registry
                     .gaugeFamily(QStringLiteral("job_queue_depth"),
                                  QStringLiteral("Jobs waiting in the durable queue."))
                     .series();
    workers = registry
                  .gaugeFamily(QStringLiteral("job_workers"),
                               QStringLiteral("Workers of the job queue (setting background.workers)."))
                  .series();
    running = registry
                  .gaugeFamily(QStringLiteral("jobs_running"),
                               QStringLiteral("Jobs a worker of this process runs now."))
                  .series();
}

} // namespace perflab::tasks

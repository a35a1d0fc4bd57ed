// The metric handles of background tasks and of the job queue (background_tasks_total{state},
// jobs_total{state}, job_queue_depth; docs/reference/metrics.md), resolved once from a
// Registry and shared by every thread that records them (recording never locks).
#pragma once

#include "engine/metrics/Counter.h"

namespace perflab::metrics {
class Registry;
}

namespace perflab::tasks {

// background_tasks_total{state="started"|"completed"|"failed"}: tasks run in process
// (background.mode inline or background). In queue mode they are jobs and count as such.
struct BackgroundTaskMetrics
{
    explicit BackgroundTaskMetrics(metrics::Registry &registry);

    metrics::Counter *started;
    metrics::Counter *completed;
    metrics::Counter *failed;
    metrics::Gauge *running; // background_tasks_running
};

// jobs_total{state="enqueued"|"started"|"completed"|"failed"|"recovered"}, where "recovered"
// counts jobs a crashed process had left running and that were put back to run again;
// job_queue_depth: jobs pending in the store; job_workers: the worker pool's live size.
struct JobMetrics
{
    explicit JobMetrics(metrics::Registry &registry);

    metrics::Counter *enqueued;
    metrics::Counter *started;
    metrics::Counter *completed;
    metrics::Counter *failed;
    metrics::Counter *recovered;
    metrics::Gauge *queueDepth;
    metrics::Gauge *workers;
    metrics::Gauge *running; // jobs_running: jobs a worker of this process runs now
};

} // namespace perflab::tasks

// One execution of a job's handler, the same for every backend: the handler found by name,
// its exceptions turned into a failed result, a stop request into "cancelled", and the
// started/running metrics kept. Storing the outcome is the backend's business.
#pragma once

#include "engine/tasks/JobHandlers.h"
#include "engine/tasks/JobRecord.h"

#include <QCoro/QCoroTask>

#include <stop_token>

namespace perflab::tasks {

struct JobMetrics;

struct JobOutcome
{
    JobStatus status = JobStatus::Completed; // Completed or Failed
    QJsonValue result;                       // the handler's value, or {"error": "..."} when it failed
    bool cancelled = false; // the stop was requested and the handler ended early: store nothing
};

// On the worker's thread; `job.attempts` is the execution's number (1 for the first).
QCoro::Task<JobOutcome> executeJob(const JobHandlers &handlers, JobRecord job, std::stop_token stop,
                                   JobMetrics &metrics);

} // namespace perflab::tasks

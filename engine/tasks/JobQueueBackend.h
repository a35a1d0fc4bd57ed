// What every durable job queue backend offers the lab (guide chapter 2: Celery's
// process_data.delay() and AsyncResult, ARQ's enqueue_job and Job.status): the SQLite file of
// this process (SqliteJobQueue) or Redis Streams shared by every instance (RedisJobQueue).
// JobQueue picks one per job from the setting background.queue_backend.
//
// enqueue() and find() may be awaited from any thread with an event loop (HTTP workers) and
// resume there. start() and stop() block and belong to the thread that owns the backend.
#pragma once

#include "engine/tasks/JobRecord.h"

#include <QCoro/QCoroTask>
#include <QJsonObject>
#include <QString>

#include <chrono>
#include <optional>

namespace perflab::tasks {

// How enqueue() went: the job's id once it is stored (acknowledged to the client), else why
// not. `error` may be empty when the backend logged its reason instead (SQLite).
struct EnqueueResult
{
    std::optional<QString> id;
    QString error; // e.g. "Redis unreachable: connection refused at 127.0.0.1:6379"
};

// How find() went: `job` is empty for an unknown id unless the store failed.
struct JobLookup
{
    std::optional<JobRecord> job;
    bool storeFailed = false;
    QString error; // when storeFailed: why, in words (may be empty, see EnqueueResult)
};

class JobQueueBackend
{
public:
    virtual ~JobQueueBackend() = default;

    virtual QString backendName() const = 0; // "sqlite", "redis": the setting's choice

    // nullopt on success, else what went wrong (nothing is left running).
    virtual std::optional<QString> start() = 0;
    // Stops the workers (running handlers are cancelled and their jobs put back), waits up to
    // `grace` for them. Blocks. Stop the HTTP server first.
    virtual void stop(std::chrono::milliseconds grace) = 0;
    virtual bool isRunning() const = 0;

    // Stores a pending job and resumes with its id (a UUID). A name without a handler is
    // accepted; the job then fails when it runs.
    virtual QCoro::Task<EnqueueResult> enqueue(QString name, QJsonObject payload) = 0;
    virtual QCoro::Task<JobLookup> find(QString id) = 0;

    virtual int workerCount() const = 0;     // live workers of this process
    virtual int busyWorkerCount() const = 0; // workers running a handler now
};

} // namespace perflab::tasks

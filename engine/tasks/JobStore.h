// The job queue's rows in SQLite: the jobs table, and the few statements the queue needs
// (enqueue, claim, finish, crash recovery, look-up). Synchronous and single-threaded: a
// QSqlDatabase connection belongs to the thread that opened it, so a JobStore is created,
// used and destroyed on one thread — JobStoreThread's.
//
// Durability: WAL journal with synchronous=FULL. With WAL, NORMAL already survives a crash of
// the process (SIGKILL), but a power loss or kernel panic may roll back the last commits; an
// enqueue answered with a job id is a promise that the job will run, so every commit is
// fsynced before the answer. The cost is one WAL fsync per commit (enqueue, claim, finish),
// small next to jobs that last seconds.
#pragma once

#include "engine/tasks/JobRecord.h"

#include <QSqlDatabase>
#include <QString>

#include <optional>
#include <stdexcept>

namespace perflab::tasks {

// A statement failed (disk full, file unreadable, database locked by another program): the
// store cannot keep its promises, which is exceptional.
class JobStoreError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

class JobStore
{
public:
    // Opens (creating) the database file and its schema; throws JobStoreError on failure.
    explicit JobStore(const QString &filePath);
    ~JobStore();
    JobStore(const JobStore &) = delete;
    JobStore &operator=(const JobStore &) = delete;

    // Writes a new pending job and commits; the job's id, name and payload are used.
    void insert(const JobRecord &job);

    // The oldest pending job, marked running with one more attempt, in one statement (one
    // commit); nullopt when none is pending.
    std::optional<JobRecord> claimNext();

    // Stores the outcome of a running job: Completed or Failed, with its result.
    void finish(const QString &id, JobStatus status, const QJsonValue &result);

    struct Recovery
    {
        int requeued = 0;  // running -> pending, to run again
        int abandoned = 0; // running -> failed: `maxAttempts` executions started and none finished
    };
    // Jobs left running by a process that is gone. Only call it when no worker of this store's
    // database is running (JobQueue holds a lock file for that).
    Recovery recoverRunning(int maxAttempts);

    std::optional<JobRecord> find(const QString &id);
    int countWithStatus(JobStatus status);

    const QString &filePath() const { return m_filePath; }

private:
    void exec(const QString &sql);
    void migrate();

    QString m_filePath;
    QString m_connectionName;
    QSqlDatabase m_db;
};

} // namespace perflab::tasks

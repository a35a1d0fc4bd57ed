// The Redis job queue's commands, one coroutine each: what the routes need (enqueue, find) and
// what a worker needs (read, reclaim, start, renew, finish, requeue), over Redis Streams:
//
//   stream "{prefix}:stream"    one entry per job waiting or running: id, name, payload,
//                               created_at. Deleted once the job's result is stored.
//   group  (config.group)       every instance's workers read as consumers of this group;
//                               an entry read and not yet acknowledged is in the group's
//                               pending list under its consumer's name.
//   hash   "{prefix}:job:<id>"  status, result, attempts, name, payload and times (ms since
//                               the epoch); expires config.resultTtl after its last change.
//
// Every coroutine runs its commands on the calling thread (the client's connection of that
// thread, or the worker's own blocking connection for XREADGROUP) and resumes there.
// Failures come back as words ("Redis unreachable: connection refused at 127.0.0.1:6379").
#pragma once

#include "engine/redis/RedisReply.h"
#include "engine/tasks/JobExecution.h"
#include "engine/tasks/JobQueueBackend.h"
#include "engine/tasks/JobQueueConfig.h"

#include <QByteArray>
#include <QCoro/QCoroTask>
#include <QJsonObject>

#include <optional>

namespace perflab::redis {
class RedisClient;
class RedisConnection;
} // namespace perflab::redis

namespace perflab::tasks {

// A job as a worker receives it from the stream.
struct RedisJobEntry
{
    QByteArray entryId; // the stream entry, e.g. "1733311111111-0"
    QString id;
    QString name;
    QByteArray payload; // JSON text, as stored
    QByteArray createdAt;
};

// What a read (XREADGROUP) or a reclaim (XAUTOCLAIM) gave.
struct RedisJobRead
{
    std::optional<RedisJobEntry> entry; // none: nothing waiting (or nothing to reclaim)
    QString error;                      // non-empty: the command failed
    bool noGroup = false;               // the failure is a missing group (Redis lost its data)
    QByteArray nextCursor;              // reclaim only: where the next XAUTOCLAIM goes on
};

struct RedisJobStart
{
    bool run = false; // false: abandoned (a poison job, failed now) or an error
    int attempt = 0;  // this execution's number
    QString error;    // non-empty: the command failed; the entry stays pending, for a reclaim
};

class RedisJobStore
{
public:
    RedisJobStore(redis::RedisClient &client, RedisQueueConfig config, int maxAttempts);

    QByteArray streamKey() const;
    QByteArray jobKey(const QString &id) const;
    const RedisQueueConfig &config() const { return m_config; }

    // Any thread with an event loop. The job is pending in Redis when an id comes back.
    QCoro::Task<EnqueueResult> enqueue(QString name, QJsonObject payload);
    QCoro::Task<JobLookup> find(QString id);
    // Entries no worker has read yet; nullopt when Redis did not answer.
    QCoro::Task<std::optional<qint64>> depth();

    // Worker side. Creates the group (and the stream) if missing; empty or the failure.
    QCoro::Task<QString> ensureGroup();
    // One new entry for `consumer`, waiting up to config.block on `reader` (a connection of
    // the worker's own: the wait stalls every command behind it on its socket).
    QCoro::Task<RedisJobRead> readNew(redis::RedisConnection &reader, QByteArray consumer);
    // One entry pending longer than the visibility timeout, taken over by `consumer`.
    QCoro::Task<RedisJobRead> reclaim(QByteArray consumer, QByteArray cursor);
    QCoro::Task<RedisJobStart> start(RedisJobEntry entry, QByteArray consumer, bool reclaimed);
    // Resets the entry's idle time so that no one reclaims it while its handler runs.
    QCoro::Task<> renewClaim(QByteArray entryId, QByteArray consumer);
    // Stores the result, then acknowledges: empty or the failure.
    QCoro::Task<QString> finish(RedisJobEntry entry, JobOutcome outcome);
    // Puts a job whose execution was stopped back as pending: empty or the failure.
    QCoro::Task<QString> requeue(RedisJobEntry entry);
    // Removes a consumer that holds nothing any more, so the group does not collect them.
    QCoro::Task<> removeConsumer(QByteArray consumer);

private:
    QCoro::Task<redis::RedisReply> eval(const char *script, QList<QByteArray> keys, QList<QByteArray> args);

    redis::RedisClient &m_client;
    const RedisQueueConfig m_config;
    const int m_maxAttempts;
};

} // namespace perflab::tasks

// How the job queue's backends are set up: where the SQLite queue keeps its file, and the
// Redis Streams queue's names and timings. The lab uses the defaults; tests shorten the
// timings and give each test its own key prefix on a shared Redis.
#pragma once

#include <QByteArray>
#include <QString>

#include <chrono>

namespace perflab::tasks {

struct RedisQueueConfig
{
    // Keys: "{<prefix>}:stream" (the stream) and "{<prefix>}:job:<id>" (one hash per job).
    // The braces are a Redis Cluster hash tag: a job's hash and the stream share a slot, so
    // the scripts that touch both are allowed there too. Instances that share the prefix (and
    // the Redis) share the queue.
    QByteArray keyPrefix = "perflab:jobs";
    QByteArray group = "perflab-workers"; // the consumer group every instance's workers join
    // A job read by a worker and not acknowledged within this long (its worker died, or its
    // process stopped without handing it back) is claimed again by another worker (XAUTOCLAIM).
    // A running job's worker renews its claim every third of it, so a long job is not taken
    // from a living worker.
    std::chrono::milliseconds visibilityTimeout{30000};
    // How long one XREADGROUP waits for a new entry (on the worker's own connection).
    std::chrono::milliseconds block{1000};
    // A job's hash expires this long after its last change (so finished jobs are found for a
    // day, then /job/{id} answers 404).
    std::chrono::seconds resultTtl{24 * 3600};
    // How often the depth (job_queue_depth) is measured while the backend is in use.
    std::chrono::milliseconds depthInterval{250};
};

struct JobQueueConfig
{
    // Holds jobs.sqlite (with its -wal and -shm files) and jobs.lock; created if missing.
    QString dataDir;
    // A job whose executions keep dying with their worker (a poison job) is failed after this
    // many started executions instead of running again (both backends).
    int maxAttempts = 5;
    // How long an idle SQLite worker sleeps before looking at the store again without being woken.
    std::chrono::milliseconds idlePoll{1000};
    RedisQueueConfig redis;
};

} // namespace perflab::tasks

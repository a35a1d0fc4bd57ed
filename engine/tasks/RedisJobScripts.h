// The Lua scripts of the Redis job queue. Each step that touches a job's hash and the stream
// runs as one script, so Redis applies it whole or not at all: a job is never in the stream
// without its hash, and never acknowledged without its result (acks_late).
//
// Keys: KEYS[1] the stream, KEYS[2] the job's hash. Times are milliseconds since the epoch,
// given by the caller.
#pragma once

namespace perflab::tasks::redisscripts {

// ARGV: id, name, payload, created_at, ttl_s. The hash as pending, then XADD. Returns the
// stream entry's id.
extern const char *const kEnqueue;

// ARGV: group, entry, id, name, payload, created_at, now, consumer, reclaimed (0|1),
// max_attempts, ttl_s, abandoned_result.
// A reclaimed entry whose job has started max_attempts times already is failed with
// abandoned_result and acknowledged: {0, attempts}. Otherwise attempts + 1, running:
// {1, attempts}. The hash is made again from the entry if it has expired meanwhile.
extern const char *const kStart;

// ARGV: group, entry, status, result, now, ttl_s. Stores the result, then XACK and XDEL.
extern const char *const kFinish;

// ARGV: group, entry, id, name, payload, created_at. A job whose execution was stopped goes
// back as a new entry (pending again at once, for any worker) and the old one is removed.
extern const char *const kRequeue;

// ARGV: group. Entries no consumer of the group has read yet: XLEN minus the group's pending
// entries (acknowledged entries are deleted, so the stream holds only unread and pending).
extern const char *const kDepth;

} // namespace perflab::tasks::redisscripts

// See RedisJobScripts.h.
#include "engine/tasks/RedisJobScripts.h"

namespace perflab::tasks::redisscripts {

const char *const kEnqueue = R"lua(
redis.call('HSET', KEYS[2], 'id', ARGV[1], 'name', ARGV[2], 'payload', ARGV[3], 'status', 'pending',
           'attempts', 0, 'created_at', ARGV[4])
local entry = redis.call('XADD', KEYS[1], '*', 'id', ARGV[1], 'name', ARGV[2], 'payload', ARGV[3],
                         'created_at', ARGV[4])
redis.call('HSET', KEYS[2], 'entry', entry)
redis.call('EXPIRE', KEYS[2], ARGV[5])
return entry
)lua";

const char *const kStart = R"lua(
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('HSET', KEYS[2], 'id', ARGV[3], 'name', ARGV[4], 'payload', ARGV[5], 'created_at', ARGV[6],
             'attempts', 0)
end
local attempts = tonumber(redis.call('HGET', KEYS[2], 'attempts') or '0')
if ARGV[9] == '1' and attempts >= tonumber(ARGV[10]) then
  redis.call('HSET', KEYS[2], 'status', 'failed', 'result', ARGV[12], 'finished_at', ARGV[7])
  redis.call('EXPIRE', KEYS[2], ARGV[11])
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
  redis.call('XDEL', KEYS[1], ARGV[2])
  return {0, attempts}
end
attempts = redis.call('HINCRBY', KEYS[2], 'attempts', 1)
redis.call('HSET', KEYS[2], 'status', 'running', 'started_at', ARGV[7], 'consumer', ARGV[8], 'entry', ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[11])
return {1, attempts}
)lua";

const char *const kFinish = R"lua(
redis.call('HSET', KEYS[2], 'status', ARGV[3], 'result', ARGV[4], 'finished_at', ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
)lua";

const char *const kRequeue = R"lua(
local entry = redis.call('XADD', KEYS[1], '*', 'id', ARGV[3], 'name', ARGV[4], 'payload', ARGV[5],
                         'created_at', ARGV[6])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[2], 'status', 'pending', 'entry', entry)
return entry
)lua";

const char *const kDepth = R"lua(
local length = redis.call('XLEN', KEYS[1])
local pending = redis.pcall('XPENDING', KEYS[1], ARGV[1])
if type(pending) ~= 'table' or pending.err then
  return length
end
return length - pending[1]
)lua";

} // namespace perflab::tasks::redisscripts

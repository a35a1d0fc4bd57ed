// The Redis page's line of state in words: where the cache's Redis is, whether the cache uses it,
// and, when Redis does not answer, why ("Redis unreachable: connection refused at
// 127.0.0.1:6379"), from the lab's Redis client (redis::RedisHealth).
#pragma once

#include "engine/redis/RedisClient.h"

#include <QString>

namespace perflab::ui {

// `inUse`: the cache's backend is redis now (the client is then monitored, so its health is fresh).
QString redisStatusLine(const redis::RedisHealth &health, bool inUse);

} // namespace perflab::ui

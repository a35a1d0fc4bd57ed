// See RedisStatusLine.h.
#include "ui/panels/RedisStatusLine.h"

namespace perflab::ui {

QString redisStatusLine(const redis::RedisHealth &health, bool inUse)
{
    if (!health.configured)
        return QStringLiteral(
            "Cache's Redis: none configured (redis.url, cache.redis_url or serve --redis).");
    if (!inUse)
        return QStringLiteral("Cache's Redis %1: not in use (cache backend memory).").arg(health.address);
    if (health.up)
        return QStringLiteral("Cache's Redis %1: up, the cache is there.").arg(health.address);
    return QStringLiteral("Cache's Redis: %1 — requests read the database meanwhile.").arg(health.reason);
}

} // namespace perflab::ui

// See SelectedCache.h.
#include "engine/cache/SelectedCache.h"

#include "engine/cache/MemoryCache.h"
#include "engine/cache/RedisCache.h"
#include "engine/redis/RedisClient.h"
#include "engine/redis/RedisUrl.h"
#include "engine/settings/SettingsStore.h"

namespace perflab::cache {

SelectedCache::SelectedCache(MemoryCache &memory, RedisCache &redis, redis::RedisClient &client,
                             settings::SettingsStore &settings)
    : m_memory(memory), m_redis(redis), m_client(client), m_inProcess(&memory)
{
    follow(*settings.current());
    // No context object: a direct call on the patching thread, so that the PATCH's reply
    // already holds (the next request uses the new backend). Everything follow() touches is
    // thread-safe.
    m_connection = QObject::connect(
        &settings, &settings::SettingsStore::changed,
        [this, &settings](const QJsonObject &, const QJsonObject &) { follow(*settings.current()); });
}

SelectedCache::~SelectedCache()
{
    QObject::disconnect(m_connection);
}

void SelectedCache::follow(const settings::LabSettings &settings)
{
    const std::lock_guard lock(m_followMutex);
    std::optional<redis::RedisUrl> url;
    if (const QString text = settings.cacheRedisUrl(); !text.isEmpty())
        url = redis::parseRedisUrl(text).url; // the settings validated it
    // Connections follow a new address by themselves; a Redis that does not answer is only
    // reported (health, redis_up): a settings change never waits on the network.
    m_client.setUrl(url);
    m_redisConfigured.store(url.has_value(), std::memory_order_relaxed);
    const bool redis = settings.cache.backend == QLatin1String("redis") && url.has_value();
    if (redis == usesRedis())
        return;
    m_inProcess.store(redis ? nullptr : &m_memory, std::memory_order_relaxed);
    m_usesRedis.store(redis, std::memory_order_relaxed);
    m_memory.clear();
    m_client.setMonitoring(redis);
}

Cache &SelectedCache::selected()
{
    if (usesRedis())
        return m_redis;
    return m_memory;
}

// Not coroutines: the selected backend's task is handed on as it is, no frame of our own.
QCoro::Task<std::optional<QByteArray>> SelectedCache::get(QByteArray key)
{
    return selected().get(std::move(key));
}

QCoro::Task<> SelectedCache::set(QByteArray key, QByteArray value, std::chrono::milliseconds ttl)
{
    return selected().set(std::move(key), std::move(value), ttl);
}

QCoro::Task<> SelectedCache::remove(QByteArray key)
{
    m_memory.erase(key);
    if (!m_redisConfigured.load(std::memory_order_relaxed))
        co_return;
    auto removing = m_redis.remove(std::move(key));
    co_await std::move(removing);
}

CacheStats SelectedCache::stats() const
{
    if (usesRedis())
        return m_redis.stats();
    return m_memory.stats();
}

QByteArrayView SelectedCache::timingName() const noexcept
{
    // Whenever a call may wait on Redis: with the memory backend that is remove() alone (the
    // routes reach memory's get and set through inProcess()).
    if (m_redisConfigured.load(std::memory_order_relaxed))
        return m_redis.timingName();
    return {};
}

} // namespace perflab::cache

// The cache the lab's routes hold: the backend that cache.backend names (memory or redis), on
// the Redis that LabSettings::cacheRedisUrl() names, switched live on every settings change
// (PATCH /admin/settings and the desktop panel both go through the SettingsStore): no restart,
// and a request in flight finishes on the backend it started with.
//
// - memory: inProcess() is the MemoryCache, so the routes' hot path is the same synchronous
//   lookup as without this class (one more relaxed atomic load).
// - redis: inProcess() is null, every call goes to the RedisCache, and the RedisClient monitors
//   Redis (a PING a second) so that its health follows Redis without any traffic.
//
// A switch empties the memory cache: what it held may have been changed meanwhile through the
// other backend. remove() invalidates the key in both backends (Redis only when one is
// configured), so that switching back to Redis, or another instance that shares it, cannot
// serve a row written while this one used memory.
#pragma once

#include "engine/cache/Cache.h"

#include <QMetaObject>

#include <atomic>
#include <mutex>

namespace perflab::redis {
class RedisClient;
}
namespace perflab::settings {
class SettingsStore;
struct LabSettings;
} // namespace perflab::settings

namespace perflab::cache {

class RedisCache;

class SelectedCache final : public Cache
{
public:
    // Follows `settings` from now on (on the thread that patches them); all four must outlive it.
    SelectedCache(MemoryCache &memory, RedisCache &redis, redis::RedisClient &client,
                  settings::SettingsStore &settings);
    ~SelectedCache() override;
    SelectedCache(const SelectedCache &) = delete;
    SelectedCache &operator=(const SelectedCache &) = delete;

    bool usesRedis() const noexcept { return m_usesRedis.load(std::memory_order_relaxed); }

    QCoro::Task<std::optional<QByteArray>> get(QByteArray key) override;
    QCoro::Task<> set(QByteArray key, QByteArray value, std::chrono::milliseconds ttl) override;
    QCoro::Task<> remove(QByteArray key) override;
    CacheStats stats() const override; // the selected backend's
    MemoryCache *inProcess() noexcept override { return m_inProcess.load(std::memory_order_relaxed); }
    QByteArrayView timingName() const noexcept override;

private:
    void follow(const settings::LabSettings &settings);
    Cache &selected();

    MemoryCache &m_memory;
    RedisCache &m_redis;
    redis::RedisClient &m_client;
    std::atomic<MemoryCache *> m_inProcess;
    std::atomic<bool> m_usesRedis{false};
    std::atomic<bool> m_redisConfigured{false};
    std::mutex m_followMutex; // two patches on two threads apply one after the other
    QMetaObject::Connection m_connection;
};

} // namespace perflab::cache

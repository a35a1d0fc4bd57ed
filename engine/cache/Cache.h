// The cache interface handlers use (guide chapter 3: cache-aside): the in-process MemoryCache,
// the RedisCache shared by every instance, and the SelectedCache that follows the settings'
// choice between them. Keys and values are bytes; values are usually serialized JSON, stored
// as the handler will send it.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <QCoro/QCoroTask>

#include <chrono>
#include <cstdint>
#include <optional>

namespace perflab::cache {

class MemoryCache;

// Figures for /admin/stats and reports. Evictions count entries removed by the cache itself,
// never those removed by remove().
struct CacheStats
{
    const char *backend = "memory"; // "memory" or "redis"
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t errors = 0;         // requests the backend could not answer (Redis away)
    std::uint64_t evictedLru = 0;     // pushed out by max entries
    std::uint64_t evictedExpired = 0; // found past their TTL
    std::int64_t entries = 0;         // -1: not known to this process (Redis holds them)
    std::int64_t maxEntries = 0;      // 0: no limit known to this process (e.g. Redis)
};

class Cache
{
public:
    virtual ~Cache() = default;

    // The value, or nullopt on a miss (absent or expired). A backend that cannot answer (Redis
    // unreachable) answers a miss, so that the caller reads the source instead of failing.
    virtual QCoro::Task<std::optional<QByteArray>> get(QByteArray key) = 0;
    // Stores the value for `ttl`; a ttl <= 0 stores nothing and drops an existing entry
    // (Redis refuses SETEX 0; an entry that is stale at once is the same as none).
    virtual QCoro::Task<> set(QByteArray key, QByteArray value, std::chrono::milliseconds ttl) = 0;
    // Set and remove are dropped when the backend cannot answer (counted as errors).
    virtual QCoro::Task<> remove(QByteArray key) = 0;
    virtual CacheStats stats() const = 0;

    // The in-process cache behind this backend when it answers without suspending, so that a
    // hot path can call its synchronous API and skip a coroutine frame; null for a backend
    // that does real I/O.
    virtual MemoryCache *inProcess() noexcept { return nullptr; }

    // The Server-Timing part under which a handler reports the time it waited on this backend
    // ("redis"); empty: not reported (an in-process cache answers in nanoseconds).
    virtual QByteArrayView timingName() const noexcept { return {}; }
};

} // namespace perflab::cache

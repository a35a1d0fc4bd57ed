// The cache interface handlers use (seed chapter 3: cache-aside), so that a Redis backend can
// be added without touching them. Keys and values are bytes; values are usually serialized
// JSON, stored as the handler will send it.
#pragma once

#include <QByteArray>

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
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t evictedLru = 0;     // pushed out by max entries
    std::uint64_t evictedExpired = 0; // found past their TTL
    std::int64_t entries = 0;
    std::int64_t maxEntries = 0; // 0: no limit known to this process (e.g. Redis)
};

class Cache
{
public:
    virtual ~Cache() = default;

    // The value, or nullopt on a miss (absent or expired).
    virtual QCoro::Task<std::optional<QByteArray>> get(QByteArray key) = 0;
    // Stores the value for `ttl`; a ttl <= 0 stores nothing and drops an existing entry
    // (Redis refuses SETEX 0; an entry that is stale at once is the same as none).
    virtual QCoro::Task<> set(QByteArray key, QByteArray value, std::chrono::milliseconds ttl) = 0;
    virtual QCoro::Task<> remove(QByteArray key) = 0;
    virtual CacheStats stats() const = 0;

    // The in-process cache behind this backend when it answers without suspending, so that a
    // hot path can call its synchronous API and skip a coroutine frame; null for a backend
    // that does real I/O.
    virtual MemoryCache *inProcess() noexcept { return nullptr; }
};

} // namespace perflab::cache

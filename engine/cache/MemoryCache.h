// The in-process cache backend: TTL and LRU eviction at a maximum entry count (cachetools'
// TTLCache, which the guide uses), sharded so that the server's worker threads rarely meet on
// a lock.
//
// Each of the shards (16 by default, chosen by key hash) has its own mutex, hash map and
// intrusive recency list; a lookup locks one shard. The limit is global: an insert beyond it
// evicts the least recently used entry of all shards, found from the time each shard
// publishes for its list's tail (an atomic, read without taking the other shards' locks).
// So eviction follows LRU exactly for one writer and closely under concurrent use, and a
// limit below the shard count works too.
//
// Everything answers without suspending: the synchronous API (tryGet/put/erase) is the one
// hot paths call; the Cache coroutines wrap it for code written against any backend.
// Expired entries are dropped when met (a lookup, the LRU tail) or by purgeExpired().
#pragma once

#include "engine/cache/Cache.h"

#include <QByteArrayView>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

namespace perflab::metrics {
class Counter;
class Gauge;
class Registry;
} // namespace perflab::metrics

namespace perflab::cache {

struct MemoryCacheOptions
{
    qsizetype maxEntries = 10'000; // at least 1
    std::chrono::milliseconds defaultTtl = std::chrono::seconds(300);
    int shards = 16; // rounded up to a power of two; 1 gives an exact LRU
    // The time source; empty: std::chrono::steady_clock. Tests pass a clock they can move.
    std::function<std::chrono::steady_clock::time_point()> clock;
};

class MemoryCache final : public Cache
{
public:
    using Clock = std::chrono::steady_clock;

    // Registers cache_requests_total{backend="memory",result}, cache_entries and
    // cache_evictions_total{reason} in `registry`, which must outlive the cache. The figures are per
    // registry: give each cache its own (the lab has one cache).
    explicit MemoryCache(metrics::Registry &registry, MemoryCacheOptions options = {});
    ~MemoryCache() override;
    MemoryCache(const MemoryCache &) = delete;
    MemoryCache &operator=(const MemoryCache &) = delete;

    // All members are thread-safe.

    // A copy of the value (implicitly shared: no allocation), counting a hit or a miss.
    std::optional<QByteArray> tryGet(QByteArrayView key);
    // ttl <= 0 stores nothing and drops an existing entry (see Cache::set).
    void put(QByteArray key, QByteArray value, std::chrono::milliseconds ttl);
    void put(QByteArray key, QByteArray value) { put(std::move(key), std::move(value), defaultTtl()); }
    // True when the key was present (expired or not). Not counted as an eviction.
    bool erase(QByteArrayView key);
    // Drops every entry; not counted as evictions.
    void clear();
    // Drops every expired entry now (counted as expired evictions); returns how many.
    qsizetype purgeExpired();

    // Live limits (settings cache.max_entries, cache.ttl_s). Shrinking evicts at once, oldest
    // first; a new default TTL applies to later put()s only.
    void setMaxEntries(qsizetype maxEntries);
    qsizetype maxEntries() const { return m_maxEntries.load(std::memory_order_relaxed); }
    void setDefaultTtl(std::chrono::milliseconds ttl);
    std::chrono::milliseconds defaultTtl() const;

    // Entries held, expired ones not yet dropped included.
    qsizetype size() const { return m_count.load(std::memory_order_relaxed); }
    int shardCount() const { return m_shardCount; }

    // Cache: complete without suspending.
    QCoro::Task<std::optional<QByteArray>> get(QByteArray key) override;
    QCoro::Task<> set(QByteArray key, QByteArray value, std::chrono::milliseconds ttl) override;
    QCoro::Task<> remove(QByteArray key) override;
    CacheStats stats() const override;
    MemoryCache *inProcess() noexcept override { return this; }

private:
    struct Entry;
    struct Shard;
    enum class Reason { Lru, Expired };

    Clock::time_point now() const { return m_clock ? m_clock() : Clock::now(); }
    Shard &shardFor(std::size_t hash) const;
    // Requires the shard's lock and a non-empty shard: drops its least recently used entry,
    // counted as expired when it is past its TTL, else as an LRU eviction.
    void evictOldestLocked(Shard &shard, Clock::time_point now);
    // Evicts the least recently used entry of all shards; false when there was none.
    bool evictGloballyOldest();
    void countRemoved(qsizetype n, metrics::Counter *reason = nullptr);

    std::function<Clock::time_point()> m_clock;
    int m_shardCount = 1;
    int m_shardBits = 0;
    std::unique_ptr<Shard[]> m_shards;
    std::atomic<qsizetype> m_count{0};
    std::atomic<qsizetype> m_maxEntries;
    std::atomic<qint64> m_defaultTtlMs;

    metrics::Counter *m_hits;
    metrics::Counter *m_misses;
    metrics::Counter *m_errors; // never counted: an in-process cache always answers
    metrics::Counter *m_evictedLru;
    metrics::Counter *m_evictedExpired;
    metrics::Gauge *m_entries;
};

} // namespace perflab::cache

// See MemoryCache.h.
#include "engine/cache/MemoryCache.h"

#include "engine/cache/CacheMetrics.h"
#include "engine/metrics/Registry.h"

#include <QStringList>

#include <algorithm>
#include <bit>
#include <limits>
#include <mutex>
#include <string_view>
#include <unordered_map>

namespace perflab::cache {

namespace {

std::string_view bytesOf(QByteArrayView key)
{
    return {key.data(), size_t(key.size())};
}

std::size_t hashOf(QByteArrayView key)
{
    return std::hash<std::string_view>{}(bytesOf(key));
}

// The map's key: a view of the entry's own key bytes, with the hash computed once for both
// the shard choice and the bucket.
struct KeyRef
{
    std::string_view bytes;
    std::size_t hash;
    bool operator==(const KeyRef &other) const { return bytes == other.bytes; }
};

struct KeyRefHash
{
    std::size_t operator()(const KeyRef &key) const noexcept { return key.hash; }
};

// Beyond a century a TTL means "never"; clamping keeps now + ttl from overflowing.
MemoryCache::Clock::time_point expiryFor(MemoryCache::Clock::time_point now, std::chrono::milliseconds ttl)
{
    constexpr auto century = std::chrono::hours(24 * 365 * 100);
    if (ttl >= century)
        return MemoryCache::Clock::time_point::max();
    return now + ttl;
}

} // namespace

struct MemoryCache::Entry
{
    QByteArray key;
    QByteArray value;
    std::size_t hash = 0;
    Clock::time_point expires;
    Clock::time_point lastUsed;
    Entry *newer = nullptr;
    Entry *older = nullptr;
};

// Padded to a cache line so that two workers locking neighbouring shards do not share one.
struct alignas(64) MemoryCache::Shard
{
    static constexpr Clock::rep kEmpty = std::numeric_limits<Clock::rep>::max();

    std::mutex mutex;
    // Node-based: an Entry never moves, so the list pointers and the KeyRef into its key
    // stay valid until it is erased.
    std::unordered_map<KeyRef, Entry, KeyRefHash> map;
    Entry *newest = nullptr;
    Entry *oldest = nullptr;
    // When the least recently used entry here was last used (kEmpty: none). Written under
    // the lock, read without it, so that finding the globally oldest entry locks one shard.
    std::atomic<Clock::rep> oldestUsed{kEmpty};

    using Iterator = decltype(map)::iterator;

    void publishOldest()
    {
        oldestUsed.store(oldest ? oldest->lastUsed.time_since_epoch().count() : kEmpty,
                         std::memory_order_relaxed);
    }

    void linkNewest(Entry *entry)
    {
        entry->older = newest;
        entry->newer = nullptr;
        if (newest)
            newest->newer = entry;
        newest = entry;
        if (!oldest)
            oldest = entry;
        publishOldest();
    }

    void unlink(Entry *entry)
    {
        (entry->newer ? entry->newer->older : newest) = entry->older;
        (entry->older ? entry->older->newer : oldest) = entry->newer;
        entry->newer = entry->older = nullptr;
        publishOldest();
    }

    // Makes the entry the most recent; requires its lastUsed to be updated first.
    void touch(Entry *entry)
    {
        if (newest != entry) {
            unlink(entry);
            linkNewest(entry);
        } else if (oldest == entry) {
            publishOldest(); // the only entry: its time changed
        }
    }

    void erase(Iterator it)
    {
        unlink(&it->second);
        map.erase(it);
    }

    // By iterator, not by key: the key would refer to the bytes being freed.
    void erase(Entry *entry) { erase(map.find(KeyRef{bytesOf(entry->key), entry->hash})); }
};

MemoryCache::MemoryCache(metrics::Registry &registry, MemoryCacheOptions options)
    : m_clock(std::move(options.clock)), m_maxEntries(std::max<qsizetype>(options.maxEntries, 1)),
      m_defaultTtlMs(options.defaultTtl.count())
{
    m_shardCount = int(std::bit_ceil(unsigned(std::clamp(options.shards, 1, 1024))));
    m_shardBits = std::countr_zero(unsigned(m_shardCount));
    m_shards = std::make_unique<Shard[]>(size_t(m_shardCount));

    const CacheRequestCounters requests = cacheRequestCounters(registry, QStringLiteral("memory"));
    m_hits = requests.hit;
    m_misses = requests.miss;
    m_errors = requests.error;
    auto &evictions = registry.counterFamily(QStringLiteral("cache_evictions_total"),
                                             QStringLiteral("Entries the cache dropped by itself, by reason"),
                                             {QStringLiteral("reason")});
    m_evictedLru = evictions.withLabels({QStringLiteral("lru")});
    m_evictedExpired = evictions.withLabels({QStringLiteral("expired")});
    m_entries =
        registry.gaugeFamily(QStringLiteral("cache_entries"), QStringLiteral("Entries held by the cache"))
            .series();
}

MemoryCache::~MemoryCache()
{
    m_entries->sub(m_count.load()); // the gauge outlives us in the registry
}

MemoryCache::Shard &MemoryCache::shardFor(std::size_t hash) const
{
    if (m_shardBits == 0)
        return m_shards[0];
    // Fibonacci hashing: the top bits, well mixed, so that the shard does not correlate with
    // the map's bucket (hash modulo a prime).
    const std::uint64_t mixed = std::uint64_t(hash) * 0x9E3779B97F4A7C15ull;
    return m_shards[size_t(mixed >> (64 - m_shardBits))];
}

void MemoryCache::countRemoved(qsizetype n, metrics::Counter *reason)
{
    if (n == 0)
        return;
    m_count.fetch_sub(n, std::memory_order_relaxed);
    m_entries->sub(n);
    if (reason)
        reason->inc(std::uint64_t(n));
}

std::optional<QByteArray> MemoryCache::tryGet(QByteArrayView key)
{
    const std::size_t hash = hashOf(key);
    Shard &shard = shardFor(hash);
    const Clock::time_point t = now();
    {
        std::lock_guard lock(shard.mutex);
        const auto it = shard.map.find(KeyRef{bytesOf(key), hash});
        if (it != shard.map.end()) {
            Entry &entry = it->second;
            if (entry.expires > t) {
                entry.lastUsed = t;
                shard.touch(&entry);
                QByteArray value = entry.value; // shares the bytes
                m_hits->inc();
                return value;
            }
            shard.erase(it);
            countRemoved(1, m_evictedExpired);
        }
    }
    m_misses->inc();
    return std::nullopt;
}

void MemoryCache::put(QByteArray key, QByteArray value, std::chrono::milliseconds ttl)
{
    if (ttl <= std::chrono::milliseconds::zero()) {
        erase(key);
        return;
    }
    // The map refers to the key's bytes: they must be ours, not a fromRawData() view.
    if (!key.isEmpty() && !key.data_ptr().isMutable())
        key = QByteArray(key.constData(), key.size());
    const std::size_t hash = hashOf(key);
    Shard &shard = shardFor(hash);
    const Clock::time_point t = now();
    const Clock::time_point expires = expiryFor(t, ttl);
    bool overLimit = false;
    {
        std::lock_guard lock(shard.mutex);
        auto [it, inserted] = shard.map.try_emplace(KeyRef{bytesOf(key), hash});
        Entry &entry = it->second;
        entry.value = std::move(value);
        entry.expires = expires;
        entry.lastUsed = t;
        if (!inserted) {
            shard.touch(&entry);
            return;
        }
        entry.key = std::move(key); // moves the pointer, not the bytes the KeyRef sees
        entry.hash = hash;
        shard.linkNewest(&entry);
        m_entries->inc();
        // Each insert beyond the limit evicts exactly one entry, so that concurrent inserts
        // neither overshoot for long nor evict more than they added.
        overLimit = m_count.fetch_add(1, std::memory_order_relaxed) >= maxEntries();
    }
    if (overLimit)
        evictGloballyOldest();
}

bool MemoryCache::erase(QByteArrayView key)
{
    const std::size_t hash = hashOf(key);
    Shard &shard = shardFor(hash);
    std::lock_guard lock(shard.mutex);
    const auto it = shard.map.find(KeyRef{bytesOf(key), hash});
    if (it == shard.map.end())
        return false;
    shard.erase(it);
    countRemoved(1);
    return true;
}

void MemoryCache::clear()
{
    for (int i = 0; i < m_shardCount; ++i) {
        Shard &shard = m_shards[size_t(i)];
        decltype(shard.map) dropped; // freed after the lock is released
        {
            std::lock_guard lock(shard.mutex);
            dropped.swap(shard.map);
            shard.newest = shard.oldest = nullptr;
            countRemoved(qsizetype(dropped.size()));
        }
    }
}

qsizetype MemoryCache::purgeExpired()
{
    const Clock::time_point t = now();
    qsizetype purged = 0;
    for (int i = 0; i < m_shardCount; ++i) {
        Shard &shard = m_shards[size_t(i)];
        std::lock_guard lock(shard.mutex);
        qsizetype here = 0;
        for (Entry *entry = shard.oldest; entry;) {
            Entry *next = entry->newer;
            if (entry->expires <= t) {
                shard.erase(entry);
                ++here;
            }
            entry = next;
        }
        countRemoved(here, m_evictedExpired);
        purged += here;
    }
    return purged;
}

void MemoryCache::evictOldestLocked(Shard &shard, Clock::time_point t)
{
    Entry *victim = shard.oldest;
    metrics::Counter *reason = victim->expires <= t ? m_evictedExpired : m_evictedLru;
    shard.erase(victim);
    countRemoved(1, reason);
}

bool MemoryCache::evictGloballyOldest()
{
    // Scans the published tail times without locking, then locks the chosen shard only. A
    // concurrent update can make this pick a near-oldest entry instead: LRU is exact for a
    // single writer and close under concurrency. A few retries cover a shard emptied between
    // the scan and the lock.
    for (int attempt = 0; attempt < 4; ++attempt) {
        Shard *best = nullptr;
        Clock::rep bestUsed = Shard::kEmpty;
        for (int i = 0; i < m_shardCount; ++i) {
            Shard &shard = m_shards[size_t(i)];
            const Clock::rep used = shard.oldestUsed.load(std::memory_order_relaxed);
            if (used < bestUsed) {
                best = &shard;
                bestUsed = used;
            }
        }
        if (!best)
            return false;
        std::lock_guard lock(best->mutex);
        if (best->oldest) {
            evictOldestLocked(*best, now());
            return true;
        }
    }
    return false;
}

void MemoryCache::setMaxEntries(qsizetype maxEntries)
{
    maxEntries = std::max<qsizetype>(maxEntries, 1);
    m_maxEntries.store(maxEntries, std::memory_order_relaxed);
    while (m_count.load(std::memory_order_relaxed) > maxEntries) {
        if (!evictGloballyOldest())
            break;
    }
}

void MemoryCache::setDefaultTtl(std::chrono::milliseconds ttl)
{
    m_defaultTtlMs.store(ttl.count(), std::memory_order_relaxed);
}

std::chrono::milliseconds MemoryCache::defaultTtl() const
{
    return std::chrono::milliseconds(m_defaultTtlMs.load(std::memory_order_relaxed));
}

QCoro::Task<std::optional<QByteArray>> MemoryCache::get(QByteArray key)
{
    co_return tryGet(key);
}

QCoro::Task<> MemoryCache::set(QByteArray key, QByteArray value, std::chrono::milliseconds ttl)
{
    put(std::move(key), std::move(value), ttl);
    co_return;
}

QCoro::Task<> MemoryCache::remove(QByteArray key)
{
    erase(key);
    co_return;
}

CacheStats MemoryCache::stats() const
{
    CacheStats stats;
    stats.hits = m_hits->value();
    stats.misses = m_misses->value();
    stats.errors = m_errors->value();
    stats.evictedLru = m_evictedLru->value();
    stats.evictedExpired = m_evictedExpired->value();
    stats.entries = m_count.load(std::memory_order_relaxed);
    stats.maxEntries = maxEntries();
    return stats;
}

} // namespace perflab::cache

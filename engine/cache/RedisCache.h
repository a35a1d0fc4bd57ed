// The Redis cache backend of guide chapter 3 (its RedisCache: GET, SETEX, DELETE), on the lab's
// RedisClient: one cache shared by every lab instance that points at the same Redis, so that a
// PUT through one instance invalidates what the others would read.
//
// Keys are the handlers' own ("user:42", as the guide's cached decorator makes them), values the
// bytes the handler stores (the user's JSON), so redis-cli shows exactly what is served.
//
// Expiry: a TTL of whole seconds is stored with SETEX (the guide's command; `TTL key` shows it),
// any other with PSETEX in milliseconds, so that a sub-second or fractional cache.ttl_s is kept
// exactly rather than rounded. A TTL <= 0 deletes the key (Cache::set).
//
// A command that fails (Redis unreachable, the connection lost, no answer within the client's
// timeout, an error reply) never fails the caller: get() answers a miss, set() and remove() are
// dropped, and each counts as cache_requests_total{backend="redis",result="error"}. Redis's own
// health (up, the reason in words) is the RedisClient's.
#pragma once

#include "engine/cache/Cache.h"
#include "engine/cache/CacheMetrics.h"

namespace perflab::metrics {
class Registry;
}
namespace perflab::redis {
class RedisClient;
}

namespace perflab::cache {

class RedisCache final : public Cache
{
public:
    // `client` and `registry` must outlive the cache. Registers cache_requests_total{backend="redis",result}.
    RedisCache(redis::RedisClient &client, metrics::Registry &registry);

    // On any thread with an event loop (each uses its own connection of the client).
    QCoro::Task<std::optional<QByteArray>> get(QByteArray key) override;
    QCoro::Task<> set(QByteArray key, QByteArray value, std::chrono::milliseconds ttl) override;
    QCoro::Task<> remove(QByteArray key) override;
    // Hits, misses and errors of this process; entries are Redis's, not known here (-1).
    CacheStats stats() const override;
    QByteArrayView timingName() const noexcept override { return "redis"; }

    redis::RedisClient &client() const { return m_client; }

private:
    redis::RedisClient &m_client;
    CacheRequestCounters m_requests;
};

} // namespace perflab::cache

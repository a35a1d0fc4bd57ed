// See RedisCache.h.
#include "engine/cache/RedisCache.h"

#include "engine/metrics/Counter.h"
#include "engine/redis/RedisClient.h"

namespace perflab::cache {

RedisCache::RedisCache(redis::RedisClient &client, metrics::Registry &registry)
    : m_client(client), m_requests(cacheRequestCounters(registry, QStringLiteral("redis")))
{
}

QCoro::Task<std::optional<QByteArray>> RedisCache::get(QByteArray key)
{
    // The arguments and the task are named: no temporary with a destructor inside co_await
    // (the README's GCC 12 rule).
    QList<QByteArray> args{QByteArrayLiteral("GET"), std::move(key)};
    auto command = m_client.command(std::move(args));
    redis::RedisReply reply = co_await std::move(command);
    switch (reply.kind) {
    case redis::RedisReply::Kind::String:
        m_requests.hit->inc();
        co_return std::move(reply.text);
    case redis::RedisReply::Kind::Nil:
        m_requests.miss->inc();
        co_return std::nullopt;
    default: // failed, an error reply, or not a string at all: the caller reads the source
        m_requests.error->inc();
        co_return std::nullopt;
    }
}

QCoro::Task<> RedisCache::set(QByteArray key, QByteArray value, std::chrono::milliseconds ttl)
{
    if (ttl <= std::chrono::milliseconds::zero()) {
        auto removing = remove(std::move(key));
        co_await std::move(removing);
        co_return;
    }
    const bool wholeSeconds = ttl.count() % 1000 == 0;
    QList<QByteArray> args{
        wholeSeconds ? QByteArrayLiteral("SETEX") : QByteArrayLiteral("PSETEX"), std::move(key),
        QByteArray::number(wholeSeconds ? ttl.count() / 1000 : ttl.count()), std::move(value)};
    auto command = m_client.command(std::move(args));
    const redis::RedisReply reply = co_await std::move(command);
    if (reply.kind != redis::RedisReply::Kind::Status)
        m_requests.error->inc();
}

QCoro::Task<> RedisCache::remove(QByteArray key)
{
    QList<QByteArray> args{QByteArrayLiteral("DEL"), std::move(key)};
    auto command = m_client.command(std::move(args));
    const redis::RedisReply reply = co_await std::move(command);
    if (reply.kind != redis::RedisReply::Kind::Integer)
        m_requests.error->inc();
}

CacheStats RedisCache::stats() const
{
    CacheStats stats;
    stats.backend = "redis";
    stats.hits = m_requests.hit->value();
    stats.misses = m_requests.miss->value();
    stats.errors = m_requests.error->value();
    stats.entries = -1;
    return stats;
}

} // namespace perflab::cache

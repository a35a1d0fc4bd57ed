// Fixtures of the Redis cache tests: a whole LabServer on loopback whose cache settings the test
// chooses (on a SQLite file that several labs of one test can share, as instances share one
// database), and a Redis client of the test's own to look at what the lab left in Redis.
#pragma once

#include "CacheTestSupport.h"
#include "LoopbackLab.h"
#include "RedisProcess.h"

#include "engine/lab/LabServer.h"
#include "engine/redis/RedisClient.h"

#include <QJsonObject>
#include <QTemporaryDir>

#include <memory>

namespace perflab::cache::test {

// The test command's Redis on a database of the suite's own (RedisProcess.h).
using perflab::test::sharedRedisUrl;

struct RedisLabOptions
{
    QString sqlitePath;                        // the database file (shared by the labs of a test)
    QString backend = QStringLiteral("redis"); // cache.backend at start
    QString cacheRedisUrl;                     // cache.redis_url at start (may be empty)
    double ttlS = 300;
    int warmUsers = 0;
};

class RedisLab
{
public:
    explicit RedisLab(const RedisLabOptions &options);
    ~RedisLab();
    // Empty on success, else why it failed.
    QString start();

    lab::LabServer &server() { return *m_lab; }

    perflab::test::RawResponse get(const QByteArray &target);
    perflab::test::RawResponse put(const QByteArray &target);
    perflab::test::RawResponse patch(const QByteArray &json);
    QJsonObject stats(); // GET /admin/stats

    // cache_requests_total{backend,result} and redis_up{role="cache"} from the lab's registry.
    std::uint64_t cacheRequests(const QString &backend, const QString &result) const;
    std::int64_t redisUp() const;
    // The events of kind "redis" in the lab's time series, oldest first (their "text").
    QStringList redisEvents() const;

private:
    QTemporaryDir m_dataDir;
    std::unique_ptr<lab::LabServer> m_lab;
};

// A Redis client of the test's own, commands run to completion.
class RedisProbe
{
public:
    explicit RedisProbe(const QString &url);
    redis::RedisReply run(QList<QByteArray> args);
    bool exists(const QByteArray &key) { return run({"EXISTS", key}).integer == 1; }
    QByteArray value(const QByteArray &key) { return run({"GET", key}).text; }
    qint64 pttl(const QByteArray &key) { return run({"PTTL", key}).integer; }

private:
    redis::RedisClient m_client{nullptr, QStringLiteral("test")};
};

// "User N", the dataset's name of user N.
QByteArray userName(int id);

} // namespace perflab::cache::test

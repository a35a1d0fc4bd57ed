// GET/PUT /users/{id} with the cache in Redis, through a whole lab on loopback and the test
// command's Redis (its own database number, emptied before each test): the miss that stores the
// row under "user:<id>" with its TTL, the hit, expiry, invalidation by PUT, two lab engines that
// share one cache (and one database), the live switch memory → redis → memory by PATCH, and the
// warm-up into Redis.
#include "RedisLab.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace perflab;
using namespace perflab::cache::test;
using perflab::test::RawResponse;
using namespace Qt::StringLiterals;

namespace {

// This suite's database number on the shared Redis: FLUSHDB here touches no other suite.
constexpr int kRedisDb = 7;

bool hasRedisTiming(const RawResponse &response)
{
    return response.header("server-timing").contains("redis;dur=");
}

} // namespace

class TestRedisCacheRoutes : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_url = sharedRedisUrl(kRedisDb);
    std::unique_ptr<RedisProbe> m_redis;
    std::vector<std::unique_ptr<RedisLab>> m_labs;

    // A lab on this test's database file; the first one made creates the small dataset.
    RedisLab &startLab(const QString &backend = QStringLiteral("redis"), double ttlS = 300, int warmUsers = 0)
    {
        RedisLabOptions options;
        options.sqlitePath = m_dir.filePath(QStringLiteral("users.sqlite"));
        options.backend = backend;
        options.cacheRedisUrl = m_url;
        options.ttlS = ttlS;
        options.warmUsers = warmUsers;
        m_labs.push_back(std::make_unique<RedisLab>(options));
        const QString error = m_labs.back()->start();
        if (!error.isEmpty())
            qFatal("lab did not start: %s", qPrintable(error));
        return *m_labs.back();
    }

private Q_SLOTS:
    void initTestCase() { m_redis = std::make_unique<RedisProbe>(m_url); }
    void init() { QCOMPARE(m_redis->run({"FLUSHDB"}).text, QByteArray("OK")); }
    void cleanup() { m_labs.clear(); }
    void cleanupTestCase() { m_redis.reset(); }

    void missStoresTheRowWithItsTtlThenHits()
    {
        RedisLab &lab = startLab();
        const RawResponse first = lab.get("/users/5");
        QCOMPARE(first.status, 200);
        QCOMPARE(first.body, fromDatabase(5, userName(5)));
        QVERIFY2(hasRedisTiming(first), first.header("server-timing").constData());
        // The guide's key, the row as served, and the TTL of cache.ttl_s (SETEX 300).
        QCOMPARE(m_redis->value("user:5"), QByteArray(R"({"id":5,"name":"User 5"})"));
        const qint64 ttl = m_redis->pttl("user:5");
        QVERIFY2(ttl > 290'000 && ttl <= 300'000, qPrintable(QString::number(ttl)));

        const RawResponse second = lab.get("/users/5");
        QCOMPARE(second.status, 200);
        QCOMPARE(second.body, fromCache(5, userName(5)));
        QVERIFY2(hasRedisTiming(second), second.header("server-timing").constData());
        QCOMPARE(lab.cacheRequests(u"redis"_s, u"miss"_s), 1u);
        QCOMPARE(lab.cacheRequests(u"redis"_s, u"hit"_s), 1u);
        QCOMPARE(lab.cacheRequests(u"redis"_s, u"error"_s), 0u);
        QCOMPARE(lab.cacheRequests(u"memory"_s, u"hit"_s) + lab.cacheRequests(u"memory"_s, u"miss"_s), 0u);
        QTRY_COMPARE(lab.redisUp(), 1);
        const QJsonObject cache = lab.stats()[u"lab"_s].toObject()[u"cache"_s].toObject();
        QCOMPARE(cache[u"backend"_s].toString(), u"redis"_s);
        QCOMPARE(cache[u"hits"_s].toInt(), 1);
        QVERIFY(!cache.contains(u"entries"_s)); // Redis holds them, not this process
    }

    void entriesExpire_data()
    {
        QTest::addColumn<double>("ttlS");
        QTest::newRow("whole seconds (SETEX)") << 1.0;
        QTest::newRow("sub-second (PSETEX)") << 0.4;
    }
    void entriesExpire()
    {
        QFETCH(double, ttlS);
        RedisLab &lab = startLab(u"redis"_s, ttlS);
        QCOMPARE(lab.get("/users/6").body, fromDatabase(6, userName(6)));
        const qint64 ttl = m_redis->pttl("user:6");
        // Kept to the millisecond, not rounded up to a second.
        QVERIFY2(ttl > 0 && ttl <= qint64(ttlS * 1000), qPrintable(QString::number(ttl)));
        QCOMPARE(lab.get("/users/6").body, fromCache(6, userName(6)));
        QTest::qWait(int(ttlS * 1000) + 300);
        QVERIFY(!m_redis->exists("user:6"));
        QCOMPARE(lab.get("/users/6").body, fromDatabase(6, userName(6)));
    }

    void putDeletesTheKey()
    {
        RedisLab &lab = startLab();
        QCOMPARE(lab.get("/users/7").body, fromDatabase(7, userName(7)));
        QVERIFY(m_redis->exists("user:7"));
        const RawResponse put = lab.put("/users/7?name=Renamed");
        QCOMPARE(put.status, 200);
        QVERIFY2(hasRedisTiming(put), put.header("server-timing").constData());
        QVERIFY(!m_redis->exists("user:7"));
        QCOMPARE(lab.get("/users/7").body, fromDatabase(7, "Renamed"));
        QCOMPARE(lab.get("/users/7").body, fromCache(7, "Renamed"));
    }

    // Two lab engines on one Redis and one database, as two instances behind a load balancer.
    void twoLabsShareOneCache()
    {
        RedisLab &a = startLab();
        RedisLab &b = startLab();
        QCOMPARE(a.get("/users/8").body, fromDatabase(8, userName(8)));
        QCOMPARE(b.get("/users/8").body, fromCache(8, userName(8))); // a's entry
        QCOMPARE(b.cacheRequests(u"redis"_s, u"hit"_s), 1u);
        QCOMPARE(b.cacheRequests(u"redis"_s, u"miss"_s), 0u);

        QCOMPARE(b.put("/users/8?name=FromB").status, 200);
        // No stale read through a: b's PUT removed the entry both read.
        QCOMPARE(a.get("/users/8").body, fromDatabase(8, "FromB"));
        QCOMPARE(b.get("/users/8").body, fromCache(8, "FromB"));
    }

    void liveSwitchThroughPatch()
    {
        RedisLab &lab = startLab(u"memory"_s);
        RawResponse response = lab.get("/users/9");
        QCOMPARE(response.body, fromDatabase(9, userName(9)));
        QVERIFY(!hasRedisTiming(response));
        QCOMPARE(lab.get("/users/9").body, fromCache(9, userName(9)));
        QVERIFY(!m_redis->exists("user:9"));
        QCOMPARE(lab.cacheRequests(u"memory"_s, u"hit"_s), 1u);
        QVERIFY(lab.server().cache().inProcess());

        QCOMPARE(lab.patch(R"({"cache": {"backend": "redis"}})").status, 200);
        QVERIFY(!lab.server().cache().inProcess());
        // The memory cache was emptied by the switch and Redis has nothing yet.
        QCOMPARE(lab.get("/users/9").body, fromDatabase(9, userName(9)));
        QVERIFY(m_redis->exists("user:9"));
        response = lab.get("/users/9");
        QCOMPARE(response.body, fromCache(9, userName(9)));
        QVERIFY(hasRedisTiming(response));
        QCOMPARE(lab.cacheRequests(u"redis"_s, u"hit"_s), 1u);
        QCOMPARE(lab.cacheRequests(u"memory"_s, u"hit"_s), 1u);
        QCOMPARE(lab.stats()[u"redis"_s].toObject()[u"cache"_s].toObject()[u"in_use"_s].toBool(), true);

        QCOMPARE(lab.patch(R"({"cache": {"backend": "memory"}})").status, 200);
        QVERIFY(lab.server().cache().inProcess());
        QCOMPARE(lab.get("/users/9").body, fromDatabase(9, userName(9)));
        response = lab.get("/users/9");
        QCOMPARE(response.body, fromCache(9, userName(9)));
        QVERIFY(!hasRedisTiming(response));
        QCOMPARE(lab.cacheRequests(u"memory"_s, u"hit"_s), 2u);
        QCOMPARE(lab.cacheRequests(u"redis"_s, u"hit"_s), 1u);
    }

    // A PUT made while the lab used memory must not leave Redis serving the old row once the
    // lab (or another instance) reads from Redis again.
    void noStaleRowAfterSwitchingBack()
    {
        RedisLab &lab = startLab();
        QCOMPARE(lab.get("/users/10").body, fromDatabase(10, userName(10)));
        QVERIFY(m_redis->exists("user:10"));
        QCOMPARE(lab.patch(R"({"cache": {"backend": "memory"}})").status, 200);
        const RawResponse put = lab.put("/users/10?name=Changed");
        QCOMPARE(put.status, 200);
        QVERIFY(!m_redis->exists("user:10"));
        QVERIFY2(hasRedisTiming(put), put.header("server-timing").constData()); // the DEL waited on Redis
        QCOMPARE(lab.patch(R"({"cache": {"backend": "redis"}})").status, 200);
        QCOMPARE(lab.get("/users/10").body, fromDatabase(10, "Changed"));
    }

    void warmUpFillsRedis()
    {
        RedisLab &lab = startLab(u"redis"_s, 300, 20);
        for (const char *key : {"user:1", "user:20"})
            QVERIFY2(m_redis->exists(key), key);
        QVERIFY(!m_redis->exists("user:21"));
        QCOMPARE(lab.get("/users/3").body, fromCache(3, userName(3)));
    }
};

std::unique_ptr<QObject> createRedisCacheRoutesTests()
{
    return std::make_unique<TestRedisCacheRoutes>();
}

#include "test_redis_cache_routes.moc"

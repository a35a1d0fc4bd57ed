// The Redis cache when Redis is not there, through a whole lab on loopback and a redis-server of
// the test's own that it kills and starts again on the same port: requests still answer 200 from
// the database, counted as cache errors; redis_up{role="cache"} falls to 0; /admin/stats and the
// lab's events say why; once Redis is back the cache is used again without anyone asking. Also
// the settings: a Redis that does not answer is accepted, a redis backend without any Redis not.
#include "RedisLab.h"
#include "RedisProcess.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace perflab;
using namespace perflab::cache::test;
using perflab::test::RawResponse;
using perflab::test::RedisProcess;
using namespace Qt::StringLiterals;

class TestRedisCacheOutage : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<RedisLab> m_lab;

    RedisLab &startLab(const QString &redisUrl, const QString &backend = u"redis"_s, int warmUsers = 0)
    {
        RedisLabOptions options;
        options.sqlitePath = m_dir.filePath(u"users.sqlite"_s);
        options.backend = backend;
        options.cacheRedisUrl = redisUrl;
        options.warmUsers = warmUsers;
        m_lab = std::make_unique<RedisLab>(options);
        const QString error = m_lab->start();
        if (!error.isEmpty())
            qFatal("lab did not start: %s", qPrintable(error));
        return *m_lab;
    }

    QJsonObject cacheRedisStats() { return m_lab->stats()[u"redis"_s].toObject()[u"cache"_s].toObject(); }

    // Twenty GETs in a row, each on a new connection, all answered from the cache: both worker
    // threads' Redis connections (each reconnects on its own backoff) use Redis again; all twenty
    // on one worker has a chance of 2^-19.
    bool cachedEverywhere(int id)
    {
        for (int i = 0; i < 20; ++i) {
            if (m_lab->get("/users/" + QByteArray::number(id)).body != fromCache(id, userName(id)))
                return false;
        }
        return true;
    }

private Q_SLOTS:
    void cleanup() { m_lab.reset(); }

    void killedRedisFallsBackToTheDatabaseThenComesBack()
    {
        RedisProcess redis;
        QVERIFY2(redis.start(), qPrintable(redis.error()));
        RedisLab &lab = startLab(redis.url());
        QCOMPARE(lab.get("/users/11").body, fromDatabase(11, userName(11)));
        QCOMPARE(lab.get("/users/11").body, fromCache(11, userName(11)));
        QTRY_COMPARE(lab.redisUp(), 1);
        QCOMPARE(lab.cacheRequests(u"redis"_s, u"error"_s), 0u);

        redis.kill();
        // Every request still answers, from the database; each cache request it made is an error.
        for (int i = 0; i < 3; ++i) {
            const RawResponse response = lab.get("/users/11");
            QCOMPARE(response.status, 200);
            QCOMPARE(response.body, fromDatabase(11, userName(11)));
        }
        QVERIFY(lab.cacheRequests(u"redis"_s, u"error"_s) >= 3);
        QTRY_COMPARE(lab.redisUp(), 0);
        const QString where = u"127.0.0.1:%1"_s.arg(redis.port());
        QTRY_VERIFY(!cacheRedisStats()[u"up"_s].toBool());
        const QJsonObject down = cacheRedisStats();
        QVERIFY(down[u"configured"_s].toBool());
        QCOMPARE(down[u"address"_s].toString(), where);
        QVERIFY2(down[u"reason"_s].toString().startsWith(u"Redis "_s) &&
                     down[u"reason"_s].toString().contains(where),
                 qPrintable(down[u"reason"_s].toString()));
        QTRY_COMPARE(lab.redisEvents().size(), 1);
        QVERIFY2(lab.redisEvents().first().contains(where), qPrintable(lab.redisEvents().first()));

        // Back on the same port, empty: the lab finds it by itself and caches there again.
        RedisProcess again;
        QVERIFY2(again.start(redis.port()), qPrintable(again.error()));
        QTRY_VERIFY_WITH_TIMEOUT(cachedEverywhere(11), 15000);
        QTRY_COMPARE(lab.redisUp(), 1);
        QTRY_VERIFY(cacheRedisStats()[u"up"_s].toBool());
        QTRY_COMPARE(lab.redisEvents().size(), 2);
        QCOMPARE(lab.redisEvents().last(), u"Redis back at %1"_s.arg(where));
        const std::uint64_t errors = lab.cacheRequests(u"redis"_s, u"error"_s);
        QCOMPARE(lab.get("/users/11").body, fromCache(11, userName(11)));
        QCOMPARE(lab.cacheRequests(u"redis"_s, u"error"_s), errors);
    }

    void unreachableAtStartIsReportedAndUsedOnceItComes()
    {
        const quint16 port = RedisProcess::freePort();
        RedisLab &lab =
            startLab(u"redis://127.0.0.1:%1/0"_s.arg(port), u"redis"_s, 10); // the warm-up fails quietly
        const RawResponse response = lab.get("/users/12");
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, fromDatabase(12, userName(12)));
        QVERIFY(lab.cacheRequests(u"redis"_s, u"error"_s) >= 2); // the get and the set
        QCOMPARE(lab.redisUp(), 0);
        const QString expected = u"Redis unreachable: connection refused at 127.0.0.1:%1"_s.arg(port);
        QTRY_COMPARE(cacheRedisStats()[u"reason"_s].toString(), expected);
        QTRY_VERIFY(lab.redisEvents().contains(expected));

        RedisProcess redis;
        QVERIFY2(redis.start(port), qPrintable(redis.error()));
        QTRY_VERIFY_WITH_TIMEOUT(cachedEverywhere(12), 15000);
        QTRY_COMPARE(lab.redisUp(), 1);
    }

    // A Redis that may come up a moment later is accepted at once, never waited for; a redis
    // backend with no Redis at all is a mistake named at once.
    void settingsAcceptASilentRedisAndRefuseNone()
    {
        RedisLab &lab = startLab(QString(), u"memory"_s);
        RawResponse refused = lab.patch(R"({"cache": {"backend": "redis"}})");
        QCOMPARE(refused.status, 422);
        QVERIFY2(refused.body.contains("cache.backend") || refused.body.contains("\"backend\""),
                 refused.body.constData());
        QVERIFY(lab.server().cache().inProcess());

        // A Redis that accepts connections but answers nothing (stopped): the PATCH cannot wait
        // for it without taking the command timeout (1 s).
        RedisProcess silent;
        QVERIFY2(silent.start(), qPrintable(silent.error()));
        silent.pause();
        const QByteArray patch =
            "{\"cache\": {\"backend\": \"redis\", \"redis_url\": \"" + silent.url().toUtf8() + "\"}}";
        QElapsedTimer clock;
        clock.start();
        const RawResponse accepted = lab.patch(patch);
        QCOMPARE(accepted.status, 200);
        QVERIFY2(clock.elapsed() < 900, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(!lab.server().cache().inProcess());

        const RawResponse response = lab.get("/users/13");
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, fromDatabase(13, userName(13)));
        QTRY_VERIFY(cacheRedisStats()[u"reason"_s].toString().contains(u"did not answer"_s));
        QCOMPARE(lab.redisUp(), 0);
        silent.resume();
        QTRY_VERIFY_WITH_TIMEOUT(cachedEverywhere(13), 15000);
    }
};

std::unique_ptr<QObject> createRedisCacheOutageTests()
{
    return std::make_unique<TestRedisCacheOutage>();
}

#include "test_redis_cache_outage.moc"

// Members of a cluster on one real Redis: a settings change made on one member reaches the
// others, fields read at start stay each member's own, a member that joins later takes the
// cluster's settings before it serves, and /metrics carries the member's instance label.
#include "RawHttpClient.h"
#include "SmallDataset.h"

#include "engine/lab/LabServer.h"
#include "engine/redis/RedisClient.h"
#include "engine/redis/RedisUrl.h"

#include <QCoro/QCoroTask>
#include <QTemporaryDir>
#include <QTest>

using namespace perflab;
using namespace perflab::test;

namespace {

// The shared Redis of the test command, in a database of this suite's own (9), so that the
// cluster's settings hash is not seen by other suites.
QString clusterRedisUrl()
{
    const QString shared = qEnvironmentVariable("PERFLAB_TEST_REDIS_URL");
    if (shared.isEmpty())
        qFatal("PERFLAB_TEST_REDIS_URL is not set: run scripts/test-services.sh start and eval its env");
    redis::RedisUrl url = *redis::parseRedisUrl(shared).url;
    return QStringLiteral("redis://%1:%2/9").arg(url.host).arg(url.port);
}

RawResponse patchSettings(quint16 port, const QByteArray &json)
{
    RawHttpClient client(port);
    client.send(
        "PATCH /admin/settings HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: " +
        QByteArray::number(json.size()) + "\r\n\r\n" + json);
    return client.readResponse().value_or(RawResponse{});
}

} // namespace

class TestClusterMembers : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dirA, m_dirB, m_dirC;
    std::unique_ptr<lab::LabServer> m_a, m_b;

    std::unique_ptr<lab::LabServer> member(const QString &name, const QTemporaryDir &dir,
                                           const QString &redisUrl)
    {
        lab::LabServerConfig config;
        config.server.port = 0;
        config.server.threads = 1;
        config.dataDir = dir.path();
        config.instance = name;
        config.warmUsers = 0;
        config.settings.database.datasetUsers = kSmallDatasetUsers;
        config.settings.database.datasetOrders = kSmallDatasetOrders;
        config.settings.redis.url = redisUrl;
        return std::make_unique<lab::LabServer>(config);
    }

private Q_SLOTS:
    void initTestCase()
    {
        redis::RedisClient client(nullptr);
        client.setUrl(redis::parseRedisUrl(clusterRedisUrl()).url);
        QList<QByteArray> flush{QByteArray("FLUSHDB")};
        QCOMPARE(QCoro::waitFor(client.command(std::move(flush))).text, QByteArray("OK"));
        m_a = member(QStringLiteral("a"), m_dirA, clusterRedisUrl());
        QVERIFY(!m_a->start());
        m_b = member(QStringLiteral("b"), m_dirB, clusterRedisUrl());
        QVERIFY(!m_b->start());
    }
    void cleanupTestCase()
    {
        m_a.reset();
        m_b.reset();
    }

    void metricsCarryTheInstance()
    {
        RawHttpClient client(m_a->port());
        client.send(simpleGet("/hello") + simpleGet("/metrics"));
        const std::vector<RawResponse> responses = client.readResponses(2);
        QCOMPARE(responses.size(), size_t(2));
        const RawResponse &metrics = responses[1];
        QCOMPARE(metrics.status, 200);
        QVERIFY2(metrics.body.contains("http_requests_in_flight{instance=\"a\"} 1\n"),
                 metrics.body.constData());
        QVERIFY(metrics.body.contains(
            "http_request_duration_seconds_count{instance=\"a\",route=\"/hello\"} 1\n"));
        QVERIFY(metrics.body.contains(
            "http_request_duration_seconds_bucket{instance=\"a\",route=\"/hello\",le=\"+Inf\"} 1\n"));
    }

    void aChangeOnOneMemberReachesTheOther()
    {
        QCOMPARE(patchSettings(m_a->port(), R"({"cache": {"ttl_s": 12.5}})").status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(m_b->settings().view().cache.ttlS, 12.5, 5000);
        QCOMPARE(
            patchSettings(m_b->port(), R"({"compression": {"level": 3}, "simulation": {"io_scale": 0.25}})")
                .status,
            200);
        QTRY_COMPARE_WITH_TIMEOUT(m_a->settings().view().compression.level, 3, 5000);
        QCOMPARE(m_a->settings().view().simulation.ioScale, 0.25);
        QCOMPARE(m_a->settings().view().cache.ttlS, 12.5); // not undone by the other way round
    }

    void fieldsReadAtStartStayOwn()
    {
        QCOMPARE(patchSettings(m_a->port(),
                               R"({"database": {"dataset_seed": 7}, "http_cache": {"enabled": false}})")
                     .status,
                 200);
        QTRY_COMPARE_WITH_TIMEOUT(m_b->settings().view().httpCache.enabled, false, 5000);
        QCOMPARE(m_b->settings().view().database.datasetSeed, 42);
        QCOMPARE(m_a->settings().view().database.datasetSeed, 7);
    }

    void aLateMemberTakesTheClustersSettingsBeforeServing()
    {
        std::unique_ptr<lab::LabServer> c = member(QStringLiteral("c"), m_dirC, clusterRedisUrl());
        QVERIFY(!c->start());
        QCOMPARE(c->settings().view().cache.ttlS, 12.5);
        QCOMPARE(c->settings().view().compression.level, 3);
        QCOMPARE(c->settings().view().httpCache.enabled, false);
    }

    void aMemberNeedsARedis()
    {
        QTemporaryDir dir;
        std::unique_ptr<lab::LabServer> lonely = member(QStringLiteral("d"), dir, QString());
        const auto error = lonely->start();
        QVERIFY(error);
        QVERIFY2(error->message.contains(QStringLiteral("instance d of a cluster needs the cluster's Redis")),
                 qPrintable(error->message));
    }
};

QTEST_GUILESS_MAIN(TestClusterMembers)
#include "test_cluster_members.moc"

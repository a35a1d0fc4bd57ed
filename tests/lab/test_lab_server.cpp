// The lab server as a whole: /hello, /metrics checked by promtool, /admin/stats, and the
// sampler's live series fed by real requests over loopback.
#include "RawHttpClient.h"
#include "SmallDataset.h"

#include "engine/lab/LabServer.h"
#include "engine/metrics/Sample.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace perflab;
using namespace perflab::test;

class TestLabServer : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dataDir;
    std::unique_ptr<lab::LabServer> m_lab;

    RawResponse get(const QByteArray &path)
    {
        RawHttpClient client(m_lab->port());
        client.send(simpleGet(path));
        auto response = client.readResponse();
        return response.value_or(RawResponse{});
    }

private Q_SLOTS:
    void initTestCase()
    {
        lab::LabServerConfig config;
        config.server.port = 0;
        config.server.threads = 2;
        config.dataDir = m_dataDir.path(); // the job queue's files, not the user's data folder
        config.settings.database.datasetUsers = kSmallDatasetUsers;
        config.settings.database.datasetOrders = kSmallDatasetOrders;
        m_lab = std::make_unique<lab::LabServer>(config);
        QVERIFY(!m_lab->start());
    }
    void cleanupTestCase() { m_lab.reset(); }

    void metricsCountRequestsByRouteTemplate()
    {
        RawHttpClient client(m_lab->port());
        QByteArray batch;
        for (int i = 0; i < 10; ++i)
            batch += simpleGet("/hello");
        batch += simpleGet("/no/such/route");
        client.send(batch);
        QCOMPARE(client.readResponses(11).size(), size_t(11));

        const RawResponse metrics = get("/metrics");
        QCOMPARE(metrics.status, 200);
        QCOMPARE(metrics.header("content-type"), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
        QVERIFY2(
            metrics.body.contains("http_requests_total{method=\"GET\",route=\"/hello\",status=\"200\"} 10\n"),
            metrics.body.constData());
        QVERIFY(metrics.body.contains(
            "http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"));
        QVERIFY(
            metrics.body.contains("http_request_duration_seconds_bucket{route=\"/hello\",le=\"+Inf\"} 10\n"));
        QVERIFY(metrics.body.contains("http_request_duration_seconds_count{route=\"/hello\"} 10\n"));
        // The scrape itself is in flight while it renders.
        QVERIFY(metrics.body.contains("http_requests_in_flight 1\n"));
        QVERIFY(metrics.body.contains("http_response_bytes_total{encoding=\"identity\"}"));
    }

    void metricsPassPromtool()
    {
        get("/hello");
        const RawResponse metrics = get("/metrics");
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        QVERIFY2(!promtool.isEmpty(),
                 "promtool is missing: packaging/install-deps.sh installs it (package prometheus)");
        QProcess check;
        check.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
        QVERIFY(check.waitForStarted());
        check.write(metrics.body);
        check.closeWriteChannel();
        QVERIFY(check.waitForFinished(30000));
        QVERIFY2(check.exitCode() == 0,
                 QByteArray(check.readAllStandardOutput() + check.readAllStandardError()).constData());
    }

    void adminStatsIsTheSnapshot()
    {
        get("/hello");
        const RawResponse stats = get("/admin/stats");
        QCOMPARE(stats.status, 200);
        const QJsonObject root = QJsonDocument::fromJson(stats.body).object();
        QCOMPARE(root[QStringLiteral("server")].toObject()[QStringLiteral("threads")].toInt(), 2);
        QVERIFY(root[QStringLiteral("server")].toObject()[QStringLiteral("url")].toString().startsWith(
            QStringLiteral("http://127.0.0.1:")));
        const QJsonArray requests =
            root[QStringLiteral("counters")].toObject()[QStringLiteral("http_requests_total")].toArray();
        QVERIFY(!requests.isEmpty());
        const QJsonArray latency = root[QStringLiteral("histograms")]
                                       .toObject()[QStringLiteral("http_request_duration_seconds")]
                                       .toArray();
        bool sawHello = false;
        for (const QJsonValue &series : latency) {
            const QJsonObject s = series.toObject();
            if (s[QStringLiteral("labels")].toObject()[QStringLiteral("route")].toString() ==
                QLatin1String("/hello")) {
                sawHello = true;
                QVERIFY(s[QStringLiteral("count")].toDouble() >= 1);
                QVERIFY(s[QStringLiteral("p99_ms")].toDouble() > 0);
            }
        }
        QVERIFY(sawHello);
        const QJsonObject lab = root[QStringLiteral("lab")].toObject();
        QVERIFY(lab[QStringLiteral("cache")].toObject().contains(QStringLiteral("hit_rate")));
        QCOMPARE(lab[QStringLiteral("cache")].toObject()[QStringLiteral("entries")].toDouble(),
                 1000.0); // warm-up
        QCOMPARE(lab[QStringLiteral("limiter")].toObject()[QStringLiteral("max_in_flight")].toInt(), 10);
        QCOMPARE(lab[QStringLiteral("jobs")].toObject()[QStringLiteral("workers")].toInt(), 4);
    }

    void samplerSeesTheLoad()
    {
        const qsizetype requestsColumn = m_lab->sampler().schema().indexOf(QStringLiteral("requests"));
        QVERIFY(requestsColumn >= 0);
        double seen = 0;
        QObject::connect(&m_lab->sampler(), &metrics::Sampler::sampled, this,
                         [&](const metrics::Sample &sample) { seen += sample.value(requestsColumn); });
        for (int i = 0; i < 20; ++i)
            QCOMPARE(get("/hello").status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(seen >= 20, 3000);
    }

    // The server's side of the techniques reaches the same time series: cache lookups (user 1
    // is warm: hits; user 999999 is not: a miss), and the columns of the other stores.
    void samplerSeesTheCacheAndTheStores()
    {
        const metrics::SampleSchema &schema = m_lab->sampler().schema();
        for (const char *column : {"cache_hits", "cache_misses", "cache_entries", "queue_depth",
                                   "pool_in_use", "pool_waiters", "slow_queries", "job_queue_depth"})
            QVERIFY2(schema.indexOf(QLatin1String(column)) >= 0, column);
        const qsizetype hits = schema.indexOf(QStringLiteral("cache_hits"));
        const qsizetype misses = schema.indexOf(QStringLiteral("cache_misses"));
        const qsizetype entries = schema.indexOf(QStringLiteral("cache_entries"));
        double hitsSeen = 0, missesSeen = 0, entriesSeen = 0;
        QObject::connect(&m_lab->sampler(), &metrics::Sampler::sampled, this,
                         [&](const metrics::Sample &sample) {
                             hitsSeen += sample.value(hits);
                             missesSeen += sample.value(misses);
                             entriesSeen = sample.value(entries);
                         });
        for (int i = 0; i < 3; ++i)
            QCOMPARE(get("/users/1").status, 200);
        QCOMPARE(get("/users/" + QByteArray::number(kSmallDatasetUsers)).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(hitsSeen >= 3 && missesSeen >= 1, 3000);
        QVERIFY(entriesSeen >= 1000); // the warm-up's users
    }
};

QTEST_GUILESS_MAIN(TestLabServer)
#include "test_lab_server.moc"

// The lab's middleware chain over real sockets: request id and Server-Timing, compression
// (q-values, min_size, live switch), HTTP caching (weak ETags, lists, *, 412, live switch),
// concurrency limits (/limited's ceiling, /queued's 503), and /admin/settings.
#include "RawHttpClient.h"
#include "SmallDataset.h"

#include "engine/async/Sleep.h"
#include "engine/http/HttpServer.h"
#include "engine/lab/LabServer.h"
#include "engine/lab/middleware/Compression.h"
#include "engine/lab/middleware/ConcurrencyLimit.h"
#include "engine/lab/middleware/HttpCaching.h"
#include "engine/metrics/Registry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <zlib.h>

using namespace perflab;
using namespace perflab::test;

namespace {
QByteArray gunzip(const QByteArray &data)
{
    z_stream z{};
    inflateInit2(&z, 15 + 16);
    QByteArray out(1 << 20, Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    const int rc = inflate(&z, Z_FINISH);
    out.truncate(out.size() - qsizetype(z.avail_out));
    inflateEnd(&z);
    return rc == Z_STREAM_END ? out : QByteArray("<corrupt gzip>");
}

QByteArray patchRequest(const QByteArray &json)
{
    return "PATCH /admin/settings HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: " +
           QByteArray::number(json.size()) + "\r\n\r\n" + json;
}
} // namespace

class TestLabMiddleware : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dataDir;
    std::unique_ptr<lab::LabServer> m_lab;

    RawResponse request(const QByteArray &raw)
    {
        RawHttpClient client(m_lab->port());
        client.send(raw);
        return client.readResponse().value_or(RawResponse{});
    }
    void patch(const QByteArray &json) { QCOMPARE(request(patchRequest(json)).status, 200); }

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

    void everyResponseHasRequestIdAndServerTiming()
    {
        for (const QByteArray &path : {QByteArray("/hello"), QByteArray("/missing")}) {
            const RawResponse r = request(simpleGet(path));
            QVERIFY2(!r.header("x-request-id").isEmpty(), path.constData());
            QVERIFY2(
                QRegularExpression(QStringLiteral("^handler;dur=\\d+\\.\\d{3}, total;dur=\\d+\\.\\d{3}$"))
                    .match(QString::fromLatin1(r.header("server-timing")))
                    .hasMatch(),
                r.header("server-timing").constData());
        }
        const RawResponse a = request(simpleGet("/hello")), b = request(simpleGet("/hello"));
        QVERIFY(a.header("x-request-id") != b.header("x-request-id"));
        QCOMPARE(request(simpleGet("/hello", "X-Request-Id: abc-123\r\n")).header("x-request-id"),
                 QByteArray("abc-123"));
        QVERIFY(request(simpleGet("/hello", "X-Request-Id: bad id!\r\n")).header("x-request-id") !=
                "bad id!");
    }

    void settingsRoundTripAndValidation()
    {
        const RawResponse get = request(simpleGet("/admin/settings"));
        QCOMPARE(get.status, 200);
        settings::LabSettings started; // the defaults, but for the small dataset of initTestCase
        started.database.datasetUsers = kSmallDatasetUsers;
        started.database.datasetOrders = kSmallDatasetOrders;
        QCOMPARE(QJsonDocument::fromJson(get.body).object(), started.toJson());

        const RawResponse bad =
            request(patchRequest(R"({"compression": {"level": 12}, "cache": {"enabled": false}})"));
        QCOMPARE(bad.status, 422);
        const QJsonObject detail =
            QJsonDocument::fromJson(bad.body).object()[QStringLiteral("detail")].toArray().first().toObject();
        QCOMPARE(
            detail[QStringLiteral("loc")].toArray(),
            (QJsonArray{QStringLiteral("body"), QStringLiteral("compression"), QStringLiteral("level")}));
        QVERIFY2(detail[QStringLiteral("msg")].toString().contains(QStringLiteral("from 1 to 9")),
                 bad.body.constData());
        QVERIFY(m_lab->settings().view().cache.enabled); // nothing half-applied

        QCOMPARE(request(patchRequest("{not json")).status, 422);
        QCOMPARE(request(patchRequest("[1]")).status, 422);
    }

    void settingChangesAreEvents()
    {
        const size_t before = m_lab->sampler().store()->events().size();
        patch(R"({"simulation": {"io_scale": 0.5}})");
        QTRY_COMPARE(m_lab->sampler().store()->events().size(), before + 1);
        const auto event = m_lab->sampler().store()->events().back();
        QCOMPARE(event.kind, QStringLiteral("settings"));
        QCOMPARE(event.detail[QStringLiteral("simulation")].toObject()[QStringLiteral("io_scale")].toDouble(),
                 0.5);
        patch(R"({"simulation": {"io_scale": 1.0}})");
    }

    void compressionFollowsSettingsAndAcceptEncoding()
    {
        // /admin/settings is ~600 bytes: lower min_size so it qualifies.
        patch(R"({"compression": {"enabled": true, "min_size": 100}})");
        const QByteArray identity = request(simpleGet("/admin/settings")).body;
        RawResponse r = request(simpleGet("/admin/settings", "Accept-Encoding: gzip, deflate\r\n"));
        QCOMPARE(r.header("content-encoding"), QByteArray("gzip"));
        QCOMPARE(r.header("vary"), QByteArray("Accept-Encoding"));
        QCOMPARE(gunzip(r.body), identity);

        QVERIFY(request(simpleGet("/admin/settings", "Accept-Encoding: gzip;q=0, br\r\n"))
                    .header("content-encoding")
                    .isEmpty());
        QCOMPARE(
            request(simpleGet("/admin/settings", "Accept-Encoding: *;q=0.5\r\n")).header("content-encoding"),
            QByteArray("gzip"));
        r = request(simpleGet("/admin/settings"));
        QVERIFY(r.header("content-encoding").isEmpty());
        QCOMPARE(r.header("vary"), QByteArray("Accept-Encoding")); // eligible: it varies

        // Small bodies stay as they are.
        r = request(simpleGet("/hello", "Accept-Encoding: gzip\r\n"));
        QVERIFY(r.header("content-encoding").isEmpty());
        QVERIFY(r.header("vary").isEmpty());

        // The very next response after a PATCH follows it.
        RawHttpClient client(m_lab->port());
        client.send(patchRequest(R"({"compression": {"enabled": false}})") +
                    simpleGet("/admin/settings", "Accept-Encoding: gzip\r\n"));
        auto responses = client.readResponses(2);
        QCOMPARE(responses.size(), size_t(2));
        QVERIFY(responses[1].header("content-encoding").isEmpty());
        client.send(patchRequest(R"({"compression": {"enabled": true, "min_size": 100000}})") +
                    simpleGet("/admin/settings", "Accept-Encoding: gzip\r\n"));
        responses = client.readResponses(2);
        QCOMPARE(responses.size(), size_t(2));
        QVERIFY(responses[1].header("content-encoding").isEmpty()); // now under min_size
        patch(R"({"compression": {"min_size": 1000}})");
    }

    void acceptEncodingParsing_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<bool>("gzip");
        QTest::newRow("plain") << QByteArray("gzip") << true;
        QTest::newRow("list") << QByteArray("deflate, gzip;q=0.8") << true;
        QTest::newRow("q zero") << QByteArray("gzip;q=0") << false;
        QTest::newRow("q zero decimals") << QByteArray("gzip; q=0.000, br") << false;
        QTest::newRow("star") << QByteArray("*") << true;
        QTest::newRow("star but gzip refused") << QByteArray("*, gzip;q=0") << false;
        QTest::newRow("x-gzip") << QByteArray("x-gzip") << true;
        QTest::newRow("substring is not gzip") << QByteArray("gzipx, br") << false;
        QTest::newRow("identity only") << QByteArray("identity") << false;
        QTest::newRow("empty") << QByteArray("") << false;
    }
    void acceptEncodingParsing()
    {
        QFETCH(QByteArray, header);
        QFETCH(bool, gzip);
        QCOMPARE(lab::Compression::acceptsGzip(header), gzip);
    }

    void conditionalRequests_data()
    {
        QTest::addColumn<QByteArray>("ifNoneMatch");
        QTest::addColumn<int>("status");
        QTest::newRow("exact") << QByteArray("\"version123\"") << 304;
        QTest::newRow("weak in list") << QByteArray("W/\"other\", W/\"version123\"") << 304;
        QTest::newRow("star") << QByteArray("*") << 304;
        QTest::newRow("other") << QByteArray("\"version124\"") << 200;
        QTest::newRow("empty list") << QByteArray(" , ") << 200;
    }
    void conditionalRequests()
    {
        QFETCH(QByteArray, ifNoneMatch);
        QFETCH(int, status);
        RawHttpClient client(m_lab->port());
        client.send(simpleGet("/conditional", "If-None-Match: " + ifNoneMatch + "\r\n") +
                    simpleGet("/hello"));
        auto r = client.readResponse();
        QVERIFY(r);
        QCOMPARE(r->status, status);
        QCOMPARE(r->header("etag"), QByteArray("\"version123\""));
        if (status == 304)
            QVERIFY(r->body.isEmpty());
        else
            QCOMPARE(r->body, QByteArray("{\"data\":\"Full response\"}"));
        QCOMPARE(client.readResponse()->status, 200); // framing intact after a 304
    }

    void httpCacheHeadersAndSwitch()
    {
        RawResponse r = request(simpleGet("/static-data"));
        QCOMPARE(r.header("cache-control"), QByteArray("public, max-age=3600"));
        QCOMPARE(r.header("etag"), QByteArray("\"abc123\""));
        QCOMPARE(request(simpleGet("/data/7")).header("cache-control"), QByteArray("private, max-age=60"));
        QCOMPARE(request(simpleGet("/data/7")).body, QByteArray("{\"item_id\":7,\"value\":\"some value\"}"));

        patch(R"({"http_cache": {"enabled": false}})");
        r = request(simpleGet("/conditional", "If-None-Match: \"version123\"\r\n"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("etag").isEmpty());
        QVERIFY(request(simpleGet("/static-data")).header("cache-control").isEmpty());
        patch(R"({"http_cache": {"enabled": true}})");
    }

    void ifNoneMatchComparison()
    {
        QVERIFY(lab::HttpCaching::ifNoneMatchMatches("W/\"a\"", "\"a\""));
        QVERIFY(lab::HttpCaching::ifNoneMatchMatches("\"a\"", "W/\"a\""));
        QVERIFY(!lab::HttpCaching::ifNoneMatchMatches("\"a\"", ""));
        QVERIFY(!lab::HttpCaching::ifNoneMatchMatches("\"ab\"", "\"a\""));
    }
};

// The limiter on routes of its own, to count how many run at once.
class TestConcurrencyLimit : public QObject
{
    Q_OBJECT
    std::atomic<int> m_running{0};
    std::atomic<int> m_peak{0};

    std::shared_ptr<http::Router> router()
    {
        auto r = std::make_shared<http::Router>();
        auto work = [this](const http::HttpRequest &) -> QCoro::Task<http::HttpResponse> {
            const int now = ++m_running;
            int peak = m_peak.load();
            while (now > peak && !m_peak.compare_exchange_weak(peak, now)) {
            }
            co_await async::sleep(std::chrono::milliseconds(100));
            --m_running;
            co_return http::HttpResponse::json(200, QByteArrayLiteral("{\"result\":\"done\"}"));
        };
        r->addGetAsync("/limited", work);
        r->addGetAsync("/queued", work);
        return r;
    }

private Q_SLOTS:
    void limitedNeverExceedsMaxInFlight()
    {
        settings::SettingsStore settings;
        settings.patch(QJsonDocument::fromJson(R"({"concurrency": {"max_in_flight": 3}})").object());
        metrics::Registry registry;
        auto chain = std::make_shared<http::MiddlewareChain>();
        chain->add(std::make_shared<lab::ConcurrencyLimit>(settings, registry));
        http::ServerConfig config;
        config.port = 0;
        config.threads = 2;
        http::HttpServer server(router(), config, nullptr, chain);
        QVERIFY(!server.start());
        m_peak = 0;
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < 12; ++i) {
            clients.push_back(std::make_unique<RawHttpClient>(server.port()));
            clients.back()->send(simpleGet("/limited"));
        }
        QElapsedTimer timer;
        timer.start();
        for (auto &client : clients) {
            auto r = client->readResponse(10000);
            QVERIFY(r);
            QCOMPARE(r->status, 200);
        }
        QCOMPARE(m_peak.load(), 3);
        QVERIFY2(timer.elapsed() >= 350, qPrintable(QString::number(timer.elapsed()))); // 12 / 3 x 100 ms
    }

    void queuedGives503WhenFullAndTimedOut()
    {
        settings::SettingsStore settings;
        settings.patch(
            QJsonDocument::fromJson(R"({"concurrency": {"queue_size": 2, "queue_timeout_s": 0.05}})")
                .object());
        metrics::Registry registry;
        auto chain = std::make_shared<http::MiddlewareChain>();
        chain->add(std::make_shared<lab::ConcurrencyLimit>(settings, registry));
        http::ServerConfig config;
        config.port = 0;
        config.threads = 1;
        http::HttpServer server(router(), config, nullptr, chain);
        QVERIFY(!server.start());
        std::vector<std::unique_ptr<RawHttpClient>> clients;
        for (int i = 0; i < 5; ++i) {
            clients.push_back(std::make_unique<RawHttpClient>(server.port()));
            clients.back()->send(simpleGet("/queued"));
        }
        int ok = 0, unavailable = 0;
        for (auto &client : clients) {
            auto r = client->readResponse(5000);
            QVERIFY(r);
            if (r->status == 200)
                ++ok;
            if (r->status == 503) {
                ++unavailable;
                QCOMPARE(r->body, QByteArray("{\"detail\":\"Service temporarily unavailable\"}"));
            }
        }
        QCOMPARE(ok, 2);
        QCOMPARE(unavailable, 3);

        // limit_enabled = false lets everything in.
        settings.patch(QJsonDocument::fromJson(R"({"concurrency": {"limit_enabled": false}})").object());
        clients.clear();
        for (int i = 0; i < 5; ++i) {
            clients.push_back(std::make_unique<RawHttpClient>(server.port()));
            clients.back()->send(simpleGet("/queued"));
        }
        for (auto &client : clients)
            QCOMPARE(client->readResponse(5000).value_or(RawResponse{}).status, 200);
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int status = 0;
    {
        TestLabMiddleware t;
        status |= QTest::qExec(&t, argc, argv);
    }
    {
        TestConcurrencyLimit t;
        status |= QTest::qExec(&t, argc, argv);
    }
    return status;
}
#include "test_lab_middleware.moc"

// The load engine against real servers on 127.0.0.1: the closed model counts every response,
// the open model keeps its rate and measures from the intended send time, Server-Timing
// parts are summed, errors are told apart by kind, the model changes live, and a stop
// without grace counts the requests it cuts off as nothing.
#include "engine/http/HttpServer.h"
#include "engine/load/LoadEngine.h"
#include "engine/load/LoadMetrics.h"

#include <QCoroTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

using namespace perflab;
using namespace std::chrono_literals;

namespace {

std::atomic<int> g_served{0};

std::shared_ptr<http::Router> makeRouter()
{
    auto router = std::make_shared<http::Router>();
    router->addGet("/hello", [](const http::HttpRequest &) {
        g_served.fetch_add(1);
        return http::HttpResponse::json(200, QByteArrayLiteral("{\"message\":\"hello\"}"));
    });
    router->addGet("/timed", [](const http::HttpRequest &) {
        http::HttpResponse response = http::HttpResponse::json(200, QByteArrayLiteral("{}"));
        response.addHeader("Server-Timing", "db;dur=2, app;desc=\"handler\";dur=1.5");
        return response;
    });
    router->addGet("/fail", [](const http::HttpRequest &) {
        return http::HttpResponse::error(500, QStringLiteral("failed"));
    });
    router->addGetAsync("/slow", [](const http::HttpRequest &request) -> QCoro::Task<http::HttpResponse> {
        const auto ms = request.queryParam("ms");
        co_await QCoro::sleepFor(std::chrono::milliseconds(ms ? ms->toInt() : 50));
        co_return http::HttpResponse::json(200, QByteArrayLiteral("{}"));
    });
    router->addGet("/user/{user_id:int}", [](const http::HttpRequest &) {
        return http::HttpResponse::json(200, QByteArrayLiteral("{}"));
    });
    return router;
}

// A port on which nothing listens.
quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

// Accepts nothing and reads nothing: connects succeed (the kernel's backlog), answers never come.
class SilentListener
{
public:
    SilentListener()
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
        ::listen(m_fd, 128);
        socklen_t length = sizeof address;
        ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&address), &length);
        m_port = ntohs(address.sin_port);
    }
    ~SilentListener() { ::close(m_fd); }
    quint16 port() const { return m_port; }

private:
    int m_fd = -1;
    quint16 m_port = 0;
};

// Answers every request with the start of a response, then closes the connection.
class CuttingServer : public QTcpServer
{
public:
    CuttingServer()
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                    socket->readAll();
                    socket->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part");
                    socket->flush();
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
};

load::HttpTarget targetAt(quint16 port)
{
    load::HttpTarget target;
    target.host = QStringLiteral("127.0.0.1");
    target.port = port;
    return target;
}

load::RequestSpec get(const QString &path, double weight = 1.0)
{
    load::RequestSpec spec;
    spec.path = path;
    spec.weight = weight;
    return spec;
}

load::LoadModel closedModel(int connections)
{
    load::LoadModel model;
    model.kind = load::LoadModelKind::Closed;
    model.connections = connections;
    return model;
}

load::LoadModel openModel(double rate, int connections)
{
    load::LoadModel model;
    model.kind = load::LoadModelKind::Open;
    model.rate = rate;
    model.connections = connections;
    return model;
}

load::LoadOptions optionsWith(int threads, std::chrono::milliseconds timeout = 5000ms)
{
    load::LoadOptions options;
    options.threads = threads;
    options.timeout = timeout;
    options.connectTimeout = 2000ms;
    return options;
}

} // namespace

class TestLoadEngine : public QObject
{
    Q_OBJECT

    std::unique_ptr<http::HttpServer> m_server;

private Q_SLOTS:
    void initTestCase()
    {
        http::ServerConfig config;
        config.port = 0;
        config.threads = 1;
        m_server = std::make_unique<http::HttpServer>(makeRouter(), config);
        QVERIFY(!m_server->start());
    }
    void cleanupTestCase() { m_server.reset(); }

    void closedModelCountsEveryResponse_data()
    {
        QTest::addColumn<int>("threads");
        QTest::addColumn<int>("connections");
        QTest::newRow("1 thread, 1 connection") << 1 << 1;
        QTest::newRow("2 threads, 8 connections") << 2 << 8;
    }

    void closedModelCountsEveryResponse()
    {
        QFETCH(int, threads);
        QFETCH(int, connections);
        g_served = 0;
        load::LoadEngine engine(targetAt(m_server->port()), {get(QStringLiteral("/hello"))},
                                optionsWith(threads));
        QVERIFY(!engine.start(closedModel(connections)));
        QVERIFY(engine.isRunning());
        QTest::qWait(400);
        engine.stop(2000ms); // every request in flight is answered within the grace
        QVERIFY(!engine.isRunning());

        const load::RouteStats stats = engine.snapshot().total();
        QVERIFY(stats.responses > 50);
        QCOMPARE(stats.responses, std::uint64_t(g_served.load()));
        QCOMPARE(stats.statusCounts.at(200), stats.responses);
        QCOMPARE(stats.corrected.totalCount(), stats.responses);
        QCOMPARE(stats.uncorrected.totalCount(), stats.responses);
        QVERIFY2(stats.errors.empty(), qPrintable(QString::number(stats.errorCount())));
        // Closed loop: the intended time is the actual send time.
        QCOMPARE(stats.corrected.sumUs(), stats.uncorrected.sumUs());
        QVERIFY(stats.bytesReceived > stats.responses * 19); // at least the body of each
        QCOMPARE(engine.registry()
                     .gaugeFamily(QString::fromLatin1(load::LoadMetricNames::InFlight), {})
                     .series()
                     ->value(),
                 0);

        // The sampler saw the requests too.
        const auto store = engine.sampler().store();
        const auto column = engine.sampler().schema().indexOf(QStringLiteral("requests"));
        QVERIFY(column >= 0);
        double sampled = 0;
        for (const auto &sample : store->samples())
            sampled += sample.value(column);
        QVERIFY2(sampled > 0, qPrintable(QString::number(sampled)));
    }

    void openModelKeepsTheRateAndMeasuresFromTheIntendedTime()
    {
        load::LoadEngine engine(targetAt(m_server->port()), {get(QStringLiteral("/hello"))}, optionsWith(2));
        QVERIFY(!engine.start(openModel(500, 8)));
        QTest::qWait(2000);
        engine.stop(1000ms);
        const load::RouteStats stats = engine.snapshot().total();
        // 500/s for 2 s: ~1000 (generous bounds for a loaded machine).
        QVERIFY2(stats.responses >= 800 && stats.responses <= 1100,
                 qPrintable(QString::number(stats.responses)));
        QVERIFY(stats.errors.empty());
        for (double p : {50.0, 90.0, 99.0, 100.0})
            QVERIFY(stats.corrected.valueAtPercentile(p) >= stats.uncorrected.valueAtPercentile(p));
        QVERIFY(stats.corrected.sumUs() >= stats.uncorrected.sumUs());
    }

    void openModelCountsTheWaitOfAStalledServer()
    {
        // 2 connections on a 50 ms route serve at most 40/s; at 100/s requests queue up, and
        // their latency from the intended time grows while the per-send latency stays ~50 ms.
        load::LoadEngine engine(targetAt(m_server->port()), {get(QStringLiteral("/slow?ms=50"))},
                                optionsWith(1));
        QVERIFY(!engine.start(openModel(100, 2)));
        QTest::qWait(1500);
        engine.stop(1000ms);
        const load::RouteStats stats = engine.snapshot().total();
        QVERIFY(stats.responses > 20);
        const auto correctedP90 = stats.corrected.valueAtPercentile(90);
        const auto uncorrectedP90 = stats.uncorrected.valueAtPercentile(90);
        QVERIFY2(uncorrectedP90 >= 50'000 && uncorrectedP90 < 250'000,
                 qPrintable(QString::number(uncorrectedP90)));
        QVERIFY2(correctedP90 > 3 * uncorrectedP90,
                 qPrintable(QStringLiteral("%1 vs %2").arg(correctedP90).arg(uncorrectedP90)));
        QVERIFY(stats.lateSends > 10);
    }

    void serverTimingPartsAreSummed()
    {
        load::LoadEngine engine(targetAt(m_server->port()), {get(QStringLiteral("/timed"))}, optionsWith(1));
        QVERIFY(!engine.start(closedModel(2)));
        QTest::qWait(300);
        engine.stop(2000ms);
        const load::RouteStats stats = engine.snapshot().total();
        QVERIFY(stats.responses > 10);
        QCOMPARE(stats.serverTiming.size(), std::size_t(2));
        QCOMPARE(stats.serverTiming.at(QStringLiteral("db")).count, stats.responses);
        QCOMPARE(stats.serverTiming.at(QStringLiteral("app")).count, stats.responses);
        QCOMPARE(stats.serverTiming.at(QStringLiteral("db")).totalMs, 2.0 * double(stats.responses));
        QCOMPARE(stats.serverTiming.at(QStringLiteral("app")).meanMs(), 1.5);
    }

    void errorsAreCountedByKind_data()
    {
        QTest::addColumn<QString>("server");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("status"); // of the responses, 0 when none come back
        QTest::newRow("connect refused") << QStringLiteral("closed") << QStringLiteral("/hello")
                                         << QString::fromLatin1(load::ErrorKind::Connect) << 0;
        QTest::newRow("timeout") << QStringLiteral("silent") << QStringLiteral("/hello")
                                 << QString::fromLatin1(load::ErrorKind::Timeout) << 0;
        QTest::newRow("reset mid-response") << QStringLiteral("cutting") << QStringLiteral("/hello")
                                            << QString::fromLatin1(load::ErrorKind::Reset) << 0;
        QTest::newRow("status 5xx") << QStringLiteral("lab") << QStringLiteral("/fail")
                                    << QString::fromLatin1(load::ErrorKind::Status5xx) << 500;
        QTest::newRow("status 4xx") << QStringLiteral("lab") << QStringLiteral("/nowhere")
                                    << QString::fromLatin1(load::ErrorKind::Status4xx) << 404;
    }

    void errorsAreCountedByKind()
    {
        QFETCH(QString, server);
        QFETCH(QString, path);
        QFETCH(QString, kind);
        QFETCH(int, status);
        SilentListener silent;
        CuttingServer cutting;
        quint16 port = m_server->port();
        if (server == QLatin1String("closed"))
            port = closedPort();
        else if (server == QLatin1String("silent"))
            port = silent.port();
        else if (server == QLatin1String("cutting"))
            port = cutting.serverPort();

        load::LoadEngine engine(targetAt(port), {get(path)}, optionsWith(1, 200ms));
        QVERIFY(!engine.start(closedModel(2)));
        QTest::qWait(800);
        engine.stop(0ms);
        const load::RouteStats stats = engine.snapshot().total();
        QVERIFY2(stats.errors.count(kind) == 1 && stats.errors.at(kind) >= 2, qPrintable(kind));
        QCOMPARE(stats.errors.size(), std::size_t(1)); // no other kind
        if (status == 0) {
            QCOMPARE(stats.responses, std::uint64_t(0));
        } else {
            QVERIFY(stats.responses > 0);
            QCOMPARE(stats.statusCounts.at(status), stats.responses);
            QCOMPARE(stats.errors.at(kind), stats.responses);
        }
    }

    void setModelChangesTheRateLive()
    {
        load::LoadEngine engine(targetAt(m_server->port()), {get(QStringLiteral("/hello"))}, optionsWith(2));
        QVERIFY(!engine.start(openModel(200, 4)));
        QTest::qWait(1000);
        const load::LoadSnapshot first = engine.snapshot();
        engine.setModel(openModel(1000, 8));
        QTest::qWait(1000);
        const load::LoadSnapshot second = engine.snapshot();
        // Then a closed loop on fewer connections: the surplus ones retire, nothing fails.
        engine.setModel(closedModel(2));
        QTest::qWait(300);
        engine.stop(1000ms);
        const load::RouteStats firstStats = first.total();
        QVERIFY2(firstStats.responses >= 150 && firstStats.responses <= 260,
                 qPrintable(QString::number(firstStats.responses)));
        const std::uint64_t secondCount = second.total().responses - firstStats.responses;
        QVERIFY2(secondCount >= 800 && secondCount <= 1200, qPrintable(QString::number(secondCount)));
        const load::RouteStats all = engine.snapshot().total();
        QVERIFY(all.responses > second.total().responses + 100);
        QVERIFY(all.errors.empty());
    }

    void closedModelThinksBetweenRequests()
    {
        // 2 connections, 100 ms think time, ~0 ms answers: ~10 requests/s each.
        load::LoadModel model = closedModel(2);
        model.thinkMs = 100;
        load::LoadEngine engine(targetAt(m_server->port()), {get(QStringLiteral("/hello"))}, optionsWith(1));
        QVERIFY(!engine.start(model));
        QTest::qWait(1000);
        engine.stop(1000ms);
        const auto responses = engine.snapshot().total().responses;
        QVERIFY2(responses >= 12 && responses <= 26, qPrintable(QString::number(responses)));
    }

    void stagesRampTheRateThenStop()
    {
        // 0 -> 400/s over 1 s and back to 0 over 0.5 s intends 200 + 100 requests; the last
        // rate (0) then holds.
        load::LoadModel model;
        model.kind = load::LoadModelKind::Stages;
        model.connections = 4;
        model.stages = {{1.0, 400.0}, {0.5, 0.0}};
        load::LoadEngine engine(targetAt(m_server->port()), {get(QStringLiteral("/hello"))}, optionsWith(2));
        QVERIFY(!engine.start(model));
        QTest::qWait(2000);
        engine.stop(1000ms);
        const auto responses = engine.snapshot().total().responses;
        QVERIFY2(responses >= 290 && responses <= 300, qPrintable(QString::number(responses)));
    }

    void stopWithoutGraceCountsCutOffRequestsAsNothing()
    {
        load::LoadEngine engine(targetAt(m_server->port()), {get(QStringLiteral("/slow?ms=2000"))},
                                optionsWith(2));
        QVERIFY(!engine.start(closedModel(4)));
        QTest::qWait(200);
        engine.stop(0ms);
        const load::RouteStats stats = engine.snapshot().total();
        QCOMPARE(stats.responses, std::uint64_t(0));
        QVERIFY(stats.errors.empty());
        QCOMPARE(engine.registry()
                     .gaugeFamily(QString::fromLatin1(load::LoadMetricNames::InFlight), {})
                     .series()
                     ->value(),
                 0);
    }

    void mixIsWeightedAndTemplatesExpand()
    {
        load::LoadEngine engine(
            targetAt(m_server->port()),
            {get(QStringLiteral("/hello"), 3), get(QStringLiteral("/user/{uniform:1..1000}"), 1)},
            optionsWith(1));
        QVERIFY(!engine.start(closedModel(4)));
        QTest::qWait(500);
        engine.stop(2000ms);
        const load::LoadSnapshot snapshot = engine.snapshot();
        QCOMPARE(snapshot.routes.size(), std::size_t(2));
        QCOMPARE(snapshot.routes[0].route, QStringLiteral("GET /hello"));
        QCOMPARE(snapshot.routes[1].route, QStringLiteral("GET /user/{uniform:1..1000}"));
        const double hello = double(snapshot.routes[0].responses);
        const double user = double(snapshot.routes[1].responses);
        QVERIFY(user > 20);
        QCOMPARE(snapshot.routes[1].statusCounts.at(200),
                 snapshot.routes[1].responses); // valid ids: no 404/422
        QVERIFY2(hello / user > 2.0 && hello / user < 4.5, qPrintable(QString::number(hello / user)));
    }
};

QTEST_GUILESS_MAIN(TestLoadEngine)
#include "test_load_engine.moc"

// GET /async, /sync, /blocking, /non-blocking, /user/{id}/serial|concurrent|safe-concurrent,
// /with-timeout and /multi-timeout over loopback (guide chapter 1 and FAQ Q2).
#include "RoutesFixture.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace perflab;
using namespace perflab::test;

namespace {

const QByteArray kUser7 = "{\"id\":7,\"name\":\"User 7\"}";
const QByteArray kOrders = "[{\"order_id\":0},{\"order_id\":1},{\"order_id\":2}]";
const QByteArray kProfile = "{\"bio\":\"User bio\",\"avatar\":\"avatar.jpg\"}";

} // namespace

class TestConcurrencyRoutes : public RoutesSuite
{
    Q_OBJECT

private Q_SLOTS:
    void answers_data()
    {
        // io_scale 0.05: the guide's 1 s is 50 ms, its 0.5 s is 25 ms.
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("minMs");
        QTest::newRow("async") << QByteArray("/async") << QByteArray("{\"result\":\"async result\"}") << 45;
        QTest::newRow("sync") << QByteArray("/sync") << QByteArray("{\"result\":\"sync result\"}") << 45;
        QTest::newRow("blocking") << QByteArray("/blocking") << QByteArray("{\"result\":\"done\"}") << 45;
        QTest::newRow("non-blocking")
            << QByteArray("/non-blocking") << QByteArray("{\"result\":\"done\"}") << 45;
        QTest::newRow("serial") << QByteArray("/user/7/serial")
                                << QByteArray("{\"user\":" + kUser7 + ",\"orders\":" + kOrders +
                                              ",\"profile\":" + kProfile + "}")
                                << 3 * 22;
        QTest::newRow("concurrent") << QByteArray("/user/7/concurrent")
                                    << QByteArray("{\"user\":" + kUser7 + ",\"orders\":" + kOrders +
                                                  ",\"profile\":" + kProfile + "}")
                                    << 22;
        QTest::newRow("negative id") << QByteArray("/user/-3/concurrent")
                                     << QByteArray("{\"user\":{\"id\":-3,\"name\":\"User -3\"},\"orders\":" +
                                                   kOrders + ",\"profile\":" + kProfile + "}")
                                     << 22;
    }

    void answers()
    {
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(int, minMs);
        const TimedResponse timed = timedRequest(m_server->port(), simpleGet(path));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, 200);
        QCOMPARE(timed.response->header("content-type"), QByteArray("application/json"));
        QCOMPARE(timed.response->header("content-length"), QByteArray::number(body.size()));
        QCOMPARE(timed.response->body, body);
        QVERIFY2(timed.elapsedMs >= minMs, QByteArray::number(timed.elapsedMs).constData());
    }

    void userIdMustBeAnInteger()
    {
        const TimedResponse timed = timedRequest(m_server->port(), simpleGet("/user/abc/serial"));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, 422);
        QCOMPARE(validationErrors(timed.response->body),
                 QStringList{QStringLiteral("int_parsing@path.user_id")});
    }

    void serialIsThreeTimesConcurrentOnce_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<int>("delays");
        QTest::addColumn<double>("ioScale");
        // 0.05 (one fetch 25 ms) is the tight check; 0.2 (100 ms) leaves more room for noise.
        QTest::newRow("serial 0.05") << QByteArray("/user/1/serial") << 3 << 0.05;
        QTest::newRow("concurrent 0.05") << QByteArray("/user/1/concurrent") << 1 << 0.05;
        QTest::newRow("serial 0.2") << QByteArray("/user/1/serial") << 3 << 0.2;
        QTest::newRow("concurrent 0.2") << QByteArray("/user/1/concurrent") << 1 << 0.2;
    }

    void serialIsThreeTimesConcurrentOnce()
    {
        QFETCH(QByteArray, path);
        QFETCH(int, delays);
        QFETCH(double, ioScale);
        m_server->setSimulation(ioScale);
        const double expectedMs = delays * 500.0 * ioScale; // the guide's fetch is 0.5 s
        const TimedResponse timed = fastestOf(3, m_server->port(), simpleGet(path));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, 200);
        const QByteArray detail = "took " + QByteArray::number(timed.elapsedMs) + " ms, expected ~" +
                                  QByteArray::number(expectedMs);
        // The lower bound allows for Qt's coarse timers, which may fire up to 5 % early.
        QVERIFY2(timed.elapsedMs >= 0.9 * expectedMs, detail.constData());
        QVERIFY2(timed.elapsedMs <= 1.2 * expectedMs, detail.constData());
    }

    void safeConcurrentLeavesFailedPartsOut_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<double>("failureRate");
        QTest::addColumn<QByteArray>("body");
        const QByteArray user = "\"user\":" + kUser7;
        const QByteArray orders = "\"orders\":" + kOrders;
        const QByteArray profile = "\"profile\":" + kProfile;
        QTest::newRow("none fail") << QByteArray() << 0.0
                                   << QByteArray("{" + user + ',' + orders + ',' + profile + "}");
        QTest::newRow("orders") << QByteArray("?fail=orders") << 0.0
                                << QByteArray("{" + user + ',' + profile + "}");
        QTest::newRow("user,profile")
            << QByteArray("?fail=user,profile") << 0.0 << QByteArray("{" + orders + "}");
        QTest::newRow("spaces, repeats") << QByteArray("?fail=%20profile%20,,profile") << 0.0
                                         << QByteArray("{" + user + ',' + orders + "}");
        QTest::newRow("all") << QByteArray("?fail=user,orders,profile") << 0.0 << QByteArray("{}");
        QTest::newRow("failure_rate 1") << QByteArray() << 1.0 << QByteArray("{}");
        QTest::newRow("failure_rate 1 and fail") << QByteArray("?fail=orders") << 1.0 << QByteArray("{}");
    }

    void safeConcurrentLeavesFailedPartsOut()
    {
        QFETCH(QByteArray, query);
        QFETCH(double, failureRate);
        QFETCH(QByteArray, body);
        m_server->setSimulation(kTestIoScale, failureRate);
        const TimedResponse timed =
            timedRequest(m_server->port(), simpleGet("/user/7/safe-concurrent" + query));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, 200);
        QCOMPARE(timed.response->body, body);
        QVERIFY2(timed.elapsedMs >= 22,
                 QByteArray::number(timed.elapsedMs).constData()); // failures come after the round trip
    }

    void safeConcurrentRejectsUnknownParts()
    {
        const TimedResponse timed =
            timedRequest(m_server->port(), simpleGet("/user/7/safe-concurrent?fail=order"));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, 422);
        QCOMPARE(validationErrors(timed.response->body), QStringList{QStringLiteral("enum@query.fail")});
        const QJsonObject error =
            QJsonDocument::fromJson(timed.response->body)[QStringLiteral("detail")][0].toObject();
        QCOMPARE(error[QStringLiteral("input")].toString(), QStringLiteral("order"));
    }

    void withTimeout_data()
    {
        // Seconds of the guide; at io_scale 0.05 "work=20" is 1 s and "timeout=5" is 250 ms.
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("minMs");
        QTest::addColumn<int>("maxMs");
        const QByteArray timedOut = "{\"detail\":\"Operation timed out\"}";
        const QByteArray done = "{\"result\":\"done\"}";
        QTest::newRow("guide defaults: 10 s work, 5 s timeout")
            << QByteArray() << 408 << timedOut << 225 << 450;
        QTest::newRow("times out long before the work ends")
            << QByteArray("?work=20&timeout=5") << 408 << timedOut << 225 << 700;
        QTest::newRow("fractional timeout")
            << QByteArray("?work=20&timeout=2.5") << 408 << timedOut << 110 << 600;
        QTest::newRow("work within the timeout")
            << QByteArray("?work=2&timeout=5") << 200 << done << 90 << 240;
        QTest::newRow("no work") << QByteArray("?work=0") << 200 << done << 0 << 200;
    }

    void withTimeout()
    {
        QFETCH(QByteArray, query);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, minMs);
        QFETCH(int, maxMs);
        const TimedResponse timed = timedRequest(m_server->port(), simpleGet("/with-timeout" + query));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, status);
        QCOMPARE(timed.response->header("content-type"), QByteArray("application/json"));
        QCOMPARE(timed.response->body, body);
        const QByteArray took = "took " + QByteArray::number(timed.elapsedMs) + " ms";
        QVERIFY2(timed.elapsedMs >= minMs && timed.elapsedMs < maxMs, took.constData());
    }

    void withTimeoutRejectsBadNumbers_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QStringList>("errors");
        QTest::newRow("work not a number")
            << QByteArray("?work=abc") << QStringList{QStringLiteral("float_parsing@query.work")};
        QTest::newRow("timeout empty")
            << QByteArray("?timeout=") << QStringList{QStringLiteral("float_parsing@query.timeout")};
        QTest::newRow("both") << QByteArray("?work=x&timeout=1s")
                              << QStringList{QStringLiteral("float_parsing@query.work"),
                                             QStringLiteral("float_parsing@query.timeout")};
        QTest::newRow("negative") << QByteArray("?timeout=-1")
                                  << QStringList{QStringLiteral("greater_than_equal@query.timeout")};
        QTest::newRow("too large") << QByteArray("?work=1e9")
                                   << QStringList{QStringLiteral("less_than_equal@query.work")};
        QTest::newRow("infinite") << QByteArray("?work=inf")
                                  << QStringList{QStringLiteral("finite_number@query.work")};
    }

    void withTimeoutRejectsBadNumbers()
    {
        QFETCH(QByteArray, query);
        QFETCH(QStringList, errors);
        const TimedResponse timed = timedRequest(m_server->port(), simpleGet("/with-timeout" + query));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, 422);
        QCOMPARE(validationErrors(timed.response->body), errors);
        const QJsonObject first =
            QJsonDocument::fromJson(timed.response->body)[QStringLiteral("detail")][0].toObject();
        QVERIFY(first.contains(QStringLiteral("msg")));
        QVERIFY(first.contains(QStringLiteral("input")));
    }

    void multiTimeout_data()
    {
        // The budget is 2 s (100 ms); fetch_user and fetch_orders take 0.5 s (25 ms).
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QByteArray>("results");
        QTest::addColumn<int>("pending");
        QTest::addColumn<int>("minMs");
        QTest::addColumn<int>("maxMs");
        QTest::newRow("both in time")
            << QByteArray() << QByteArray("[{\"id\":1,\"name\":\"User 1\"}," + kOrders + "]") << 0 << 22
            << 90;
        QTest::newRow("orders too slow")
            << QByteArray("?slow=10") << QByteArray("[{\"id\":1,\"name\":\"User 1\"}]") << 1 << 90 << 400;
        QTest::newRow("budget too small") << QByteArray("?budget=0.1") << QByteArray("[]") << 2 << 0 << 22;
        QTest::newRow("larger budget")
            << QByteArray("?slow=3&budget=4")
            << QByteArray("[{\"id\":1,\"name\":\"User 1\"}," + kOrders + "]") << 0 << 140 << 200;
    }

    void multiTimeout()
    {
        QFETCH(QByteArray, query);
        QFETCH(QByteArray, results);
        QFETCH(int, pending);
        QFETCH(int, minMs);
        QFETCH(int, maxMs);
        const TimedResponse timed = fastestOf(2, m_server->port(), simpleGet("/multi-timeout" + query));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, 200);
        QCOMPARE(timed.response->body,
                 "{\"results\":" + results + ",\"pending_count\":" + QByteArray::number(pending) + "}");
        const QByteArray took = "took " + QByteArray::number(timed.elapsedMs) + " ms";
        QVERIFY2(timed.elapsedMs >= minMs && timed.elapsedMs < maxMs, took.constData());
    }

    void multiTimeoutRejectsBadNumbers()
    {
        const TimedResponse timed =
            timedRequest(m_server->port(), simpleGet("/multi-timeout?slow=soon&budget=-2"));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, 422);
        QCOMPARE(validationErrors(timed.response->body),
                 (QStringList{QStringLiteral("float_parsing@query.slow"),
                              QStringLiteral("greater_than_equal@query.budget")}));
    }

    void onlyTheBlockingRouteStallsItsWorker_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<bool>("stalls");
        QTest::newRow("blocking") << QByteArray("/blocking") << true;
        QTest::newRow("non-blocking") << QByteArray("/non-blocking") << false;
        QTest::newRow("sync (blocking pool)") << QByteArray("/sync") << false;
        QTest::newRow("async") << QByteArray("/async") << false;
    }

    void onlyTheBlockingRouteStallsItsWorker()
    {
        QFETCH(QByteArray, path);
        QFETCH(bool, stalls);
        // One worker thread, so /hello lands on the same event loop; the guide's 1 s is 400 ms.
        RoutesServer server(1);
        QVERIFY(server.isRunning());
        server.setSimulation(0.4);
        RawHttpClient slow(server.port());
        RawHttpClient probe(server.port());
        probe.send(simpleGet("/hello")); // both connections accepted before the worker is busy
        QVERIFY(probe.readResponse());

        slow.send(simpleGet(path));
        QTest::qWait(100); // the slow request is in its handler now
        QElapsedTimer timer;
        timer.start();
        probe.send(simpleGet("/hello"));
        const auto hello = probe.readResponse(5000);
        const qint64 helloMs = timer.elapsed();
        QVERIFY(hello);
        QCOMPARE(hello->body, QByteArray("{\"message\":\"hello\"}"));
        const QByteArray took = "/hello took " + QByteArray::number(helloMs) + " ms";
        if (stalls)
            QVERIFY2(helloMs >= 200, took.constData()); // waited for the rest of the 400 ms
        else
            QVERIFY2(helloMs < 200, took.constData());

        const auto slowResponse = slow.readResponse(5000);
        QVERIFY(slowResponse);
        QCOMPARE(slowResponse->status, 200);
    }
};

std::unique_ptr<QObject> createConcurrencyRoutesTests()
{
    return std::make_unique<TestConcurrencyRoutes>();
}

#include "test_concurrency_routes.moc"

// The HTTP/1.1 server over real loopback sockets: keep-alive, pipelining, framing, limits,
// errors and graceful drain.
#include "LoopbackLab.h"
#include "TestRoutes.h"

#include "engine/http/HttpServer.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace perflab;
using namespace perflab::test;

class TestHttpServer : public QObject
{
    Q_OBJECT

    std::unique_ptr<http::HttpServer> startServer(http::ServerLimits limits = {}, int threads = 2)
    {
        http::ServerConfig config = loopbackConfig(threads);
        config.limits = limits;
        config.drainTimeout = std::chrono::milliseconds(5000);
        // The same suite runs a second time on Qt's own dispatcher (see CMakeLists.txt).
        config.useQtDispatcher = qEnvironmentVariableIsSet("PERFLAB_TEST_QT_DISPATCHER");
        auto server = std::make_unique<http::HttpServer>(makeTestRouter(), config);
        auto error = server->start();
        if (error)
            qWarning("start failed: %s", qPrintable(error->message));
        return server;
    }

    std::unique_ptr<http::HttpServer> m_server;

private Q_SLOTS:
    void initTestCase()
    {
        m_server = startServer();
        QVERIFY(m_server->isRunning());
    }
    void cleanupTestCase() { m_server.reset(); }

    void helloHasDateServerAndLength()
    {
        RawHttpClient client(m_server->port());
        client.send(simpleGet("/hello"));
        auto r = client.readResponse();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("{\"message\":\"hello\"}"));
        QCOMPARE(r->header("content-type"), QByteArray("application/json"));
        QCOMPARE(r->header("content-length"), QByteArray::number(r->body.size()));
        QVERIFY(r->header("server").startsWith("perflab/"));
        // IMF-fixdate, e.g. "Wed, 25 Nov 2026 02:13:57 GMT"
        QVERIFY2(QRegularExpression(
                     QStringLiteral("^[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$"))
                     .match(QString::fromLatin1(r->header("date")))
                     .hasMatch(),
                 r->header("date").constData());
    }

    void keepAliveServesManyRequestsOnOneConnection()
    {
        RawHttpClient client(m_server->port());
        for (int i = 0; i < 5; ++i) {
            client.send(simpleGet("/user/" + QByteArray::number(i)));
            auto r = client.readResponse();
            QVERIFY(r);
            QCOMPARE(r->status, 200);
            QCOMPARE(r->body, "{\"user_id\":" + QByteArray::number(i) + "}");
            QVERIFY(r->header("connection").isEmpty());
        }
        QVERIFY(client.isConnected());
    }

    void pipelinedRequestsAnswerInOrder()
    {
        // The first is slow (async), the second and third are immediate: order must hold.
        RawHttpClient client(m_server->port());
        client.send(simpleGet("/slow?ms=150") + simpleGet("/user/7") + simpleGet("/hello"));
        auto responses = client.readResponses(3);
        QCOMPARE(responses.size(), size_t(3));
        QCOMPARE(responses[0].body, QByteArray("{\"slept\":150}"));
        QCOMPARE(responses[1].body, QByteArray("{\"user_id\":7}"));
        QCOMPARE(responses[2].body, QByteArray("{\"message\":\"hello\"}"));
    }

    void manyPipelinedRequestsInOneWrite()
    {
        // More than the pipelining limit: reading pauses and resumes without losing any.
        RawHttpClient client(m_server->port());
        QByteArray batch;
        for (int i = 0; i < 300; ++i)
            batch += simpleGet(i % 3 == 0 ? QByteArray("/slow?ms=1")
                                          : QByteArray("/user/" + QByteArray::number(i)));
        client.send(batch);
        auto responses = client.readResponses(300, 10000);
        QCOMPARE(responses.size(), size_t(300));
        for (int i = 0; i < 300; ++i) {
            if (i % 3 == 0)
                QCOMPARE(responses[size_t(i)].body, QByteArray("{\"slept\":1}"));
            else
                QCOMPARE(responses[size_t(i)].body, "{\"user_id\":" + QByteArray::number(i) + "}");
        }
    }

    void connectionCloseIsHonoured()
    {
        RawHttpClient client(m_server->port());
        client.send(simpleGet("/hello", "Connection: close\r\n") + simpleGet("/hello"));
        auto r = client.readResponse();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->header("connection"), QByteArray("close"));
        QVERIFY(client.waitForClose());
        QVERIFY2(client.unreadBytes().isEmpty(), "nothing after the Connection: close response");
    }

    void http10ClosesByDefault()
    {
        RawHttpClient client(m_server->port());
        client.send("GET /hello HTTP/1.0\r\n\r\n");
        auto r = client.readResponse();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("{\"message\":\"hello\"}"));
        QCOMPARE(r->header("connection"), QByteArray("close"));
        QVERIFY(client.waitForClose());
    }

    void http10KeepAliveOnRequest()
    {
        RawHttpClient client(m_server->port());
        client.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        auto r = client.readResponse();
        QVERIFY(r);
        QCOMPARE(r->header("connection"), QByteArray("keep-alive"));
        client.send("GET /user/3 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        r = client.readResponse();
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray("{\"user_id\":3}"));
    }

    void http10StreamEndsWithClose()
    {
        RawHttpClient client(m_server->port());
        client.send("GET /stream?n=3 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        QVERIFY(client.waitForClose());
        auto r = client.readResponse(100);
        QVERIFY(r);
        QVERIFY(r->header("transfer-encoding").isEmpty());
        QCOMPARE(r->body, QByteArray("line 0\nline 1\nline 2\n"));
    }

    void headHasGetHeadersWithoutBody()
    {
        RawHttpClient client(m_server->port());
        client.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n" + simpleGet("/user/1"));
        auto head = client.readResponse(5000, true);
        QVERIFY(head);
        QCOMPARE(head->status, 200);
        QCOMPARE(head->header("content-length"), QByteArray("19"));
        QVERIFY(head->body.isEmpty());
        // The next response starts right after the head: no body bytes were sent.
        auto next = client.readResponse();
        QVERIFY(next);
        QCOMPARE(next->body, QByteArray("{\"user_id\":1}"));
    }

    void headOfAStreamHasItsHeadOnly()
    {
        RawHttpClient client(m_server->port());
        client.send("HEAD /stream?n=3 HTTP/1.1\r\nHost: t\r\n\r\n" + simpleGet("/hello"));
        auto head = client.readResponse(5000, true);
        QVERIFY(head);
        QCOMPARE(head->status, 200);
        QCOMPARE(head->header("transfer-encoding"), QByteArray("chunked"));
        auto next = client.readResponse();
        QVERIFY(next);
        QCOMPARE(next->body, QByteArray("{\"message\":\"hello\"}"));
    }

    void chunkedRequestBody()
    {
        RawHttpClient client(m_server->port());
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n" +
                    simpleGet("/hello"));
        auto r = client.readResponse();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("hello, world"));
        QVERIFY(client.readResponse());
    }

    void chunkedBodyInDribbles()
    {
        RawHttpClient client(m_server->port());
        const QByteArray request = "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                                   "a\r\n0123456789\r\n3\r\nabc\r\n0\r\n\r\n";
        for (char c : request) {
            client.send(QByteArray(1, c));
            client.socket().flush();
        }
        auto r = client.readResponse();
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray("0123456789abc"));
    }

    void contentLengthBody()
    {
        RawHttpClient client(m_server->port());
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 11\r\n\r\nhello world");
        auto r = client.readResponse();
        QVERIFY(r);
        QCOMPARE(r->body, QByteArray("hello world"));
    }

    void expectContinue()
    {
        RawHttpClient client(m_server->port());
        client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        auto interim = client.readResponse();
        QVERIFY(interim);
        QCOMPARE(interim->status, 100);
        client.send("data");
        auto r = client.readResponse();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("data"));
    }

    void chunkedResponse()
    {
        RawHttpClient client(m_server->port());
        client.send(simpleGet("/stream?n=4&ms=5") + simpleGet("/hello"));
        auto r = client.readResponse();
        QVERIFY(r);
        QCOMPARE(r->header("transfer-encoding"), QByteArray("chunked"));
        QCOMPARE(r->body, QByteArray("line 0\nline 1\nline 2\nline 3\n"));
        auto after = client.readResponse();
        QVERIFY(after);
        QCOMPARE(after->body, QByteArray("{\"message\":\"hello\"}"));
    }

    void errorStatuses_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("detailContains");
        QTest::newRow("unknown route") << simpleGet("/nope") << 404 << QByteArray("Not Found");
        QTest::newRow("wrong method") << QByteArray("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n") << 405
                                      << QByteArray("Method Not Allowed");
        QTest::newRow("int param") << simpleGet("/user/abc") << 422
                                   << QByteArray("\"loc\":[\"path\",\"user_id\"]");
        QTest::newRow("handler throws") << simpleGet("/boom") << 500 << QByteArray("kaboom");
        QTest::newRow("async handler throws")
            << simpleGet("/async-boom") << 500 << QByteArray("async kaboom");
        QTest::newRow("http/2.0") << QByteArray("GET /hello HTTP/2.0\r\nHost: t\r\n\r\n") << 505
                                  << QByteArray("version");
        QTest::newRow("http/3.0") << QByteArray("GET /hello HTTP/3.0\r\nHost: t\r\n\r\n") << 505
                                  << QByteArray("version");
        QTest::newRow("bad version") << QByteArray("GET /hello HTTQ/1.1\r\nHost: t\r\n\r\n") << 400
                                     << QByteArray("version");
        QTest::newRow("no host") << QByteArray("GET /hello HTTP/1.1\r\n\r\n") << 400 << QByteArray("Host");
        QTest::newRow("two hosts") << QByteArray("GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") << 400
                                   << QByteArray("Host");
        QTest::newRow("cl and te")
            << QByteArray(
                   "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
            << 400 << QByteArray("Content-Length and Transfer-Encoding");
        QTest::newRow("two different cl")
            << QByteArray(
                   "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
            << 400 << QByteArray("conflicting");
        QTest::newRow("negative cl") << QByteArray(
                                            "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n")
                                     << 400 << QByteArray("Content-Length");
        QTest::newRow("cl with plus")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: +3\r\n\r\nabc") << 400
            << QByteArray("Content-Length");
        QTest::newRow("chunk size not hex")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n") << 400
            << QByteArray("chunk size");
        QTest::newRow("chunk size with space")
            << QByteArray(
                   "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n 5\r\nhello\r\n0\r\n\r\n")
            << 400 << QByteArray("chunk size");
        QTest::newRow("chunk size 0x")
            << QByteArray(
                   "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n")
            << 400 << QByteArray("chunk size");
        QTest::newRow("chunk without crlf")
            << QByteArray(
                   "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n")
            << 400 << QByteArray("CRLF");
        QTest::newRow("te gzip")
            << QByteArray(
                   "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n")
            << 501 << QByteArray("Transfer-Encoding");
        QTest::newRow("te in http/1.0")
            << QByteArray("POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << 400
            << QByteArray("HTTP/1.0");
        QTest::newRow("control char") << QByteArray("GET /hello HTTP/1.1\r\nHost: t\r\nX-A: a\x01"
                                                    "b\r\n\r\n")
                                      << 400 << QByteArray("control character");
        QTest::newRow("nul in value")
            << (QByteArray("GET /hello HTTP/1.1\r\nHost: t\r\nX-A: a") + '\0' + QByteArray("b\r\n\r\n"))
            << 400 << QByteArray("control character");
        QTest::newRow("no colon") << QByteArray("GET /hello HTTP/1.1\r\nHost: t\r\nNoColonHere\r\n\r\n")
                                  << 400 << QByteArray("colon");
        QTest::newRow("space before colon") << QByteArray("GET /hello HTTP/1.1\r\nHost: t\r\nX-A : b\r\n\r\n")
                                            << 400 << QByteArray("field name");
        QTest::newRow("obs-fold") << QByteArray(
                                         "GET /hello HTTP/1.1\r\nHost: t\r\nX-A: a\r\n  folded\r\n\r\n")
                                  << 400 << QByteArray("folding");
        QTest::newRow("bare lf") << QByteArray("GET /hello HTTP/1.1\nHost: t\n\n\r\n\r\n") << 400
                                 << QByteArray("");
        QTest::newRow("garbage line") << QByteArray("HELLO\r\n\r\n") << 400 << QByteArray("request line");
        QTest::newRow("space in target")
            << QByteArray("GET /a b HTTP/1.1\r\nHost: t\r\n\r\n") << 400 << QByteArray("request line");
        QTest::newRow("expect other")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: magic\r\nContent-Length: 1\r\n\r\nx")
            << 417 << QByteArray("expectation");
        QTest::newRow("body too large")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1048577\r\n\r\n") << 413
            << QByteArray("too large");
        QTest::newRow("chunked too large")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n100001\r\n")
            << 413 << QByteArray("too large");
        QTest::newRow("headers too large")
            << ("GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + QByteArray(17 * 1024, 'a') + "\r\n\r\n") << 431
            << QByteArray("header section");
        QTest::newRow("uri too long")
            << ("GET /" + QByteArray(9 * 1024, 'a') + " HTTP/1.1\r\nHost: t\r\n\r\n") << 414
            << QByteArray("request line");
    }

    void errorStatuses()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QByteArray, detailContains);
        RawHttpClient client(m_server->port());
        client.send(request);
        auto r = client.readResponse();
        QVERIFY(r);
        QCOMPARE(r->status, status);
        QCOMPARE(r->header("content-type"), QByteArray("application/json"));
        QVERIFY2(r->body.contains("\"detail\""), r->body.constData());
        QVERIFY2(r->body.contains(detailContains), r->body.constData());
        if (status == 405)
            QCOMPARE(r->header("allow"), QByteArray("GET, HEAD"));
        if (status == 400 || status == 413 || status == 414 || status == 431 || status == 505 ||
            status == 501 || status == 417) {
            QCOMPARE(r->header("connection"), QByteArray("close"));
            QVERIFY(client.waitForClose());
        }
    }

    void methodNotAllowedListsEveryMethod()
    {
        RawHttpClient client(m_server->port());
        client.send("PUT /user/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
        auto r = client.readResponse();
        QVERIFY(r);
        QCOMPARE(r->status, 405);
        QCOMPARE(r->header("allow"), QByteArray("GET, HEAD, POST"));
    }

    void unprocessableNamesTheParameter()
    {
        RawHttpClient client(m_server->port());
        client.send(simpleGet("/user/12x"));
        auto r = client.readResponse();
        QVERIFY(r);
        const QJsonObject detail =
            QJsonDocument::fromJson(r->body).object()[QStringLiteral("detail")].toArray().first().toObject();
        QCOMPARE(detail[QStringLiteral("type")].toString(), QStringLiteral("int_parsing"));
        QCOMPARE(detail[QStringLiteral("input")].toString(), QStringLiteral("12x"));
        QCOMPARE(detail[QStringLiteral("loc")].toArray().last().toString(), QStringLiteral("user_id"));
        QVERIFY(client.isConnected()); // a 422 keeps the connection
    }

    void headerTimeoutGives408()
    {
        http::ServerLimits limits;
        limits.requestTimeout = std::chrono::milliseconds(300);
        auto server = startServer(limits, 1);
        RawHttpClient client(server->port());
        client.send("GET /hello HTTP/1.1\r\nHost: t\r\n"); // never finished
        auto r = client.readResponse(3000);
        QVERIFY(r);
        QCOMPARE(r->status, 408);
        QVERIFY(client.waitForClose(3000));
    }

    void idleKeepAliveIsClosed()
    {
        http::ServerLimits limits;
        limits.keepAliveTimeout = std::chrono::milliseconds(300);
        auto server = startServer(limits, 1);
        RawHttpClient client(server->port());
        client.send(simpleGet("/hello"));
        QVERIFY(client.readResponse());
        QElapsedTimer timer;
        timer.start();
        QVERIFY(client.waitForClose(3000));
        QVERIFY2(timer.elapsed() >= 250, "closed before the keep-alive timeout");
        QVERIFY(client.unreadBytes().isEmpty()); // closed silently, no 408
    }

    void tooManyConnectionsGet503()
    {
        http::ServerLimits limits;
        limits.maxConnections = 2;
        auto server = startServer(limits, 1);
        RawHttpClient a(server->port()), b(server->port());
        a.send(simpleGet("/hello"));
        b.send(simpleGet("/hello"));
        QVERIFY(a.readResponse());
        QVERIFY(b.readResponse());
        RawHttpClient c(server->port());
        auto r = c.readResponse();
        QVERIFY(r);
        QCOMPARE(r->status, 503);
        QVERIFY(c.waitForClose());
    }

    void portInUseIsReported()
    {
        http::ServerConfig config;
        config.port = m_server->port();
        http::HttpServer second(makeTestRouter(), config);
        auto error = second.start();
        QVERIFY(error);
        QCOMPARE(error->kind, http::StartError::Kind::AddressInUse);
        QVERIFY2(error->message.contains(QString::number(m_server->port())), qPrintable(error->message));
        QVERIFY(!second.isRunning());
    }

    void gracefulDrainCompletesInFlight()
    {
        auto server = startServer({}, 2);
        RawHttpClient busy(server->port());
        RawHttpClient idle(server->port());
        idle.send(simpleGet("/hello"));
        QVERIFY(idle.readResponse());
        busy.send(simpleGet("/slow?ms=400"));
        QTest::qWait(50); // the request is in the handler now
        QSignalSpy drained(server.get(), &http::HttpServer::drained);
        server->drain();
        QVERIFY(idle.waitForClose(2000)); // idle connections close at once
        auto r = busy.readResponse(3000);
        QVERIFY(r);
        QCOMPARE(r->status, 200);
        QCOMPARE(r->body, QByteArray("{\"slept\":400}"));
        QCOMPARE(r->header("connection"), QByteArray("close"));
        QVERIFY(busy.waitForClose(3000));
        QVERIFY(drained.wait(3000) || drained.count() == 1);
        RawHttpClient late(server->port());
        QVERIFY(!late.isConnected() || !late.readResponse(500));
    }

    void clientLeavingMidRequestIsHarmless()
    {
        {
            RawHttpClient client(m_server->port());
            client.send(simpleGet("/slow?ms=100") + simpleGet("/stream?n=1000&ms=1"));
        } // closed before the answers
        QTest::qWait(300);
        RawHttpClient client(m_server->port());
        client.send(simpleGet("/hello"));
        auto r = client.readResponse();
        QVERIFY(r);
        QCOMPARE(r->status, 200);
    }
};

QTEST_GUILESS_MAIN(TestHttpServer)
#include "test_http_server.moc"

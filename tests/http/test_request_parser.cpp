// RequestParser in isolation: incremental feeding at every split point, views into the head,
// and the limits (the server tests check the same statuses over sockets).
#include "engine/http/RequestParser.h"

#include <QTest>

using namespace perflab::http;

class TestRequestParser : public QObject
{
    Q_OBJECT

    static RequestParser::Result feedAll(RequestParser &parser, const QByteArray &bytes,
                                         ParserLimits limits = {})
    {
        return parser.parse(bytes.constData(), bytes.size(), limits);
    }

private Q_SLOTS:
    void parsesFieldsAsViews()
    {
        const QByteArray raw = "POST /a/b?x=1&name=J%C3%BCrgen+K HTTP/1.1\r\nHost: h\r\nX-Multi:  v1 \r\n"
                               "Content-Length: 3\r\n\r\nabcGET";
        RequestParser parser;
        QCOMPARE(feedAll(parser, raw), RequestParser::Result::Complete);
        QCOMPARE(parser.consumed(), raw.size() - 3); // the next request's bytes are left
        HttpRequest r = parser.takeRequest();
        QCOMPARE(r.method, Method::Post);
        QCOMPARE(r.path, QByteArrayView("/a/b"));
        QCOMPARE(r.query, QByteArrayView("x=1&name=J%C3%BCrgen+K"));
        QCOMPARE(r.header("x-multi").value(), QByteArrayView("v1"));
        QCOMPARE(r.header("HOST").value(), QByteArrayView("h"));
        QCOMPARE(r.body, QByteArray("abc"));
        QCOMPARE(r.queryParam("name").value(), QString::fromUtf8("Jürgen K"));
        QCOMPARE(r.queryParam("x").value(), QStringLiteral("1"));
        QVERIFY(!r.queryParam("missing"));
        QVERIFY(r.keepAlive);
        // Views stay valid after the request moves.
        HttpRequest moved = std::move(r);
        QCOMPARE(moved.path, QByteArrayView("/a/b"));
    }

    void everySplitPointGivesTheSameRequest_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("content-length")
            << QByteArray("POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello")
            << QByteArray("hello");
        QTest::newRow("chunked")
            << QByteArray(
                   "POST /e HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: 1\r\n\r\n")
            << QByteArray("abcde");
        QTest::newRow("no body, leading crlf")
            << QByteArray("\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n") << QByteArray();
    }

    void everySplitPointGivesTheSameRequest()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QByteArray, body);
        for (qsizetype split = 1; split <= raw.size(); ++split) {
            RequestParser parser;
            const QByteArray first = raw.left(split);
            auto result = feedAll(parser, first);
            if (split < raw.size()) {
                QCOMPARE(result, RequestParser::Result::NeedMore);
                result = feedAll(parser, raw);
            }
            QCOMPARE(result, RequestParser::Result::Complete);
            QCOMPARE(parser.consumed(), raw.size());
            QCOMPARE(parser.takeRequest().body, body);
        }
    }

    void http10KeepAliveRules_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\n\r\n") << true;
        QTest::newRow("1.1 close") << QByteArray(
                                          "GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade, close\r\n\r\n")
                                   << false;
        QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
        QTest::newRow("1.0 keep-alive")
            << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << true;
    }

    void http10KeepAliveRules()
    {
        QFETCH(QByteArray, raw);
        QFETCH(bool, keepAlive);
        RequestParser parser;
        QCOMPARE(feedAll(parser, raw), RequestParser::Result::Complete);
        QCOMPARE(parser.takeRequest().keepAlive, keepAlive);
    }

    void absoluteFormKeepsPathAndQuery()
    {
        RequestParser parser;
        QCOMPARE(feedAll(parser, "GET http://example.com/x/y?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n"),
                 RequestParser::Result::Complete);
        HttpRequest r = parser.takeRequest();
        QCOMPARE(r.path, QByteArrayView("/x/y"));
        QCOMPARE(r.query, QByteArrayView("q=1"));
    }

    void limitsAreSettings()
    {
        ParserLimits small;
        small.maxHeaderBytes = 100;
        small.maxBodyBytes = 10;
        RequestParser parser;
        QCOMPARE(
            feedAll(parser, "GET / HTTP/1.1\r\nHost: h\r\nX: " + QByteArray(120, 'a') + "\r\n\r\n", small),
            RequestParser::Result::Error);
        QCOMPARE(parser.error().status, 431);
        parser.reset();
        QCOMPARE(feedAll(parser, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", small),
                 RequestParser::Result::Error);
        QCOMPARE(parser.error().status, 413);
        parser.reset();
        // Exactly at the limit is fine.
        QCOMPARE(feedAll(parser, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789", small),
                 RequestParser::Result::Complete);
    }

    void incompleteHeadOverTheLimitFailsEarly()
    {
        // No blank line yet, but already too big: 431 without waiting for more.
        RequestParser parser;
        QCOMPARE(feedAll(parser, "GET / HTTP/1.1\r\nHost: h\r\nX: " + QByteArray(17 * 1024, 'a')),
                 RequestParser::Result::Error);
        QCOMPARE(parser.error().status, 431);
    }
};

QTEST_GUILESS_MAIN(TestRequestParser)
#include "test_request_parser.moc"

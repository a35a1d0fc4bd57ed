// The load client's response parser: framing (Content-Length, chunked with extensions and
// trailers, read-to-close, bodiless responses), keep-alive, Server-Timing parts, and
// malformed input reported as errors. Every response is also fed split at every byte, the
// way a socket may deliver it, and must give the same result.
#include "engine/load/ResponseParser.h"

#include <QTest>

using perflab::load::ResponseParser;

namespace {

struct Outcome
{
    ResponseParser::Result result = ResponseParser::Result::NeedMore;
    int status = 0;
    bool keepAlive = false;
    qint64 bytes = 0;
    qint64 leftover = 0; // bytes not consumed after Complete
    QString timing;      // "name=dur;name=dur"
};

QString timingOf(const ResponseParser &parser)
{
    QStringList parts;
    for (int i = 0; i < parser.timingPartCount(); ++i) {
        const auto &part = parser.timingPart(i);
        parts << QString::fromLatin1(part.nameView()) + QLatin1Char('=') + QString::number(part.durMs);
    }
    return parts.join(QLatin1Char(';'));
}

// Feeds `pieces` one after the other the way ClientConnection does: unconsumed bytes stay at
// the front of the buffer and are fed again with the next piece.
Outcome feed(const QList<QByteArray> &pieces, bool head, bool closeAtEnd)
{
    ResponseParser parser;
    parser.begin(head);
    QByteArray buffer;
    Outcome outcome;
    for (const QByteArray &piece : pieces) {
        buffer += piece;
        std::int64_t consumed = 0;
        outcome.result = parser.parse(buffer.constData(), buffer.size(), consumed);
        buffer.remove(0, qsizetype(consumed));
        if (outcome.result != ResponseParser::Result::NeedMore)
            break;
    }
    if (outcome.result == ResponseParser::Result::NeedMore && closeAtEnd)
        outcome.result = parser.finishOnClose();
    outcome.leftover = buffer.size();
    if (outcome.result == ResponseParser::Result::Complete) {
        outcome.status = parser.status();
        outcome.keepAlive = parser.keepAlive();
        outcome.bytes = parser.bytesReceived();
        outcome.timing = timingOf(parser);
    }
    return outcome;
}

QByteArray crlf(QByteArray text)
{
    return text.replace("\n", "\r\n");
}

} // namespace

class TestResponseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parses_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<bool>("head");
        QTest::addColumn<bool>("closeAtEnd"); // the server closes after the bytes
        QTest::addColumn<bool>("ok");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("keepAlive");
        QTest::addColumn<QString>("timing");

        auto ok = [](const char *name, QByteArray raw, int status, bool keepAlive, QString timing = {},
                     bool head = false, bool closeAtEnd = false) {
            QTest::newRow(name) << raw << head << closeAtEnd << true << status << keepAlive << timing;
        };
        auto bad = [](const char *name, QByteArray raw) {
            QTest::newRow(name) << raw << false << false << false << 0 << false << QString();
        };

        ok("content-length", crlf("HTTP/1.1 200 OK\nContent-Length: 5\n\nhello"), 200, true);
        ok("content-length zero", crlf("HTTP/1.1 200 OK\nContent-Length: 0\n\n"), 200, true);
        ok("no reason phrase", crlf("HTTP/1.1 404\nContent-Length: 2\n\nno"), 404, true);
        ok("bare LF line ends", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", 200, true);
        ok("chunked", crlf("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n5\nhello\n7\n, world\n0\n\n"), 200,
           true);
        ok("chunked with extensions and trailers",
           crlf("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n5;name=value\nhello\nA ; "
                "x=\"y\"\n0123456789\n0\nX-Trailer: 1\nServer-Timing: total;dur=9.5\n\n"),
           200, true, QStringLiteral("total=9.5"));
        ok("chunked upper-case hex",
           crlf("HTTP/1.1 200 OK\nTransfer-Encoding: gzip, "
                "chunked\n\n1F\n0123456789012345678901234567890\n0\n\n"),
           200, true);
        ok("chunked wins over content-length",
           crlf("HTTP/1.1 200 OK\nContent-Length: 3\nTransfer-Encoding: chunked\n\n2\nok\n0\n\n"), 200, true);
        ok("connection close", crlf("HTTP/1.1 200 OK\nConnection: close\nContent-Length: 2\n\nok"), 200,
           false);
        ok("connection token list",
           crlf("HTTP/1.1 200 OK\nConnection: upgrade, Close\nContent-Length: 2\n\nok"), 200, false);
        ok("http/1.0 keep-alive", crlf("HTTP/1.0 200 OK\nConnection: keep-alive\nContent-Length: 2\n\nok"),
           200, true);
        ok("http/1.0 with length closes", crlf("HTTP/1.0 200 OK\nContent-Length: 2\n\nok"), 200, false);
        ok("http/1.0 read to close", crlf("HTTP/1.0 200 OK\nContent-Type: text/plain\n\nuntil the end"), 200,
           false, {}, false, true);
        ok("other transfer-encoding reads to close", crlf("HTTP/1.1 200 OK\nTransfer-Encoding: gzip\n\nxyz"),
           200, false, {}, false, true);
        ok("204 has no body", crlf("HTTP/1.1 204 No Content\nContent-Length: 10\n\n"), 204, true);
        ok("304 has no body", crlf("HTTP/1.1 304 Not Modified\nETag: \"x\"\nContent-Length: 17\n\n"), 304,
           true);
        ok("HEAD has no body", crlf("HTTP/1.1 200 OK\nContent-Length: 17000\n\n"), 200, true, {}, true);
        ok("100 continue is skipped",
           crlf("HTTP/1.1 100 Continue\n\nHTTP/1.1 201 Created\nContent-Length: 2\n\n{}"), 201, true);
        ok("server-timing list",
           crlf("HTTP/1.1 200 OK\nServer-Timing: db;dur=53, app;dur=47.2\nContent-Length: 0\n\n"), 200, true,
           QStringLiteral("db=53;app=47.2"));
        ok("server-timing desc before dur",
           crlf("HTTP/1.1 200 OK\nServer-Timing: cache;desc=\"Cache Read\";dur=23.2\nContent-Length: 0\n\n"),
           200, true, QStringLiteral("cache=23.2"));
        ok("server-timing without dur",
           crlf("HTTP/1.1 200 OK\nServer-Timing: miss, db;dur=2\nContent-Length: 0\n\n"), 200, true,
           QStringLiteral("miss=0;db=2"));
        ok("server-timing first dur counts",
           crlf("HTTP/1.1 200 OK\nServer-Timing: total;dur=123.4;dur=1\nContent-Length: 0\n\n"), 200, true,
           QStringLiteral("total=123.4"));
        ok("server-timing comma inside quotes",
           crlf("HTTP/1.1 200 OK\nServer-Timing: a;desc=\"x, y\";dur=1, b;dur=2\nContent-Length: 0\n\n"), 200,
           true, QStringLiteral("a=1;b=2"));
        ok("server-timing two fields",
           crlf("HTTP/1.1 200 OK\nServer-Timing: a;dur=1\nserver-timing: b;dur=2\nContent-Length: 0\n\n"),
           200, true, QStringLiteral("a=1;b=2"));
        ok("server-timing spaces and case",
           crlf("HTTP/1.1 200 OK\nServer-Timing:  queue ; DUR = 0.1 ,handler;dur=2.3\nContent-Length: 0\n\n"),
           200, true, QStringLiteral("queue=0.1;handler=2.3"));
        ok("server-timing bad dur is 0",
           crlf("HTTP/1.1 200 OK\nServer-Timing: x;dur=abc, y;dur=-1\nContent-Length: 0\n\n"), 200, true,
           QStringLiteral("x=0;y=0"));
        ok("server-timing same name twice sums",
           crlf("HTTP/1.1 200 OK\nServer-Timing: db;dur=1, db;dur=2.5\nContent-Length: 0\n\n"), 200, true,
           QStringLiteral("db=3.5"));

        bad("garbage status line", crlf("HTTX/1.1 200 OK\nContent-Length: 0\n\n"));
        bad("http/2 status line", crlf("HTTP/2 200 OK\nContent-Length: 0\n\n"));
        bad("status not digits", crlf("HTTP/1.1 2x0 OK\nContent-Length: 0\n\n"));
        bad("content-length not a number", crlf("HTTP/1.1 200 OK\nContent-Length: 12a\n\n"));
        bad("two different content-lengths",
            crlf("HTTP/1.1 200 OK\nContent-Length: 1\nContent-Length: 2\n\nok"));
        bad("header without colon", crlf("HTTP/1.1 200 OK\nContent-Length 0\n\n"));
        bad("obsolete line folding", crlf("HTTP/1.1 200 OK\nX-A: 1\n  continued\nContent-Length: 0\n\n"));
        bad("control character in value", crlf("HTTP/1.1 200 OK\nX-A: a\x01"
                                               "b\nContent-Length: 0\n\n"));
        bad("bad chunk size", crlf("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\nzz\nhello\n0\n\n"));
        bad("chunk without CRLF after data",
            crlf("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nokXX0\n\n"));
        bad("101 switching protocols", crlf("HTTP/1.1 101 Switching Protocols\nUpgrade: websocket\n\n"));
    }

    void parses()
    {
        QFETCH(QByteArray, raw);
        QFETCH(bool, head);
        QFETCH(bool, closeAtEnd);
        QFETCH(bool, ok);
        QFETCH(int, status);
        QFETCH(bool, keepAlive);
        QFETCH(QString, timing);

        auto check = [&](const Outcome &outcome, const QByteArray &how) {
            if (!ok) {
                QVERIFY2(outcome.result == ResponseParser::Result::Error, how.constData());
                return;
            }
            QVERIFY2(outcome.result == ResponseParser::Result::Complete, how.constData());
            QCOMPARE(outcome.status, status);
            QCOMPARE(outcome.keepAlive, keepAlive);
            QCOMPARE(outcome.bytes, qint64(raw.size()));
            QCOMPARE(outcome.leftover, qint64(0));
            QCOMPARE(outcome.timing, timing);
        };
        check(feed({raw}, head, closeAtEnd), "whole");
        for (qsizetype split = 1; split < raw.size(); ++split)
            check(feed({raw.left(split), raw.mid(split)}, head, closeAtEnd),
                  "split at " + QByteArray::number(split));
        QList<QByteArray> bytes;
        for (char c : raw)
            bytes << QByteArray(1, c);
        check(feed(bytes, head, closeAtEnd), "byte by byte");
    }

    void stopsAtTheEndOfTheResponse()
    {
        const QByteArray first = crlf("HTTP/1.1 200 OK\nContent-Length: 2\n\nok");
        const Outcome outcome = feed({first + "HTTP/1.1 200 OK\r\n"}, false, false);
        QVERIFY(outcome.result == ResponseParser::Result::Complete);
        QCOMPARE(outcome.bytes, qint64(first.size()));
        QCOMPARE(outcome.leftover, qint64(17));
    }

    void closeBeforeTheEndIsAnError_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::newRow("nothing") << QByteArray();
        QTest::newRow("half a head") << QByteArray("HTTP/1.1 200 OK\r\nContent-");
        QTest::newRow("short body") << crlf("HTTP/1.1 200 OK\nContent-Length: 10\n\nabc");
        QTest::newRow("inside a chunk") << crlf("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n5\nab");
    }

    void closeBeforeTheEndIsAnError()
    {
        QFETCH(QByteArray, raw);
        QVERIFY(feed({raw}, false, true).result == ResponseParser::Result::Error);
    }

    void headLargerThanTheLimitIsAnError()
    {
        QByteArray raw = "HTTP/1.1 200 OK\r\n";
        while (raw.size() <= ResponseParser::kMaxHeadBytes)
            raw += "X-Filler: " + QByteArray(100, 'x') + "\r\n";
        QVERIFY(feed({raw}, false, false).result == ResponseParser::Result::Error);
    }

    void bodyIsCountedNotStored()
    {
        // 10 MB of body through a 4 KiB window: the parser consumes it all as it comes.
        ResponseParser parser;
        parser.begin(false);
        const QByteArray headBytes = crlf("HTTP/1.1 200 OK\nContent-Length: 10000000\n\n");
        std::int64_t consumed = 0;
        QVERIFY(parser.parse(headBytes.constData(), headBytes.size(), consumed) ==
                ResponseParser::Result::NeedMore);
        QCOMPARE(consumed, std::int64_t(headBytes.size()));
        const QByteArray window(4096, 'b');
        std::int64_t body = 0;
        ResponseParser::Result result = ResponseParser::Result::NeedMore;
        while (result == ResponseParser::Result::NeedMore) {
            const std::int64_t n = std::min<std::int64_t>(window.size(), 10'000'000 - body);
            result = parser.parse(window.constData(), n, consumed);
            QCOMPARE(consumed, n);
            body += n;
        }
        QVERIFY(result == ResponseParser::Result::Complete);
        QCOMPARE(body, std::int64_t(10'000'000));
        QCOMPARE(parser.bytesReceived(), std::int64_t(headBytes.size()) + 10'000'000);
    }
};

QTEST_GUILESS_MAIN(TestResponseParser)
#include "test_response_parser.moc"

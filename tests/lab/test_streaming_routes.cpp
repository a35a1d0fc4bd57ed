// GET /stream, /events and /big over loopback (guide chapter 5): chunked framing as sent,
// generators stopped when the client leaves, SSE headers and events, the exact big body.
#include "RoutesFixture.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

using namespace perflab;
using namespace perflab::test;

namespace {

// The `data:` payloads of the complete events in `body`, in order; `pings` counts comments.
QList<QJsonObject> sseEvents(const QByteArray &body, int *pings = nullptr)
{
    QList<QJsonObject> events;
    int comments = 0;
    qsizetype pos = 0;
    while (true) {
        const qsizetype end = body.indexOf("\n\n", pos);
        if (end < 0)
            break;
        const QByteArray event = body.mid(pos, end - pos);
        pos = end + 2;
        if (event.startsWith(':')) {
            ++comments;
            continue;
        }
        if (event.startsWith("data: "))
            events.append(QJsonDocument::fromJson(event.mid(6)).object());
        else
            events.append(QJsonObject{{QStringLiteral("unexpected"), QString::fromUtf8(event)}});
    }
    if (pings)
        *pings = comments;
    return events;
}

} // namespace

class TestStreamingRoutes : public RoutesSuite
{
    Q_OBJECT

private Q_SLOTS:
    void streamSendsThousandLinesOneChunkEach()
    {
        const auto &counters = m_server->streamingStats().lines;
        const qint64 completedBefore = counters.completed;
        RawHttpClient client(m_server->port());
        QElapsedTimer timer;
        timer.start();
        client.send(simpleGet("/stream"));
        ChunkedReader reader(client.socket());
        QVERIFY(reader.readUntil([](const ChunkedReader &r) { return !r.chunks().empty(); }, 5000));
        const qint64 firstChunkMs = timer.elapsed();
        QVERIFY(reader.readToEnd(20000));
        const qint64 totalMs = timer.elapsed();

        QCOMPARE(reader.status(), 200);
        QCOMPARE(reader.header("content-type"), QByteArray("text/plain; charset=utf-8"));
        QCOMPARE(reader.header("transfer-encoding"), QByteArray("chunked"));
        QVERIFY(reader.header("content-length").isEmpty());
        QCOMPARE(reader.chunks().size(), size_t(1000));
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(reader.chunks()[size_t(i)], "data line " + QByteArray::number(i) + '\n');
        // Streamed, not buffered: 999 pauses of 0.5 ms (at least 1 ms each on Qt's timers).
        QVERIFY2(totalMs >= 400, QByteArray::number(totalMs).constData());
        QVERIFY2(firstChunkMs < totalMs / 2, QByteArray::number(firstChunkMs).constData());
        QTRY_COMPARE(counters.completed.load(), completedBefore + 1);

        // The connection is still good for the next request.
        client.send(simpleGet("/hello"));
        ChunkedReader next(client.socket());
        QVERIFY(next.readHead());
        QCOMPARE(next.status(), 200);
    }

    void clientLeavingStopsTheGenerator_data()
    {
        QTest::addColumn<bool>("abort"); // RST rather than FIN
        QTest::newRow("close") << false;
        QTest::newRow("abort") << true;
    }

    void clientLeavingStopsTheGenerator()
    {
        QFETCH(bool, abort);
        const auto &counters = m_server->streamingStats().lines;
        const qint64 stoppedBefore = counters.stopped;
        const qint64 chunksBefore = counters.chunks;
        {
            RawHttpClient client(m_server->port());
            client.send(simpleGet("/stream"));
            ChunkedReader reader(client.socket());
            QVERIFY(reader.readUntil([](const ChunkedReader &r) { return r.chunks().size() >= 5; }, 5000));
            if (abort)
                client.socket().abort();
            else
                client.socket().disconnectFromHost();
        }
        QTRY_COMPARE_WITH_TIMEOUT(counters.stopped.load(), stoppedBefore + 1, 5000);
        const qint64 produced = counters.chunks - chunksBefore;
        QVERIFY2(produced < 1000, QByteArray::number(produced).constData());
        QTest::qWait(100); // nothing more is produced once stopped
        QCOMPARE(counters.chunks - chunksBefore, produced);
    }

    void eventsStreamUntilTheClientLeaves()
    {
        const auto &counters = m_server->streamingStats().events;
        const qint64 openedBefore = counters.opened;
        const qint64 stoppedBefore = counters.stopped;
        RawHttpClient client(m_server->port());
        QElapsedTimer timer;
        timer.start();
        client.send(simpleGet("/events"));
        ChunkedReader reader(client.socket());
        QVERIFY(reader.readUntil([](const ChunkedReader &r) { return !r.chunks().empty(); }, 5000));
        QVERIFY2(timer.elapsed() < 1000, "the first event goes out at once");
        QCOMPARE(reader.status(), 200);
        QCOMPARE(reader.header("content-type"), QByteArray("text/event-stream"));
        QCOMPARE(reader.header("cache-control"), QByteArray("no-cache"));
        QCOMPARE(reader.header("transfer-encoding"), QByteArray("chunked"));
        QCOMPARE(counters.opened.load(), openedBefore + 1);

        // Events every 1 s (50 ms); a ping before every 15th (750 ms).
        QVERIFY(
            reader.readUntil([](const ChunkedReader &r) { return r.body().contains(": ping\n\n"); }, 5000));
        QVERIFY(
            reader.readUntil([](const ChunkedReader &r) { return sseEvents(r.body()).size() >= 16; }, 5000));
        int pings = 0;
        const QList<QJsonObject> events = sseEvents(reader.body(), &pings);
        QCOMPARE(pings, int((events.size() - 1) / 15)); // before events 15, 30, ...
        const QRegularExpression iso(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$"));
        for (int i = 0; i < events.size(); ++i) {
            QCOMPARE(events[i][QStringLiteral("counter")].toInt(-1), i);
            QVERIFY2(iso.match(events[i][QStringLiteral("time")].toString()).hasMatch(),
                     QJsonDocument(events[i]).toJson().constData());
        }
        QVERIFY(reader.body().contains("\n\n: ping\n\ndata: {\"counter\":15,"));
        QVERIFY(!reader.ended());

        client.socket().abort();
        QTRY_COMPARE_WITH_TIMEOUT(counters.stopped.load(), stoppedBefore + 1, 5000);
        QCOMPARE(counters.completed.load(), qint64(0));
    }

    void bigIsTheGuidesDocument()
    {
        const TimedResponse timed = timedRequest(m_server->port(), simpleGet("/big"));
        QVERIFY(timed.response);
        const RawResponse &r = *timed.response;
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("content-type"), QByteArray("application/json"));
        QCOMPARE(r.header("content-length"), QByteArray("16991"));
        QCOMPARE(r.body.size(), 16991);
        QVERIFY(r.body.startsWith(QByteArray("{\"items\":[{\"id\":0,\"name\":\"item 0\",\"description\":\"" +
                                             QByteArray(40, 'x') + "\"},")));
        QVERIFY(r.body.endsWith(QByteArray(",{\"id\":199,\"name\":\"item 199\",\"description\":\"" +
                                           QByteArray(40, 'x') + "\"}]}")));
        const QJsonObject document = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(document.size(), 1);
        const QJsonArray items = document[QStringLiteral("items")].toArray();
        QCOMPARE(items.size(), 200);
        for (int i = 0; i < items.size(); ++i) {
            const QJsonObject expected{{QStringLiteral("id"), i},
                                       {QStringLiteral("name"), QStringLiteral("item %1").arg(i)},
                                       {QStringLiteral("description"), QString(40, QLatin1Char('x'))}};
            QCOMPARE(items[i].toObject(), expected);
        }
        QCOMPARE(lab::bigBody(), r.body);
    }
};

std::unique_ptr<QObject> createStreamingRoutesTests()
{
    return std::make_unique<TestStreamingRoutes>();
}

#include "test_streaming_routes.moc"

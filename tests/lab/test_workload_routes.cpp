// GET /limited, /queued, POST /batch and GET /profile-test over loopback (guide chapters 5
// and 6, FAQ Q3).
#include "RoutesFixture.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace perflab;
using namespace perflab::test;

namespace {

QStringList childNames(const QJsonObject &span)
{
    QStringList names;
    for (const QJsonValue &child : span[QStringLiteral("children")].toArray())
        names.append(child[QStringLiteral("name")].toString());
    return names;
}

QJsonObject child(const QJsonObject &span, const QString &name)
{
    for (const QJsonValue &value : span[QStringLiteral("children")].toArray()) {
        if (value[QStringLiteral("name")].toString() == name)
            return value.toObject();
    }
    return {};
}

double durationMs(const QJsonObject &span)
{
    return span[QStringLiteral("duration_ms")].toDouble();
}

double startMs(const QJsonObject &span)
{
    return span[QStringLiteral("start_ms")].toDouble();
}

double endMs(const QJsonObject &span)
{
    return startMs(span) + durationMs(span);
}

} // namespace

class TestWorkloadRoutes : public RoutesSuite
{
    Q_OBJECT

private Q_SLOTS:
    void limitedAndQueuedDoTheirSecondOfWork_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::newRow("limited") << QByteArray("/limited");
        QTest::newRow("queued") << QByteArray("/queued");
    }

    void limitedAndQueuedDoTheirSecondOfWork()
    {
        QFETCH(QByteArray, path);
        const TimedResponse timed = timedRequest(m_server->port(), simpleGet(path));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, 200);
        QCOMPARE(timed.response->header("content-type"), QByteArray("application/json"));
        QCOMPARE(timed.response->body, QByteArray("{\"result\":\"done\"}"));
        QVERIFY2(timed.elapsedMs >= 45, QByteArray::number(timed.elapsedMs).constData());
    }

    void batchProcessesEveryItemInOrder_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("objects") << QByteArray("[{\"id\":1},{\"id\":2,\"tag\":\"b\"},{\"id\":3}]")
                                 << QByteArray("{\"results\":[{\"item\":{\"id\":1},\"processed\":true},"
                                               "{\"item\":{\"id\":2,\"tag\":\"b\"},\"processed\":true},"
                                               "{\"item\":{\"id\":3},\"processed\":true}]}");
        QTest::newRow("any JSON values") << QByteArray(" [1, \"two\", null, [3]] ")
                                         << QByteArray("{\"results\":[{\"item\":1,\"processed\":true},"
                                                       "{\"item\":\"two\",\"processed\":true},"
                                                       "{\"item\":null,\"processed\":true},"
                                                       "{\"item\":[3],\"processed\":true}]}");
        QTest::newRow("empty") << QByteArray("[]") << QByteArray("{\"results\":[]}");
    }

    void batchProcessesEveryItemInOrder()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, expected);
        const TimedResponse timed = timedRequest(m_server->port(), postJson("/batch", body));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, 200);
        QCOMPARE(timed.response->header("content-type"), QByteArray("application/json"));
        QCOMPARE(timed.response->body, expected);
    }

    void batchItemsRunConcurrently_data()
    {
        QTest::addColumn<int>("items");
        QTest::newRow("1 item") << 1;
        QTest::newRow("20 items") << 20;
        QTest::newRow("200 items") << 200;
    }

    void batchItemsRunConcurrently()
    {
        QFETCH(int, items);
        // io_scale 1: an item is the guide's 100 ms, so 20 items one by one would take 2 s.
        m_server->setSimulation(1.0);
        QJsonArray array;
        for (int i = 0; i < items; ++i)
            array.append(QJsonObject{{QStringLiteral("n"), i}});
        const TimedResponse timed = fastestOf(
            2, m_server->port(), postJson("/batch", QJsonDocument(array).toJson(QJsonDocument::Compact)));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, 200);
        const QJsonArray results =
            QJsonDocument::fromJson(timed.response->body)[QStringLiteral("results")].toArray();
        QCOMPARE(results.size(), items);
        for (int i = 0; i < items; ++i)
            QCOMPARE(results[i][QStringLiteral("item")][QStringLiteral("n")].toInt(-1), i);
        const QByteArray took = "took " + QByteArray::number(timed.elapsedMs) + " ms";
        QVERIFY2(timed.elapsedMs >= 90 && timed.elapsedMs < 200, took.constData());
    }

    void batchRejectsWhatIsNotAList_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("error");
        QTest::newRow("object") << QByteArray("{\"items\":[1]}") << QStringLiteral("list_type@body");
        QTest::newRow("number") << QByteArray("42") << QStringLiteral("list_type@body");
        QTest::newRow("string") << QByteArray("\"x\"") << QStringLiteral("list_type@body");
        QTest::newRow("not JSON") << QByteArray("[1, 2") << QStringLiteral("json_invalid@body.5");
        QTest::newRow("no body") << QByteArray() << QStringLiteral("missing@body");
        QByteArray tooMany = "[0";
        for (int i = 1; i < 1001; ++i)
            tooMany += ",0";
        tooMany += ']';
        QTest::newRow("1001 items") << tooMany << QStringLiteral("too_long@body");
    }

    void batchRejectsWhatIsNotAList()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, error);
        const TimedResponse timed = timedRequest(m_server->port(), postJson("/batch", body));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, 422);
        QCOMPARE(timed.response->header("content-type"), QByteArray("application/json"));
        QCOMPARE(validationErrors(timed.response->body), QStringList{error});
    }

    void batchIsPostOnly()
    {
        const TimedResponse timed = timedRequest(m_server->port(), simpleGet("/batch"));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, 405);
        QCOMPARE(timed.response->header("allow"), QByteArray("POST"));
    }

    void profileTestReturnsItsSpanTree()
    {
        // io_scale 0.05: each fetch is 25 ms; the CPU part is 5 ms whatever the scale.
        const TimedResponse timed = timedRequest(m_server->port(), simpleGet("/profile-test"));
        QVERIFY(timed.response);
        QCOMPARE(timed.response->status, 200);
        QCOMPARE(timed.response->header("content-type"), QByteArray("application/json"));
        const QJsonObject document = QJsonDocument::fromJson(timed.response->body).object();

        const QJsonObject result = document[QStringLiteral("result")].toObject();
        QCOMPARE(
            result[QStringLiteral("user")].toObject(),
            (QJsonObject{{QStringLiteral("id"), 1}, {QStringLiteral("name"), QStringLiteral("User 1")}}));
        QCOMPARE(result[QStringLiteral("orders")].toArray().size(), 3);
        QCOMPARE(result[QStringLiteral("profile")][QStringLiteral("bio")].toString(),
                 QStringLiteral("User bio"));
        QVERIFY(result[QStringLiteral("primes")][QStringLiteral("count")].toInteger() > 0);

        const QJsonObject root = document[QStringLiteral("profile")].toObject();
        QCOMPARE(root[QStringLiteral("name")].toString(), QStringLiteral("profile-test"));
        QCOMPARE(startMs(root), 0.0);
        QCOMPARE(childNames(root), (QStringList{QStringLiteral("cpu"), QStringLiteral("gather"),
                                                QStringLiteral("fetch_profile")}));
        const QJsonObject cpu = child(root, QStringLiteral("cpu"));
        const QJsonObject gather = child(root, QStringLiteral("gather"));
        const QJsonObject fetchProfile = child(root, QStringLiteral("fetch_profile"));
        QCOMPARE(childNames(gather),
                 (QStringList{QStringLiteral("fetch_user"), QStringLiteral("fetch_orders")}));
        const QJsonObject fetchUser = child(gather, QStringLiteral("fetch_user"));
        const QJsonObject fetchOrders = child(gather, QStringLiteral("fetch_orders"));

        for (const QJsonObject &span : {root, cpu, gather, fetchProfile, fetchUser, fetchOrders})
            QVERIFY2(durationMs(span) > 0, qPrintable(span[QStringLiteral("name")].toString()));
        QVERIFY2(durationMs(cpu) >= 4.5, QByteArray::number(durationMs(cpu)).constData());
        for (const QJsonObject &fetch : {fetchUser, fetchOrders, fetchProfile})
            QVERIFY2(durationMs(fetch) >= 22, QByteArray::number(durationMs(fetch)).constData());
        // Serial steps follow each other; the two fetches under gather overlap. Start and
        // duration are each rounded to the microsecond, so an end may pass the next start by
        // up to one rounding step.
        constexpr double kRounding = 0.0015;
        QVERIFY(startMs(gather) >= endMs(cpu) - kRounding);
        QVERIFY(startMs(fetchProfile) >= endMs(gather) - kRounding);
        QVERIFY(startMs(fetchOrders) < endMs(fetchUser));
        QVERIFY2(durationMs(gather) < durationMs(fetchUser) + durationMs(fetchOrders),
                 QByteArray::number(durationMs(gather)).constData());
        QVERIFY(durationMs(root) >= endMs(fetchProfile) - 0.001);
        QVERIFY(durationMs(root) <= double(timed.elapsedMs) + 1);
    }
};

std::unique_ptr<QObject> createWorkloadRoutesTests()
{
    return std::make_unique<TestWorkloadRoutes>();
}

#include "test_workload_routes.moc"

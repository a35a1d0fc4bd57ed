// The Redis client on real servers: commands and replies, pipelining order, a Redis that is not
// there, one that dies and comes back, one that stops answering, a password, and connections
// that follow their threads.
#include "engine/redis/RedisClient.h"
#include "engine/redis/RedisUrl.h"

#include "engine/metrics/Registry.h"

#include "RedisProcess.h"

#include <QCoro/QCoroTask>
#include <QDeadlineTimer>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace perflab;

namespace {

redis::RedisUrl sharedRedis()
{
    const QString text = qEnvironmentVariable("PERFLAB_TEST_REDIS_URL");
    if (text.isEmpty())
        qFatal("PERFLAB_TEST_REDIS_URL is not set: run scripts/test-services.sh start and eval its env");
    const redis::RedisUrlResult parsed = redis::parseRedisUrl(text);
    if (!parsed.url)
        qFatal("PERFLAB_TEST_REDIS_URL: %s", qPrintable(parsed.error));
    return *parsed.url;
}

redis::RedisUrl urlOf(const test::RedisProcess &process)
{
    return *redis::parseRedisUrl(process.url()).url;
}

redis::RedisReply run(redis::RedisClient &client, QList<QByteArray> args)
{
    return QCoro::waitFor(client.command(std::move(args)));
}

// Commands until one succeeds (the client reconnects after its backoff), or the deadline.
redis::RedisReply runUntilAnswered(redis::RedisClient &client, QList<QByteArray> args, int ms = 8000)
{
    const QDeadlineTimer deadline(ms);
    redis::RedisReply reply;
    do {
        reply = run(client, args);
        if (!reply.isFailure())
            break;
        QTest::qWait(50);
    } while (!deadline.hasExpired());
    return reply;
}

const QByteArray kKey = "perflab:test:redis-client:" + QByteArray::number(QCoreApplication::applicationPid());

} // namespace

class TestRedisClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesUrls_data();
    void parsesUrls();
    void setGetExpireDelete();
    void pipelinedRepliesKeepTheirOrder();
    void unreachableSaysWhyAndWhere();
    void notConfiguredSaysSo();
    void killedRedisIsReportedThenUsedAgain();
    void pausedRedisTimesOut();
    void movingToAnotherRedisOnTheSameThread();
    void aLateLossDoesNotUndoARecovery();
    void passwordAndDatabaseAreSentFirst();
    void workerThreadsHaveTheirOwnConnections();
};

void TestRedisClient::parsesUrls_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("address"); // empty: an error is expected
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("error");
    QTest::newRow("plain") << u"redis://127.0.0.1:6379/0"_s << u"127.0.0.1:6379"_s << QString() << QString();
    QTest::newRow("defaults") << u"redis://localhost"_s << u"localhost:6379"_s << QString() << QString();
    QTest::newRow("db and password") << u"redis://:s3cret@10.0.0.5:7000/3"_s << u"10.0.0.5:7000/3"_s
                                     << u"s3cret"_s << QString();
    QTest::newRow("wrong scheme") << u"http://127.0.0.1:6379"_s << QString() << QString()
                                  << u"not \"redis\""_s;
    QTest::newRow("no host") << u"redis://"_s << QString() << QString() << u"no host"_s;
    QTest::newRow("bad db") << u"redis://127.0.0.1/x"_s << QString() << QString()
                            << u"\"x\" is not a database"_s;
}

void TestRedisClient::parsesUrls()
{
    QFETCH(QString, text);
    QFETCH(QString, address);
    QFETCH(QString, password);
    QFETCH(QString, error);
    const redis::RedisUrlResult parsed = redis::parseRedisUrl(text);
    if (address.isEmpty()) {
        QVERIFY(!parsed.url);
        QVERIFY2(parsed.error.contains(error), qPrintable(parsed.error));
        return;
    }
    QVERIFY2(parsed.url, qPrintable(parsed.error));
    QCOMPARE(parsed.url->address(), address);
    QCOMPARE(parsed.url->password, password);
    QVERIFY(!parsed.url->address().contains(u"s3cret"_s));
}

void TestRedisClient::setGetExpireDelete()
{
    metrics::Registry registry;
    redis::RedisClient client(&registry);
    client.setUrl(sharedRedis());
    QCOMPARE(run(client, {"SET", kKey, "value", "EX", "30"}).text, QByteArray("OK"));
    const redis::RedisReply got = run(client, {"GET", kKey});
    QCOMPARE(got.kind, redis::RedisReply::Kind::String);
    QCOMPARE(got.text, QByteArray("value"));
    const redis::RedisReply ttl = run(client, {"TTL", kKey});
    QCOMPARE(ttl.kind, redis::RedisReply::Kind::Integer);
    QVERIFY(ttl.integer > 0 && ttl.integer <= 30);
    QCOMPARE(run(client, {"DEL", kKey}).integer, 1);
    QVERIFY(run(client, {"GET", kKey}).isNil());
    const redis::RedisReply wrong = run(client, {"NOSUCHCOMMAND"});
    QCOMPARE(wrong.kind, redis::RedisReply::Kind::Error);
    QVERIFY2(wrong.failureText().startsWith(u"Redis answered: ERR"_s), qPrintable(wrong.failureText()));
    QVERIFY(client.health().up);
    // Every reply is timed.
    const auto *family =
        static_cast<const metrics::HistogramFamily *>(registry.find(u"redis_command_duration_seconds"_s));
    QVERIFY(family);
    QVERIFY(family->seriesList().front().series->cumulative().totalCount() >= 6);
}

void TestRedisClient::pipelinedRepliesKeepTheirOrder()
{
    redis::RedisClient client(nullptr);
    client.setUrl(sharedRedis());
    run(client, {"DEL", kKey});
    // 200 INCRs issued before any reply comes back: one socket, replies in issue order.
    std::vector<QCoro::Task<redis::RedisReply>> tasks;
    for (int i = 0; i < 200; ++i)
        tasks.push_back(client.command({"INCR", kKey}));
    for (int i = 0; i < 200; ++i) {
        const redis::RedisReply reply = QCoro::waitFor(tasks[size_t(i)]);
        QCOMPARE(reply.integer, i + 1);
    }
    QCOMPARE(client.connectionCount(), 1);
    run(client, {"DEL", kKey});
}

void TestRedisClient::unreachableSaysWhyAndWhere()
{
    metrics::Registry registry;
    redis::RedisClient client(&registry);
    const quint16 port = test::RedisProcess::freePort();
    client.setUrl(*redis::parseRedisUrl(u"redis://127.0.0.1:%1/0"_s.arg(port)).url);
    const redis::RedisReply reply = run(client, {"PING"});
    QVERIFY(reply.isFailure());
    const QString expected = u"Redis unreachable: connection refused at 127.0.0.1:%1"_s.arg(port);
    QCOMPARE(reply.failureText(), expected);
    QCOMPARE(client.health().reason, expected);
    QVERIFY(!client.health().up);
    // While the backoff runs, commands fail at once with the same words, without a new attempt.
    QCOMPARE(run(client, {"PING"}).failureText(), expected);
    const auto *up = static_cast<const metrics::GaugeFamily *>(registry.find(u"redis_up"_s));
    QCOMPARE(up->seriesList().front().series->value(), 0);
}

void TestRedisClient::notConfiguredSaysSo()
{
    redis::RedisClient client(nullptr);
    const redis::RedisReply reply = run(client, {"PING"});
    QVERIFY(reply.isFailure());
    QVERIFY2(reply.failureText().contains(u"no Redis configured"_s), qPrintable(reply.failureText()));
    QVERIFY(!client.health().configured);
}

void TestRedisClient::killedRedisIsReportedThenUsedAgain()
{
    test::RedisProcess server;
    QVERIFY2(server.start(), qPrintable(server.error()));
    metrics::Registry registry;
    redis::RedisClient client(&registry);
    client.setUrl(urlOf(server));
    QCOMPARE(run(client, {"SET", "k", "1"}).text, QByteArray("OK"));
    QVERIFY(client.health().up);
    const auto *up = static_cast<const metrics::GaugeFamily *>(registry.find(u"redis_up"_s));
    QCOMPARE(up->seriesList().front().series->value(), 1);

    server.kill();
    const redis::RedisReply lost = run(client, {"GET", "k"});
    QVERIFY(lost.isFailure());
    QVERIFY2(lost.failureText().contains(u"127.0.0.1:%1"_s.arg(server.port())),
             qPrintable(lost.failureText()));
    QTRY_VERIFY(!client.health().up);
    QCOMPARE(up->seriesList().front().series->value(), 0);

    // Back on the same port: the client finds it again by itself.
    test::RedisProcess again;
    QVERIFY2(again.start(server.port()), qPrintable(again.error()));
    const redis::RedisReply back = runUntilAnswered(client, {"PING"});
    QCOMPARE(back.text, QByteArray("PONG"));
    QTRY_VERIFY(client.health().up);
    QCOMPARE(up->seriesList().front().series->value(), 1);
}

void TestRedisClient::pausedRedisTimesOut()
{
    test::RedisProcess server;
    QVERIFY2(server.start(), qPrintable(server.error()));
    redis::RedisClient client(nullptr);
    client.setUrl(urlOf(server));
    QCOMPARE(run(client, {"PING"}).text, QByteArray("PONG"));
    server.pause();
    const redis::RedisReply reply = run(client, {"PING"});
    QVERIFY(reply.isFailure());
    QVERIFY2(reply.failureText().startsWith(u"Redis did not answer within 1000 ms at 127.0.0.1:"_s),
             qPrintable(reply.failureText()));
    // The retries connect (the kernel completes the handshake for a stopped process), but
    // nothing answers: that is not up.
    QTest::qWait(400);
    QVERIFY(!client.health().up);
    server.resume();
    QCOMPARE(runUntilAnswered(client, {"PING"}).text, QByteArray("PONG"));
    QTRY_VERIFY(client.health().up);
}

void TestRedisClient::movingToAnotherRedisOnTheSameThread()
{
    test::RedisProcess first;
    test::RedisProcess second;
    QVERIFY2(first.start(), qPrintable(first.error()));
    QVERIFY2(second.start(), qPrintable(second.error()));
    redis::RedisClient client(nullptr);
    client.setUrl(urlOf(first));
    QCOMPARE(run(client, {"SET", "where", "first"}).text, QByteArray("OK"));
    // This thread's connection moves at once (dropping the first Redis reports a state change:
    // this must not wait on the lock setUrl holds), and its report about the first is ignored.
    client.setUrl(urlOf(second));
    QVERIFY(run(client, {"GET", "where"}).isNil());
    QCOMPARE(client.health().address, u"127.0.0.1:%1"_s.arg(second.port()));
    QTRY_VERIFY(client.health().up);
}

// A thread that sees Redis go late (its loop was busy) must not take the health down again
// after another thread has already seen Redis back.
void TestRedisClient::aLateLossDoesNotUndoARecovery()
{
    test::RedisProcess server;
    QVERIFY2(server.start(), qPrintable(server.error()));
    redis::RedisClient client(nullptr);
    client.setUrl(urlOf(server));
    QCOMPARE(run(client, {"PING"}).text, QByteArray("PONG")); // this thread's connection
    struct Worker : QThread
    {
        ~Worker() override
        {
            quit();
            wait();
        }
    } worker; // ended however the test ends
    worker.start();
    QObject onWorker;
    onWorker.moveToThread(&worker);
    std::atomic<int> answered{0};
    const auto pingOnWorker = [&] {
        QMetaObject::invokeMethod(&onWorker, [&client, &answered] {
            [](redis::RedisClient &c, std::atomic<int> &a) -> QCoro::Task<> {
                QList<QByteArray> args{QByteArray("PING")}; // named: GCC 12 and co_await
                const redis::RedisReply reply = co_await c.command(std::move(args));
                if (!reply.isFailure())
                    ++a;
            }(client, answered);
        });
    };
    pingOnWorker();
    QTRY_COMPARE(answered.load(), 1);

    // From here this thread runs no events until the worker has seen Redis go and come back.
    const auto waitWithoutEvents = [&client](bool up) {
        const QDeadlineTimer deadline(10000);
        while (client.health().up != up && !deadline.hasExpired())
            QThread::msleep(10);
        return client.health().up == up;
    };
    server.kill();
    QVERIFY(waitWithoutEvents(false));
    test::RedisProcess again;
    QVERIFY2(again.start(server.port()), qPrintable(again.error()));
    QVERIFY(waitWithoutEvents(true));

    std::atomic<int> downs{0};
    QObject::connect(
        &client, &redis::RedisClient::healthChanged, &client,
        [&client, &downs] {
            if (!client.health().up)
                ++downs;
        },
        Qt::DirectConnection);
    QTest::qWait(500); // this thread's connection now reads the close it missed
    QCOMPARE(downs.load(), 0);
    QVERIFY(client.health().up);
}

void TestRedisClient::passwordAndDatabaseAreSentFirst()
{
    test::RedisProcess server;
    QVERIFY2(server.start(0, {u"--requirepass"_s, u"s3cret"_s}), qPrintable(server.error()));
    redis::RedisClient client(nullptr);
    client.setUrl(*redis::parseRedisUrl(u"redis://:s3cret@127.0.0.1:%1/2"_s.arg(server.port())).url);
    QCOMPARE(run(client, {"SET", "in-db-2", "yes"}).text, QByteArray("OK"));
    QCOMPARE(run(client, {"CLIENT", "INFO"}).text.contains(" db=2 "), true);

    redis::RedisClient wrong(nullptr);
    wrong.setUrl(*redis::parseRedisUrl(u"redis://:nope@127.0.0.1:%1/0"_s.arg(server.port())).url);
    const redis::RedisReply refused = run(wrong, {"PING"});
    QVERIFY(refused.isFailure());
    QTRY_VERIFY(wrong.health().reason.startsWith(
        u"Redis refused the connection at 127.0.0.1:%1"_s.arg(server.port())));
    QVERIFY(!wrong.health().reason.contains(u"nope"_s));
}

void TestRedisClient::workerThreadsHaveTheirOwnConnections()
{
    redis::RedisClient client(nullptr);
    client.setUrl(sharedRedis());
    run(client, {"DEL", kKey});
    QThread worker;
    worker.start();
    QObject onWorker;
    onWorker.moveToThread(&worker);
    std::atomic<int> done{0};
    for (int i = 0; i < 50; ++i) {
        QMetaObject::invokeMethod(&onWorker, [&client, &done] {
            [](redis::RedisClient &c, std::atomic<int> &d) -> QCoro::Task<> {
                QList<QByteArray> args{QByteArray("INCR"), kKey}; // named: GCC 12 and co_await
                const redis::RedisReply reply = co_await c.command(std::move(args));
                if (reply.kind == redis::RedisReply::Kind::Integer)
                    ++d;
            }(client, done);
        });
    }
    QTRY_COMPARE(done.load(), 50);
    QCOMPARE(client.connectionCount(), 2); // this thread's (the DEL) and the worker's
    QCOMPARE(run(client, {"GET", kKey}).text, QByteArray("50"));
    worker.quit();
    worker.wait();
    QCOMPARE(client.connectionCount(), 1); // the worker's went with its thread
    run(client, {"DEL", kKey});
}

QTEST_GUILESS_MAIN(TestRedisClient)
#include "test_redis_client.moc"

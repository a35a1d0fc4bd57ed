// Two `perflab serve --redis URL` processes on one Redis of the test's own, as a user would run
// several instances: a job enqueued on one is found on the other, the jobs are shared between
// their workers, /admin/stats reports the queue's Redis; Redis killed: 503 naming Redis on
// submission and the reason in the stats; Redis back (empty, as a restart without persistence
// leaves it): the workers make the group again and jobs run.
#include "RedisProcess.h"
#include "SmallDataset.h"
#include "TaskHttp.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

#include <csignal>
#include <memory>

using namespace perflab::test;

namespace {

struct Instance
{
    QTemporaryDir dir;
    QProcess process;
    quint16 port = 0;

    ~Instance()
    {
        if (process.state() != QProcess::NotRunning) {
            ::kill(pid_t(process.processId()), SIGTERM);
            if (!process.waitForFinished(10000))
                process.kill();
        }
    }
};

// `perflab serve` on a free port with a small dataset, fast jobs (process_task 50 ms) and
// two workers; the port once it has printed its URL, 0 otherwise.
std::unique_ptr<Instance> startInstance(const QString &redisUrl)
{
    auto instance = std::make_unique<Instance>();
    const QString settingsPath = instance->dir.filePath(QStringLiteral("settings.json"));
    QFile settings(settingsPath);
    if (!settings.open(QIODevice::WriteOnly))
        return instance;
    settings.write(R"({"database":)" + smallDatasetJson() +
                   R"(,"simulation":{"io_scale":0.01},"background":{"workers":2}})");
    settings.close();
    instance->process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    instance->process.start(QStringLiteral(PERFLAB_BINARY),
                            {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"),
                             QStringLiteral("--threads"), QStringLiteral("2"), QStringLiteral("--data-dir"),
                             instance->dir.path(), QStringLiteral("--settings"), settingsPath,
                             QStringLiteral("--redis"), redisUrl});
    if (!instance->process.waitForStarted(10000))
        return instance;
    while (!instance->process.canReadLine() && instance->process.waitForReadyRead(30000)) {
    }
    const QUrl url(QString::fromUtf8(instance->process.readLine()).trimmed());
    if (url.isValid() && url.port() > 0)
        instance->port = quint16(url.port());
    return instance;
}

QJsonObject stats(quint16 port)
{
    return jsonObject(httpCall(port, "GET", "/admin/stats"));
}

// jobs_total{state} from /admin/stats.
double jobsTotal(const QJsonObject &stats, const QString &state)
{
    const QJsonArray series =
        stats.value(QStringLiteral("counters")).toObject().value(QStringLiteral("jobs_total")).toArray();
    for (const QJsonValue &entry : series) {
        const QJsonObject s = entry.toObject();
        if (s.value(QStringLiteral("labels")).toObject().value(QStringLiteral("state")).toString() == state)
            return s.value(QStringLiteral("value")).toDouble();
    }
    return 0;
}

QJsonObject redisQueue(quint16 port)
{
    return stats(port)
        .value(QStringLiteral("lab"))
        .toObject()
        .value(QStringLiteral("redis_queue"))
        .toObject();
}

} // namespace

class TestRedisQueueServe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void twoServersShareOneQueue()
    {
        auto redis = std::make_unique<RedisProcess>();
        QVERIFY2(redis->start(), qPrintable(redis->error()));
        const quint16 redisPort = redis->port();
        const QString address = QStringLiteral("127.0.0.1:%1").arg(redisPort);
        auto a = startInstance(redis->url());
        auto b = startInstance(redis->url());
        QVERIFY(a->port && b->port);

        QStringList ids;
        for (int i = 0; i < 12; ++i) {
            const RawResponse response =
                httpCall(a->port, "POST", "/enqueue", R"({"i":)" + QByteArray::number(i) + "}");
            QCOMPARE(response.status, 200);
            ids << jsonObject(response).value(QStringLiteral("job_id")).toString();
        }
        for (const QString &id : std::as_const(ids)) {
            const QJsonObject done = waitForStatus(b->port, "/job/", id, QStringLiteral("completed"));
            QVERIFY2(!done.isEmpty(), qPrintable(id));
        }
        // Every job ran once, and not all on one instance.
        const auto started = [&](quint16 port) { return jobsTotal(stats(port), QStringLiteral("started")); };
        QTRY_COMPARE(started(a->port) + started(b->port), 12.0);
        QVERIFY2(started(a->port) > 0 && started(b->port) > 0,
                 qPrintable(QStringLiteral("A ran %1, B %2").arg(started(a->port)).arg(started(b->port))));
        QCOMPARE(jobsTotal(stats(a->port), QStringLiteral("enqueued")), 12.0);
        QCOMPARE(jobsTotal(stats(b->port), QStringLiteral("enqueued")), 0.0);

        const QJsonObject lab = stats(b->port).value(QStringLiteral("lab")).toObject();
        QCOMPARE(lab.value(QStringLiteral("jobs")).toObject().value(QStringLiteral("backend")).toString(),
                 QStringLiteral("redis"));
        const QJsonObject queue = lab.value(QStringLiteral("redis_queue")).toObject();
        QVERIFY(queue.value(QStringLiteral("configured")).toBool());
        QVERIFY(queue.value(QStringLiteral("used")).toBool());
        QVERIFY(queue.value(QStringLiteral("up")).toBool());
        QCOMPARE(queue.value(QStringLiteral("address")).toString(), address);
        QCOMPARE(queue.value(QStringLiteral("workers")).toInt(), 2);

        // Redis gone: submissions are refused naming it; the stats say why.
        redis->kill();
        const RawResponse refused = httpCall(a->port, "POST", "/enqueue", "{}");
        QCOMPARE(refused.status, 503);
        const QString detail = jsonObject(refused).value(QStringLiteral("detail")).toString();
        QVERIFY2(detail.startsWith(QStringLiteral("Job queue unavailable: Redis")) &&
                     detail.contains(address),
                 qPrintable(detail));
        QTRY_COMPARE(redisQueue(a->port).value(QStringLiteral("reason")).toString(),
                     QStringLiteral("Redis unreachable: connection refused at %1").arg(address));
        QVERIFY(!redisQueue(a->port).value(QStringLiteral("up")).toBool());

        // Back, empty: the group is made again and the next job runs.
        redis = std::make_unique<RedisProcess>();
        QVERIFY2(redis->start(redisPort), qPrintable(redis->error()));
        QTRY_VERIFY_WITH_TIMEOUT(redisQueue(a->port).value(QStringLiteral("up")).toBool(), 10000);
        // Each HTTP thread's connection tries again after its own backoff (at most 2 s): until
        // then a submission there is still refused, and nothing is enqueued.
        RawResponse accepted;
        QTRY_COMPARE_WITH_TIMEOUT(
            (accepted = httpCall(b->port, "POST", "/enqueue", R"({"after":"restart"})")).status, 200, 10000);
        const QString id = jsonObject(accepted).value(QStringLiteral("job_id")).toString();
        QVERIFY(!waitForStatus(a->port, "/job/", id, QStringLiteral("completed"), 15000).isEmpty());

        // Each drains and exits 0, its workers stopped.
        for (Instance *instance : {a.get(), b.get()}) {
            ::kill(pid_t(instance->process.processId()), SIGTERM);
            QVERIFY(instance->process.waitForFinished(15000));
            QCOMPARE(instance->process.exitStatus(), QProcess::NormalExit);
            QCOMPARE(instance->process.exitCode(), 0);
        }
    }
};

QTEST_GUILESS_MAIN(TestRedisQueueServe)
#include "test_redis_queue_serve.moc"

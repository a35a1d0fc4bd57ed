// The job queue on Redis Streams against real Redis servers: jobs through the routes and the
// queue's own API, one queue shared by two instances, a job whose worker never acknowledged it
// taken over after the visibility timeout, a poison job, a graceful stop that hands the job
// back, Redis killed and restarted in the middle (503s naming Redis, nothing lost), redis.url,
// the backend and the worker count changed live.
//
// The shared Redis of the test command (PERFLAB_TEST_REDIS_URL) serves the tests that keep it
// up, each under a key prefix of its own; the one that kills Redis starts a private one.
#include "RedisProcess.h"
#include "TaskHttp.h"
#include "TaskLab.h"

#include "engine/async/Sleep.h"
#include "engine/redis/RedisClient.h"
#include "engine/tasks/RedisJobQueue.h"
#include "engine/tasks/SqliteJobQueue.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QTemporaryDir>
#include <QUuid>

#include <sys/resource.h>

#include <atomic>

using namespace perflab;
using namespace perflab::test;
using namespace std::chrono_literals;

namespace {

settings::LabSettings redisSettings(const QString &url, int workers = 2,
                                    const QString &backend = QStringLiteral("redis"))
{
    settings::LabSettings s = fastSettings(0.05, workers, QStringLiteral("queue"));
    s.redis.url = url;
    s.background.queueBackend = backend;
    return s;
}

// Short timings, so that a reclaim happens within a test; a key prefix of the test's own.
tasks::JobQueueConfig fastConfig(const QByteArray &prefix, std::chrono::milliseconds visibility = 1000ms)
{
    tasks::JobQueueConfig config;
    config.maxAttempts = 3;
    config.redis.keyPrefix = prefix;
    config.redis.visibilityTimeout = visibility;
    config.redis.block = 200ms;
    config.redis.depthInterval = 50ms;
    return config;
}

// Counts executions; answers {"ran_on": tag, "attempt": n} after `work` (cut short by a stop).
struct Runs
{
    std::atomic<int> count{0};
};

void addCountingHandler(TaskLab &lab, const QString &tag, std::shared_ptr<Runs> runs,
                        std::chrono::milliseconds work = 50ms)
{
    lab.handlers->add(QStringLiteral("process_task"),
                      [tag, runs, work](QJsonObject, tasks::JobContext context) -> QCoro::Task<QJsonValue> {
                          ++runs->count;
                          co_await async::sleep(work, context.stop);
                          co_return QJsonObject{{QStringLiteral("ran_on"), tag},
                                                {QStringLiteral("attempt"), context.attempt}};
                      });
}

// CPU time of this process (every thread), to tell waiting from spinning.
double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

} // namespace

class TestRedisQueue : public QObject
{
    Q_OBJECT

    std::vector<std::unique_ptr<QTemporaryDir>> m_dirs;
    std::vector<std::unique_ptr<TaskLab>> m_labs;
    std::unique_ptr<redis::RedisClient> m_redis; // the test's own look at the shared Redis
    QByteArray m_prefix;
    int m_serial = 0;

    TaskLab &makeLab(const settings::LabSettings &settings, const tasks::JobQueueConfig &config,
                     const std::function<void(TaskLab &)> &configure = {})
    {
        m_dirs.push_back(std::make_unique<QTemporaryDir>());
        m_labs.push_back(std::make_unique<TaskLab>(m_dirs.back()->path(), settings, config));
        if (configure)
            configure(*m_labs.back());
        return *m_labs.back();
    }

    // A lab with the HTTP server and both queues running.
    TaskLab &startLab(const settings::LabSettings &settings, const tasks::JobQueueConfig &config,
                      const std::function<void(TaskLab &)> &configure = {})
    {
        TaskLab &lab = makeLab(settings, config, configure);
        const auto error = lab.start();
        if (error)
            qWarning("lab failed to start: %s", qPrintable(*error));
        return lab;
    }

    redis::RedisReply run(QList<QByteArray> args)
    {
        return QCoro::waitFor(m_redis->command(std::move(args)));
    }

    QByteArray streamKey() const { return '{' + m_prefix + "}:stream"; }
    QByteArray jobKey(const QString &id) const { return '{' + m_prefix + "}:job:" + id.toUtf8(); }

    QString enqueueThrough(TaskLab &lab, const QString &name = QStringLiteral("process_task"))
    {
        const tasks::EnqueueResult result =
            QCoro::waitFor(lab.queue.enqueue(name, QJsonObject{{QStringLiteral("k"), 1}}));
        return result.id.value_or(QString());
    }

    std::optional<tasks::JobRecord> findThrough(TaskLab &lab, const QString &id)
    {
        return QCoro::waitFor(lab.queue.find(id)).job;
    }

    // Waits until `id` has `status` as `lab` sees it; the last record seen.
    std::optional<tasks::JobRecord> waitForJob(TaskLab &lab, const QString &id, tasks::JobStatus status,
                                               int timeoutMs = 10000)
    {
        const QDeadlineTimer deadline(timeoutMs);
        std::optional<tasks::JobRecord> job;
        do {
            job = findThrough(lab, id);
            if (job && job->status == status)
                return job;
            QTest::qWait(20);
        } while (!deadline.hasExpired());
        return job;
    }

    // Reads one new entry as a consumer that will never acknowledge it (a worker that died).
    QByteArray readAndAbandon()
    {
        run({"XGROUP", "CREATE", streamKey(), "perflab-workers", "0", "MKSTREAM"}); // BUSYGROUP is fine
        const redis::RedisReply reply = run({"XREADGROUP", "GROUP", "perflab-workers", "dead-consumer",
                                             "COUNT", "1", "STREAMS", streamKey(), ">"});
        if (reply.kind != redis::RedisReply::Kind::Array || reply.elements.empty())
            return {};
        return reply.elements[0].elements[1].elements[0].elements[0].text;
    }

    qint64 pendingCount()
    {
        const redis::RedisReply reply = run({"XPENDING", streamKey(), "perflab-workers"});
        return reply.elements.empty() ? -1 : reply.elements[0].integer;
    }

private Q_SLOTS:
    void init()
    {
        m_prefix = "perflab:test:redis-queue:" + QByteArray::number(QCoreApplication::applicationPid()) +
                   ':' + QTest::currentTestFunction() + ':' + QByteArray::number(++m_serial);
        m_redis = std::make_unique<redis::RedisClient>(nullptr);
        m_redis->setUrl(redis::parseRedisUrl(sharedRedisUrl()).url);
    }

    void cleanup()
    {
        m_labs.clear();
        m_dirs.clear();
        const redis::RedisReply keys = run({"KEYS", '{' + m_prefix + "}*"});
        for (const redis::RedisReply &key : keys.elements)
            run({"DEL", key.text});
        m_redis.reset();
    }

    void jobsRunThroughTheRoutes()
    {
        TaskLab &lab = startLab(redisSettings(sharedRedisUrl()), fastConfig(m_prefix));
        const RawResponse enqueued = httpCall(lab.port(), "POST", "/enqueue", R"({"n":1})");
        QCOMPARE(enqueued.status, 200);
        const QString id = jsonObject(enqueued).value(QStringLiteral("job_id")).toString();
        QVERIFY(!QUuid::fromString(id).isNull());
        // In Redis, not in the lab's file.
        QCOMPARE(run({"HGET", jobKey(id), "name"}).text, QByteArray("process_task"));
        const QJsonObject done = waitForStatus(lab.port(), "/job/", id, QStringLiteral("completed"));
        QCOMPARE(done.value(QStringLiteral("result")).toObject(),
                 QJsonDocument::fromJson(R"({"processed":{"n":1}})").object());

        const RawResponse processed = httpCall(lab.port(), "POST", "/process", R"({"user":7})");
        const QString taskId = jsonObject(processed).value(QStringLiteral("task_id")).toString();
        QVERIFY(!waitForStatus(lab.port(), "/task/", taskId, QStringLiteral("running")).isEmpty());
        QVERIFY(!waitForStatus(lab.port(), "/task/", taskId, QStringLiteral("completed")).isEmpty());
        QCOMPARE(httpCall(lab.port(), "GET", "/job/0b7e2a34-9a4e-4c6f-8d2e-000000000000").status, 404);

        QCOMPARE(lab.counter(QStringLiteral("jobs_total"), {QStringLiteral("enqueued")}), quint64(2));
        QTRY_COMPARE(lab.counter(QStringLiteral("jobs_total"), {QStringLiteral("completed")}), quint64(2));
        QVERIFY(!QCoro::waitFor(lab.queue.sqlite().find(id)).job); // not in the lab's file
        QVERIFY(!findThrough(lab, id)->createdAt.isNull());
        // Acknowledged and removed from the stream; the hash keeps the result for a day.
        QCOMPARE(run({"XLEN", streamKey()}).integer, 0);
        QCOMPARE(pendingCount(), 0);
        const qint64 ttl = run({"TTL", jobKey(id)}).integer;
        QVERIFY2(ttl > 86000 && ttl <= 86400, qPrintable(QString::number(ttl)));
        QTRY_COMPARE(lab.gauge(QStringLiteral("job_queue_depth")), qint64(0));
        QCOMPARE(lab.gauge(QStringLiteral("jobs_running")), qint64(0));
        // Redis answers, and its commands are timed under the queue's role.
        QVERIFY(lab.queue.redis().health().up);
        QVERIFY(lab.registry.find(QStringLiteral("redis_command_duration_seconds")));
    }

    void unknownHandlerAndFailingJobAreFailed()
    {
        TaskLab &lab = startLab(redisSettings(sharedRedisUrl()), fastConfig(m_prefix), [](TaskLab &lab) {
            lab.handlers->add(QStringLiteral("process_task"),
                              [](QJsonObject, tasks::JobContext) -> QCoro::Task<QJsonValue> {
                                  co_await async::sleep(1ms);
                                  throw std::runtime_error("boom");
                              });
        });
        const QString failing = enqueueThrough(lab);
        const QString nameless = enqueueThrough(lab, QStringLiteral("no_such_task"));
        QCOMPARE(waitForJob(lab, failing, tasks::JobStatus::Failed)->result,
                 QJsonValue(QJsonObject{{QStringLiteral("error"), QStringLiteral("boom")}}));
        QCOMPARE(waitForJob(lab, nameless, tasks::JobStatus::Failed)->result,
                 QJsonValue(QJsonObject{
                     {QStringLiteral("error"), QStringLiteral("no handler named no_such_task")}}));
        QTRY_COMPARE(lab.counter(QStringLiteral("jobs_total"), {QStringLiteral("failed")}), quint64(2));
    }

    void enqueuedOnOneRunOnTheOther()
    {
        // A takes jobs but runs no worker (its queue never started); B runs them.
        TaskLab &a = makeLab(redisSettings(sharedRedisUrl()), fastConfig(m_prefix));
        auto runsOnB = std::make_shared<Runs>();
        TaskLab &b =
            makeLab(redisSettings(sharedRedisUrl(), 1), fastConfig(m_prefix), [runsOnB](TaskLab &lab) {
                addCountingHandler(lab, QStringLiteral("B"), runsOnB, 100ms);
            });
        QStringList ids;
        for (int i = 0; i < 5; ++i)
            ids << enqueueThrough(a);
        QVERIFY(!ids.contains(QString()));
        QCOMPARE(findThrough(a, ids.first())->status, tasks::JobStatus::Pending);
        QCOMPARE(QCoro::waitFor(a.queue.redis().store().depth()).value_or(-1), qint64(5));

        QVERIFY(!b.queue.start());
        // One worker, 100 ms a job: the depth is seen going down.
        QTRY_VERIFY(b.gauge(QStringLiteral("job_queue_depth")) >= 2 &&
                    b.gauge(QStringLiteral("job_queue_depth")) <= 4);
        for (const QString &id : std::as_const(ids)) {
            const auto job = waitForJob(a, id, tasks::JobStatus::Completed); // A finds what B did
            QVERIFY(job);
            QCOMPARE(job->status, tasks::JobStatus::Completed);
            QCOMPARE(job->result.toObject().value(QStringLiteral("ran_on")).toString(), QStringLiteral("B"));
            QCOMPARE(job->attempts, 1);
        }
        QCOMPARE(runsOnB->count.load(), 5);
        QTRY_COMPARE(b.counter(QStringLiteral("jobs_total"), {QStringLiteral("completed")}), quint64(5));
        QCOMPARE(a.counter(QStringLiteral("jobs_total"), {QStringLiteral("enqueued")}), quint64(5));
        QTRY_COMPARE(b.gauge(QStringLiteral("job_queue_depth")), qint64(0));
    }

    void twoLabsShareOneQueue()
    {
        auto runsOnA = std::make_shared<Runs>();
        auto runsOnB = std::make_shared<Runs>();
        TaskLab &a =
            startLab(redisSettings(sharedRedisUrl(), 1), fastConfig(m_prefix),
                     [runsOnA](TaskLab &lab) { addCountingHandler(lab, QStringLiteral("A"), runsOnA); });
        TaskLab &b =
            startLab(redisSettings(sharedRedisUrl(), 1), fastConfig(m_prefix),
                     [runsOnB](TaskLab &lab) { addCountingHandler(lab, QStringLiteral("B"), runsOnB); });
        QStringList ids;
        for (int i = 0; i < 20; ++i) {
            const RawResponse response =
                httpCall(a.port(), "POST", "/enqueue", R"({"i":)" + QByteArray::number(i) + "}");
            QCOMPARE(response.status, 200);
            ids << jsonObject(response).value(QStringLiteral("job_id")).toString();
        }
        QStringList ranOn;
        for (const QString &id : std::as_const(ids)) {
            const QJsonObject done = waitForStatus(b.port(), "/job/", id, QStringLiteral("completed"));
            QVERIFY2(!done.isEmpty(), qPrintable(id));
            ranOn
                << done.value(QStringLiteral("result")).toObject().value(QStringLiteral("ran_on")).toString();
        }
        QCOMPARE(runsOnA->count.load() + runsOnB->count.load(), 20); // each job once
        QVERIFY2(ranOn.contains(QStringLiteral("A")) && ranOn.contains(QStringLiteral("B")),
                 qPrintable(ranOn.join(u',')));
        QTRY_COMPARE(a.counter(QStringLiteral("jobs_total"), {QStringLiteral("completed")}) +
                         b.counter(QStringLiteral("jobs_total"), {QStringLiteral("completed")}),
                     quint64(20));
    }

    void unacknowledgedJobIsClaimedAfterTheVisibilityTimeout()
    {
        TaskLab &a = makeLab(redisSettings(sharedRedisUrl()), fastConfig(m_prefix));
        const QString id = enqueueThrough(a);
        QVERIFY(!readAndAbandon().isEmpty()); // read by a consumer that then died
        QElapsedTimer clock;
        clock.start();
        QCOMPARE(pendingCount(), 1);

        auto runs = std::make_shared<Runs>();
        TaskLab &b = makeLab(redisSettings(sharedRedisUrl()), fastConfig(m_prefix, 1000ms),
                             [runs](TaskLab &lab) { addCountingHandler(lab, QStringLiteral("B"), runs); });
        QVERIFY(!b.queue.start());
        const auto job = waitForJob(b, id, tasks::JobStatus::Completed);
        QVERIFY(job && job->status == tasks::JobStatus::Completed);
        const qint64 elapsed = clock.elapsed();
        // Not before the visibility timeout: the dead consumer might have been a slow one.
        QVERIFY2(elapsed >= 950, qPrintable(QString::number(elapsed)));
        QCOMPARE(runs->count.load(), 1);
        QCOMPARE(b.counter(QStringLiteral("jobs_total"), {QStringLiteral("recovered")}), quint64(1));
        QCOMPARE(pendingCount(), 0);
        QCOMPARE(run({"XLEN", streamKey()}).integer, 0);
    }

    void workerStoppedMidJobIsTakenOverElsewhere()
    {
        // A's handler ignores the stop, so A's stop gives up on it: its worker is gone with the
        // entry read and not acknowledged, as when a process dies mid-job.
        TaskLab &a = makeLab(redisSettings(sharedRedisUrl(), 1), fastConfig(m_prefix), [](TaskLab &lab) {
            lab.handlers->add(QStringLiteral("process_task"),
                              [](QJsonObject, tasks::JobContext) -> QCoro::Task<QJsonValue> {
                                  co_await async::sleep(60s); // deaf to the stop
                                  co_return QJsonValue(QStringLiteral("never"));
                              });
        });
        QVERIFY(!a.queue.start());
        const QString id = enqueueThrough(a);
        QVERIFY(waitForJob(a, id, tasks::JobStatus::Running));
        a.queue.stop(100ms);
        QCOMPARE(pendingCount(), 1);

        auto runs = std::make_shared<Runs>();
        TaskLab &b = makeLab(redisSettings(sharedRedisUrl()), fastConfig(m_prefix),
                             [runs](TaskLab &lab) { addCountingHandler(lab, QStringLiteral("B"), runs); });
        QVERIFY(!b.queue.start());
        const auto job = waitForJob(b, id, tasks::JobStatus::Completed);
        QVERIFY(job && job->status == tasks::JobStatus::Completed);
        QCOMPARE(job->attempts, 2);
        QCOMPARE(job->result.toObject().value(QStringLiteral("attempt")).toInt(), 2);
        QCOMPARE(b.counter(QStringLiteral("jobs_total"), {QStringLiteral("recovered")}), quint64(1));
        QCOMPARE(pendingCount(), 0);
    }

    void longJobKeepsItsClaim()
    {
        // 2.5 s of work against a 600 ms visibility timeout: the claim is renewed, so no other
        // worker takes the job over while it runs.
        auto runs = std::make_shared<Runs>();
        TaskLab &a =
            startLab(redisSettings(sharedRedisUrl(), 2), fastConfig(m_prefix, 600ms),
                     [runs](TaskLab &lab) { addCountingHandler(lab, QStringLiteral("A"), runs, 2500ms); });
        TaskLab &b =
            startLab(redisSettings(sharedRedisUrl(), 2), fastConfig(m_prefix, 600ms),
                     [runs](TaskLab &lab) { addCountingHandler(lab, QStringLiteral("B"), runs, 2500ms); });
        const QString id = enqueueThrough(a);
        QVERIFY(waitForJob(b, id, tasks::JobStatus::Completed, 15000));
        QCOMPARE(runs->count.load(), 1);
        QCOMPARE(a.counter(QStringLiteral("jobs_total"), {QStringLiteral("recovered")}) +
                     b.counter(QStringLiteral("jobs_total"), {QStringLiteral("recovered")}),
                 quint64(0));
    }

    void poisonJobFailsAfterMaxAttempts()
    {
        TaskLab &a = makeLab(redisSettings(sharedRedisUrl()), fastConfig(m_prefix));
        const QString id = enqueueThrough(a);
        // Three executions started before, none finished (maxAttempts is 3), and the last
        // consumer died too.
        run({"HSET", jobKey(id), "attempts", "3"});
        QVERIFY(!readAndAbandon().isEmpty());

        auto runs = std::make_shared<Runs>();
        TaskLab &b = makeLab(redisSettings(sharedRedisUrl()), fastConfig(m_prefix),
                             [runs](TaskLab &lab) { addCountingHandler(lab, QStringLiteral("B"), runs); });
        QVERIFY(!b.queue.start());
        const auto job = waitForJob(b, id, tasks::JobStatus::Failed);
        QVERIFY(job && job->status == tasks::JobStatus::Failed);
        QCOMPARE(job->result.toObject().value(QStringLiteral("error")).toString(),
                 QStringLiteral("abandoned: 3 executions started and none finished"));
        QCOMPARE(runs->count.load(), 0);
        QTRY_COMPARE(b.counter(QStringLiteral("jobs_total"), {QStringLiteral("failed")}), quint64(1));
        QCOMPARE(b.counter(QStringLiteral("jobs_total"), {QStringLiteral("recovered")}), quint64(1));
        QCOMPARE(pendingCount(), 0);
        QCOMPARE(run({"XLEN", streamKey()}).integer, 0);
    }

    void gracefulStopHandsTheJobBack()
    {
        // A visibility timeout far longer than the test: only a hand-back lets B run the job.
        auto runs = std::make_shared<Runs>();
        TaskLab &a =
            makeLab(redisSettings(sharedRedisUrl(), 1), fastConfig(m_prefix, 60s),
                    [runs](TaskLab &lab) { addCountingHandler(lab, QStringLiteral("A"), runs, 60s); });
        QVERIFY(!a.queue.start());
        const QString id = enqueueThrough(a);
        QVERIFY(waitForJob(a, id, tasks::JobStatus::Running));
        QElapsedTimer clock;
        clock.start();
        a.queue.stop();
        QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
        const auto back = findThrough(a, id);
        QCOMPARE(back->status, tasks::JobStatus::Pending);
        QCOMPARE(back->attempts, 1);
        QCOMPARE(pendingCount(), 0);
        QCOMPARE(run({"XLEN", streamKey()}).integer, 1);

        TaskLab &b = makeLab(redisSettings(sharedRedisUrl()), fastConfig(m_prefix, 60s),
                             [runs](TaskLab &lab) { addCountingHandler(lab, QStringLiteral("B"), runs); });
        QVERIFY(!b.queue.start());
        const auto job = waitForJob(b, id, tasks::JobStatus::Completed, 5000);
        QVERIFY(job && job->status == tasks::JobStatus::Completed);
        QCOMPARE(job->attempts, 2);
        QCOMPARE(b.counter(QStringLiteral("jobs_total"), {QStringLiteral("recovered")}), quint64(0));
    }

    void redisKilledThenRestartedLosesNothing()
    {
        QTemporaryDir redisDir;
        // Appended and synced before each reply: what Redis acknowledged survives its death.
        const QStringList durable{QStringLiteral("--appendonly"),  QStringLiteral("yes"),
                                  QStringLiteral("--appendfsync"), QStringLiteral("always"),
                                  QStringLiteral("--dir"),         redisDir.path()};
        auto server = std::make_unique<RedisProcess>();
        QVERIFY2(server->start(0, durable), qPrintable(server->error()));
        const quint16 port = server->port();

        auto runs = std::make_shared<Runs>();
        TaskLab &lab = startLab(redisSettings(server->url(), 2), fastConfig(m_prefix), [runs](TaskLab &lab) {
            addCountingHandler(lab, QStringLiteral("A"), runs, 150ms);
        });
        QStringList ids;
        for (int i = 0; i < 10; ++i) {
            const RawResponse response = httpCall(lab.port(), "POST", "/enqueue", "{}");
            QCOMPARE(response.status, 200);
            ids << jsonObject(response).value(QStringLiteral("job_id")).toString();
        }
        QVERIFY(waitForJob(lab, ids.first(), tasks::JobStatus::Running));
        server->kill();

        // Submissions are refused with the reason, naming Redis and where it was.
        const RawResponse refused = httpCall(lab.port(), "POST", "/enqueue", "{}");
        QCOMPARE(refused.status, 503);
        const QString detail = jsonObject(refused).value(QStringLiteral("detail")).toString();
        QVERIFY2(detail.startsWith(QStringLiteral("Job queue unavailable: Redis")) &&
                     detail.contains(QStringLiteral("127.0.0.1:%1").arg(port)),
                 qPrintable(detail));
        // Once the connections have tried again, the words are the connect's own.
        const QString refusedWords =
            QStringLiteral("Job queue unavailable: Redis unreachable: connection refused at 127.0.0.1:%1")
                .arg(port);
        const auto refusedDetail = [&] {
            const RawResponse response = httpCall(lab.port(), "POST", "/process", "{}");
            return QStringLiteral("%1 %2")
                .arg(response.status)
                .arg(jsonObject(response).value(QStringLiteral("detail")).toString());
        };
        QTRY_COMPARE(refusedDetail(), QStringLiteral("503 ") + refusedWords);
        QCOMPARE(httpCall(lab.port(), "GET", "/job/" + ids.last().toUtf8()).status, 503);
        QTRY_VERIFY(!lab.queue.redis().health().up);
        QVERIFY(lab.queue.redis().health().reason.contains(QStringLiteral("127.0.0.1:%1").arg(port)));

        // The workers wait: no spinning while Redis is away.
        const double cpuBefore = cpuSeconds();
        QTest::qWait(1500);
        const double cpuUsed = cpuSeconds() - cpuBefore;
        QVERIFY2(cpuUsed < 0.5, qPrintable(QStringLiteral("%1 s of CPU in 1.5 s").arg(cpuUsed)));

        server = std::make_unique<RedisProcess>();
        QVERIFY2(server->start(port, durable), qPrintable(server->error()));
        for (const QString &id : std::as_const(ids)) {
            const QJsonObject done =
                waitForStatus(lab.port(), "/job/", id, QStringLiteral("completed"), 15000);
            QVERIFY2(!done.isEmpty(), qPrintable(id));
        }
        QTRY_COMPARE(lab.counter(QStringLiteral("jobs_total"), {QStringLiteral("completed")}), quint64(10));
        QTRY_VERIFY(lab.queue.redis().health().up);
        // An HTTP thread whose connection is still in its backoff (at most 2 s) refuses a little
        // longer, enqueueing nothing.
        RawResponse accepted;
        QTRY_COMPARE((accepted = httpCall(lab.port(), "POST", "/enqueue", "{}")).status, 200);
        QVERIFY(!waitForStatus(lab.port(), "/job/",
                               jsonObject(accepted).value(QStringLiteral("job_id")).toString(),
                               QStringLiteral("completed"))
                     .isEmpty());
        m_labs.clear(); // before its Redis goes
    }

    void redisUrlFollowsTheSettingLive()
    {
        const quint16 nowhere = RedisProcess::freePort();
        TaskLab &lab = startLab(redisSettings(QStringLiteral("redis://127.0.0.1:%1/0").arg(nowhere)),
                                fastConfig(m_prefix));
        const RawResponse refused = httpCall(lab.port(), "POST", "/enqueue", "{}");
        QCOMPARE(refused.status, 503);
        QVERIFY2(jsonObject(refused)
                     .value(QStringLiteral("detail"))
                     .toString()
                     .contains(QStringLiteral("127.0.0.1:%1").arg(nowhere)),
                 refused.body.constData());
        // The health check's own connection (this thread's) is down too when the URL moves.
        QTRY_VERIFY(lab.queue.redis().health().reason.contains(QString::number(nowhere)));
        QVERIFY(
            lab.patch({{QStringLiteral("redis"), QJsonObject{{QStringLiteral("url"), sharedRedisUrl()}}}}));
        const RawResponse accepted = httpCall(lab.port(), "POST", "/enqueue", "{}");
        QCOMPARE(accepted.status, 200);
        const QString id = jsonObject(accepted).value(QStringLiteral("job_id")).toString();
        QVERIFY(!waitForStatus(lab.port(), "/job/", id, QStringLiteral("completed")).isEmpty());
        QTRY_VERIFY(lab.queue.redis().health().up);
    }

    void switchingBackendsLiveKeepsEveryJob()
    {
        auto runs = std::make_shared<Runs>();
        TaskLab &lab =
            startLab(redisSettings(sharedRedisUrl(), 2, QStringLiteral("sqlite")), fastConfig(m_prefix),
                     [runs](TaskLab &lab) { addCountingHandler(lab, QStringLiteral("A"), runs, 300ms); });
        QTRY_COMPARE(lab.queue.sqlite().workerCount(), 2);
        QCOMPARE(lab.queue.redis().workerCount(), 0);
        QStringList inSqlite;
        for (int i = 0; i < 6; ++i)
            inSqlite << jsonObject(httpCall(lab.port(), "POST", "/enqueue", "{}"))
                            .value(QStringLiteral("job_id"))
                            .toString();
        QCOMPARE(run({"EXISTS", jobKey(inSqlite.first())}).integer, 0);

        // To Redis: the next jobs go there; the SQLite workers finish what is in the file first.
        QVERIFY(lab.patch({{QStringLiteral("background"),
                            QJsonObject{{QStringLiteral("queue_backend"), QStringLiteral("redis")}}}}));
        const QString inRedis = jsonObject(httpCall(lab.port(), "POST", "/enqueue", "{}"))
                                    .value(QStringLiteral("job_id"))
                                    .toString();
        QCOMPARE(run({"EXISTS", jobKey(inRedis)}).integer, 1);
        QTRY_COMPARE(lab.queue.redis().workerCount(), 2);
        for (const QString &id : std::as_const(inSqlite))
            QVERIFY(!waitForStatus(lab.port(), "/job/", id, QStringLiteral("completed")).isEmpty());
        QVERIFY(!waitForStatus(lab.port(), "/job/", inRedis, QStringLiteral("completed")).isEmpty());
        QTRY_COMPARE(lab.queue.sqlite().workerCount(), 0); // drained, retired
        QCOMPARE(lab.gauge(QStringLiteral("job_workers")), qint64(2));

        // And back: the Redis workers retire, Redis's jobs are still found.
        QVERIFY(lab.patch({{QStringLiteral("background"),
                            QJsonObject{{QStringLiteral("queue_backend"), QStringLiteral("sqlite")}}}}));
        QTRY_COMPARE(lab.queue.redis().workerCount(), 0);
        QTRY_COMPARE(lab.queue.sqlite().workerCount(), 2);
        QCOMPARE(jsonObject(httpCall(lab.port(), "GET", "/job/" + inRedis.toUtf8()))
                     .value(QStringLiteral("status"))
                     .toString(),
                 QStringLiteral("completed"));
        const QString last = jsonObject(httpCall(lab.port(), "POST", "/enqueue", "{}"))
                                 .value(QStringLiteral("job_id"))
                                 .toString();
        QCOMPARE(run({"EXISTS", jobKey(last)}).integer, 0);
        QVERIFY(!waitForStatus(lab.port(), "/job/", last, QStringLiteral("completed")).isEmpty());
        QCOMPARE(runs->count.load(), 8);
    }

    void sqliteLeftoversRunWhileRedisIsSelected()
    {
        // Jobs left pending in the lab's file by a run on SQLite...
        QTemporaryDir dir;
        auto runs = std::make_shared<Runs>();
        QStringList ids;
        {
            TaskLab first(dir.path(), redisSettings(sharedRedisUrl(), 1, QStringLiteral("sqlite")),
                          fastConfig(m_prefix));
            addCountingHandler(first, QStringLiteral("first"), runs, 60s);
            QVERIFY(!first.queue.start());
            for (int i = 0; i < 3; ++i)
                ids << enqueueThrough(first);
            QVERIFY(waitForJob(first, ids.first(), tasks::JobStatus::Running));
        } // stopped: the running one goes back to pending
        // ...run in the next one, started on Redis: its SQLite workers drain the file, then retire.
        TaskLab next(dir.path(), redisSettings(sharedRedisUrl(), 2), fastConfig(m_prefix));
        addCountingHandler(next, QStringLiteral("next"), runs);
        QVERIFY(!next.queue.start());
        for (const QString &id : std::as_const(ids)) {
            const auto job = waitForJob(next, id, tasks::JobStatus::Completed);
            QVERIFY(job && job->status == tasks::JobStatus::Completed);
            QCOMPARE(job->result.toObject().value(QStringLiteral("ran_on")).toString(),
                     QStringLiteral("next"));
        }
        QTRY_COMPARE(next.queue.sqlite().workerCount(), 0);
        QCOMPARE(next.queue.redis().workerCount(), 2);
        QCOMPARE(run({"EXISTS", jobKey(ids.first())}).integer, 0);
    }

    void workerCountFollowsTheSettingLive()
    {
        auto runs = std::make_shared<Runs>();
        TaskLab &lab =
            startLab(redisSettings(sharedRedisUrl(), 1), fastConfig(m_prefix),
                     [runs](TaskLab &lab) { addCountingHandler(lab, QStringLiteral("A"), runs, 300ms); });
        QTRY_COMPARE(lab.queue.redis().workerCount(), 1);
        QTRY_COMPARE(lab.gauge(QStringLiteral("job_workers")), qint64(1)); // the SQLite pool has drained
        QVERIFY(lab.patch({{QStringLiteral("background"), QJsonObject{{QStringLiteral("workers"), 4}}}}));
        QTRY_COMPARE(lab.queue.redis().workerCount(), 4);
        // The pool counts a worker as it starts it and publishes the gauge once all are started,
        // on the pool's own thread: read from here, the gauge may trail the count for a moment.
        QTRY_COMPARE(lab.gauge(QStringLiteral("job_workers")), qint64(4));
        // Four jobs of 300 ms at once: each worker (a consumer of the group) takes one.
        QStringList ids;
        for (int i = 0; i < 4; ++i)
            ids << enqueueThrough(lab);
        QTRY_COMPARE(lab.queue.busyWorkerCount(), 4);
        for (const QString &id : std::as_const(ids))
            QVERIFY(waitForJob(lab, id, tasks::JobStatus::Completed));
        const auto consumers = [&] {
            const redis::RedisReply reply = run({"XINFO", "CONSUMERS", streamKey(), "perflab-workers"});
            if (reply.isFailure())
                qWarning("%s", qPrintable(reply.failureText()));
            return reply.elements.size();
        };
        QCOMPARE(consumers(), size_t(4));

        QVERIFY(lab.patch({{QStringLiteral("background"), QJsonObject{{QStringLiteral("workers"), 2}}}}));
        QTRY_COMPARE(lab.queue.redis().workerCount(), 2);
        QCOMPARE(lab.gauge(QStringLiteral("job_workers")), qint64(2));
        // The retired consumers leave the group: it does not collect them.
        QTRY_COMPARE(consumers(), size_t(2));
        const QString id = enqueueThrough(lab);
        QVERIFY(waitForJob(lab, id, tasks::JobStatus::Completed));
    }
};

QTEST_GUILESS_MAIN(TestRedisQueue)
#include "test_redis_queue.moc"

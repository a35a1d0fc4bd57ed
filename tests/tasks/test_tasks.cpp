// The guide's chapter 2 over real loopback sockets: background tasks in the three modes,
// pydantic-shaped 422s, the durable job queue behind /process, /task, /enqueue and /job, and
// the live worker count.
#include "TaskHttp.h"
#include "TaskLab.h"

#include "engine/async/Sleep.h"
#include "engine/tasks/GuideTasks.h"
#include "engine/tasks/JobStore.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QUuid>

#include <atomic>

using namespace perflab;
using namespace perflab::test;
using namespace std::chrono_literals;

namespace {

const QByteArray kNotification = R"({"email":"ada@example.com","subject":"Hi","body":"Hello"})";
const QString kSentLine = QStringLiteral("Notification sent to ada@example.com");

QStringList logLines(const QString &dataDir)
{
    QFile file(tasks::taskLogPath(dataDir));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).split(u'\n', Qt::SkipEmptyParts);
}

// Counts how many handlers run at once, and the most seen.
struct Concurrency
{
    std::atomic<int> now{0};
    std::atomic<int> peak{0};
    void enter()
    {
        const int n = ++now;
        for (int seen = peak.load(); n > seen && !peak.compare_exchange_weak(seen, n);) {
        }
    }
};

} // namespace

class TestTasks : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<TaskLab> m_lab;

    // A fresh lab; `configure` may replace handlers before it starts.
    TaskLab &startLab(const settings::LabSettings &initial = fastSettings(),
                      const std::function<void(TaskLab &)> &configure = {})
    {
        m_lab.reset();
        m_lab = std::make_unique<TaskLab>(m_dir->path(), initial);
        if (configure)
            configure(*m_lab);
        const auto error = m_lab->start();
        if (error)
            qWarning("lab failed to start: %s", qPrintable(*error));
        return *m_lab;
    }

    quint16 port() const { return m_lab->port(); }

    QString postForId(const QByteArray &path, const QByteArray &body, const QString &key)
    {
        const RawResponse response = httpCall(port(), "POST", path, body);
        if (response.status != 200)
            return {};
        return jsonObject(response).value(key).toString();
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void cleanup()
    {
        m_lab.reset();
        m_dir.reset();
    }

    void sendNotificationAnswersAtOnceInBackgroundMode()
    {
        TaskLab &lab = startLab(fastSettings(0.05, 4, QStringLiteral("background")));
        const quint64 sentBefore = lab.counter(QStringLiteral("notifications_sent_total"));
        RawHttpClient client(port());
        QVERIFY(client.isConnected());
        QElapsedTimer clock;
        clock.start();
        client.send("POST /send-notification HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    "Content-Length: " +
                    QByteArray::number(kNotification.size()) + "\r\n\r\n" + kNotification);
        const auto response = client.readResponse();
        const qint64 elapsed = clock.elapsed();
        QVERIFY(response);
        QCOMPARE(response->status, 200);
        QCOMPARE(response->body, QByteArray(R"({"message":"Notification will be sent in the background"})"));
        QVERIFY2(elapsed < 50, qPrintable(QStringLiteral("answered after %1 ms").arg(elapsed)));
        // The 100 ms send and then the log line happen after the response.
        QTRY_COMPARE(lab.counter(QStringLiteral("notifications_sent_total")), sentBefore + 1);
        QTRY_VERIFY(logLines(lab.dataDir).contains(kSentLine));
        QTRY_COMPARE(lab.counter(QStringLiteral("background_tasks_total"), {QStringLiteral("completed")}),
                     quint64(2));
        QCOMPARE(lab.counter(QStringLiteral("jobs_total"), {QStringLiteral("enqueued")}), quint64(0));
    }

    void inlineModeMakesTheResponseWait()
    {
        TaskLab &lab = startLab(fastSettings(0.05, 4, QStringLiteral("inline")));
        QElapsedTimer clock;
        clock.start();
        const RawResponse response = httpCall(port(), "POST", "/send-notification", kNotification);
        const qint64 elapsed = clock.elapsed();
        QCOMPARE(response.status, 200);
        QVERIFY2(elapsed >= 95,
                 qPrintable(QStringLiteral("answered after %1 ms").arg(elapsed))); // 2 s x 0.05
        // Both tasks are done when the response arrives.
        QCOMPARE(lab.counter(QStringLiteral("notifications_sent_total")), quint64(1));
        QVERIFY(logLines(lab.dataDir).contains(kSentLine));
        QCOMPARE(lab.counter(QStringLiteral("background_tasks_total"), {QStringLiteral("completed")}),
                 quint64(2));
    }

    void queueModeGoesThroughTheJobQueue()
    {
        TaskLab &lab = startLab(fastSettings(0.05, 4, QStringLiteral("queue")));
        const RawResponse response = httpCall(port(), "POST", "/send-notification", kNotification);
        QCOMPARE(response.status, 200);
        // Committed before the answer.
        QCOMPARE(lab.counter(QStringLiteral("jobs_total"), {QStringLiteral("enqueued")}), quint64(2));
        QTRY_COMPARE(lab.counter(QStringLiteral("jobs_total"), {QStringLiteral("completed")}), quint64(2));
        QCOMPARE(lab.counter(QStringLiteral("notifications_sent_total")), quint64(1));
        QVERIFY(logLines(lab.dataDir).contains(kSentLine));
        QCOMPARE(lab.counter(QStringLiteral("background_tasks_total"), {QStringLiteral("started")}),
                 quint64(0));
        QCOMPARE(lab.gauge(QStringLiteral("job_queue_depth")), qint64(0));
    }

    void modeIsReadLivePerRequest()
    {
        TaskLab &lab = startLab(fastSettings(0.05, 4, QStringLiteral("background")));
        QVERIFY(lab.patch({{QStringLiteral("background"),
                            QJsonObject{{QStringLiteral("mode"), QStringLiteral("queue")}}}}));
        QCOMPARE(httpCall(port(), "GET", "/items/").status, 200);
        QCOMPARE(lab.counter(QStringLiteral("jobs_total"), {QStringLiteral("enqueued")}), quint64(1));
    }

    void itemsLogsRequestProcessedAsADependency()
    {
        TaskLab &lab = startLab();
        const RawResponse response = httpCall(port(), "GET", "/items/");
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, QByteArray(R"({"items":[]})"));
        QTRY_COMPARE(logLines(lab.dataDir), QStringList{QStringLiteral("Request processed")});
    }

    void failingBackgroundTaskIsCountedAndTheNextStillRuns()
    {
        TaskLab &lab = startLab(fastSettings(), [](TaskLab &lab) {
            lab.handlers->add(QStringLiteral("send_email"),
                              [](QJsonObject, tasks::JobContext) -> QCoro::Task<QJsonValue> {
                                  co_await async::sleep(1ms);
                                  throw std::runtime_error("smtp down");
                              });
        });
        QCOMPARE(httpCall(port(), "POST", "/send-notification", kNotification).status, 200);
        QTRY_COMPARE(lab.counter(QStringLiteral("background_tasks_total"), {QStringLiteral("failed")}),
                     quint64(1));
        QTRY_VERIFY(logLines(lab.dataDir).contains(kSentLine));
    }

    void notificationValidation_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("detail");
        QTest::newRow("invalid email")
            << QByteArray(R"({"email":"nope","subject":"s","body":"b"})")
            << QByteArray(
                   R"([{"type":"value_error","loc":["body","email"],)"
                   R"("msg":"value is not a valid email address: An email address must have an @-sign.",)"
                   R"("input":"nope","ctx":{"reason":"An email address must have an @-sign."}}])");
        QTest::newRow("domain without a period")
            << QByteArray(R"({"email":"ada@example","subject":"s","body":"b"})")
            << QByteArray(
                   R"([{"type":"value_error","loc":["body","email"],"msg":"value is not a valid email )"
                   R"(address: The part after the @-sign is not valid. It should have a period.","input":)"
                   R"("ada@example","ctx":{"reason":"The part after the @-sign is not valid. It should have )"
                   R"(a period."}}])");
        QTest::newRow("missing subject")
            << QByteArray(R"({"email":"ada@example.com","body":"b"})")
            << QByteArray(R"([{"type":"missing","loc":["body","subject"],"msg":"Field required",)"
                          R"("input":{"email":"ada@example.com","body":"b"}}])");
        QTest::newRow("everything missing")
            << QByteArray("{}")
            << QByteArray(R"([{"type":"missing","loc":["body","email"],"msg":"Field required","input":{}},)"
                          R"({"type":"missing","loc":["body","subject"],"msg":"Field required","input":{}},)"
                          R"({"type":"missing","loc":["body","body"],"msg":"Field required","input":{}}])");
        QTest::newRow("wrong type")
            << QByteArray(R"({"email":"ada@example.com","subject":5,"body":"b"})")
            << QByteArray(
                   R"([{"type":"string_type","loc":["body","subject"],"msg":"Input should be a valid string",)"
                   R"("input":5}])");
        QTest::newRow("not an object")
            << QByteArray("[1]")
            << QByteArray(
                   R"([{"type":"model_attributes_type","loc":["body"],)"
                   R"("msg":"Input should be a valid dictionary or object to extract fields from","input":[1]}])");
        QTest::newRow("no body")
            << QByteArray("")
            << QByteArray(R"([{"type":"missing","loc":["body"],"msg":"Field required","input":null}])");
    }

    void notificationValidation()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, detail);
        TaskLab &lab = startLab();
        const RawResponse response = httpCall(port(), "POST", "/send-notification", body);
        QCOMPARE(response.status, 422);
        QCOMPARE(response.header("content-type"), QByteArray("application/json"));
        const QJsonArray expected = QJsonDocument::fromJson(detail).array();
        QVERIFY(!expected.isEmpty());
        const QJsonArray actual = jsonObject(response).value(QStringLiteral("detail")).toArray();
        QVERIFY2(actual == expected, response.body.constData());
        QCOMPARE(lab.counter(QStringLiteral("background_tasks_total"), {QStringLiteral("started")}),
                 quint64(0));
    }

    void invalidJsonIsJsonInvalid()
    {
        startLab();
        for (const QByteArray &path :
             {QByteArray("/send-notification"), QByteArray("/process"), QByteArray("/enqueue")}) {
            const RawResponse response = httpCall(port(), "POST", path, "{\"email\": ");
            QCOMPARE(response.status, 422);
            const QJsonObject issue =
                jsonObject(response).value(QStringLiteral("detail")).toArray().first().toObject();
            QCOMPARE(issue.value(QStringLiteral("type")).toString(), QStringLiteral("json_invalid"));
            QCOMPARE(issue.value(QStringLiteral("msg")).toString(), QStringLiteral("JSON decode error"));
            const QJsonArray loc = issue.value(QStringLiteral("loc")).toArray();
            QCOMPARE(loc.size(), 2);
            QCOMPARE(loc.first().toString(), QStringLiteral("body"));
            QVERIFY(loc.last().isDouble());
            QVERIFY(!issue.value(QStringLiteral("ctx"))
                         .toObject()
                         .value(QStringLiteral("error"))
                         .toString()
                         .isEmpty());
        }
    }

    void processRequiresAnObject()
    {
        startLab();
        const RawResponse response = httpCall(port(), "POST", "/process", "[1,2]");
        QCOMPARE(response.status, 422);
        QCOMPARE(jsonObject(response).value(QStringLiteral("detail")).toArray(),
                 QJsonDocument::fromJson(R"([{"type":"dict_type","loc":["body"],)"
                                         R"("msg":"Input should be a valid dictionary","input":[1,2]}])")
                     .array());
    }

    void processGoesPendingRunningCompleted()
    {
        TaskLab &lab = startLab(fastSettings(0.05, 1)); // process_data: 10 s x 0.05 = 500 ms
        const QString id = postForId("/process", R"({"user":7,"tags":["a"]})", QStringLiteral("task_id"));
        QVERIFY(!id.isEmpty());
        QVERIFY(QUuid::fromString(id).version() == QUuid::Random);
        const QJsonObject first = jsonObject(httpCall(port(), "GET", "/task/" + id.toUtf8()));
        QVERIFY2(first.value(QStringLiteral("status")) == QStringLiteral("pending") ||
                     first.value(QStringLiteral("status")) == QStringLiteral("running"),
                 QJsonDocument(first).toJson().constData());
        QVERIFY(first.value(QStringLiteral("result")).isNull());
        QVERIFY(!waitForStatus(port(), "/task/", id, QStringLiteral("running")).isEmpty());
        const QJsonObject done = waitForStatus(port(), "/task/", id, QStringLiteral("completed"));
        QCOMPARE(done.value(QStringLiteral("result")).toObject(),
                 QJsonDocument::fromJson(R"({"processed":{"user":7,"tags":["a"]}})").object());
        QCOMPARE(lab.counter(QStringLiteral("jobs_total"), {QStringLiteral("completed")}), quint64(1));
        QCOMPARE(lab.gauge(QStringLiteral("job_queue_depth")), qint64(0));
        // Key order as FastAPI writes the dict.
        QVERIFY(httpCall(port(), "GET", "/task/" + id.toUtf8())
                    .body.startsWith("{\"status\":\"completed\",\"result\":"));
    }

    void enqueueAndJobUseTheSameQueue()
    {
        TaskLab &lab = startLab();
        const QString id = postForId("/enqueue", R"({"n":1})", QStringLiteral("job_id"));
        QVERIFY(!id.isEmpty());
        const QJsonObject done = waitForStatus(port(), "/job/", id, QStringLiteral("completed"));
        QCOMPARE(done.value(QStringLiteral("result")).toObject(),
                 QJsonDocument::fromJson(R"({"processed":{"n":1}})").object());
        // One queue: the Celery-style route sees the ARQ-style job.
        QCOMPARE(jsonObject(httpCall(port(), "GET", "/task/" + id.toUtf8()))
                     .value(QStringLiteral("status"))
                     .toString(),
                 QStringLiteral("completed"));
        QCOMPARE(lab.counter(QStringLiteral("jobs_total"), {QStringLiteral("started")}), quint64(1));
    }

    void unknownIdIs404()
    {
        startLab();
        for (const QByteArray &path : {QByteArray("/task/"), QByteArray("/job/")}) {
            const RawResponse response =
                httpCall(port(), "GET", path + "0b7e2a34-9a4e-4c6f-8d2e-000000000000");
            QCOMPARE(response.status, 404);
            QVERIFY(jsonObject(response)
                        .value(QStringLiteral("detail"))
                        .toString()
                        .endsWith(QStringLiteral("not found")));
        }
    }

    void failingJobIsFailedWithTheError()
    {
        TaskLab &lab = startLab(fastSettings(), [](TaskLab &lab) {
            lab.handlers->add(QStringLiteral("process_task"),
                              [](QJsonObject, tasks::JobContext) -> QCoro::Task<QJsonValue> {
                                  co_await async::sleep(1ms);
                                  throw std::runtime_error("boom");
                              });
        });
        const QString id = postForId("/enqueue", "{}", QStringLiteral("job_id"));
        const QJsonObject failed = waitForStatus(port(), "/job/", id, QStringLiteral("failed"));
        QCOMPARE(failed.value(QStringLiteral("result")).toObject(),
                 QJsonObject({{QStringLiteral("error"), QStringLiteral("boom")}}));
        QCOMPARE(lab.counter(QStringLiteral("jobs_total"), {QStringLiteral("failed")}), quint64(1));
    }

    void workersSettingResizesThePoolLive()
    {
        auto concurrency = std::make_shared<Concurrency>();
        TaskLab &lab = startLab(fastSettings(0.05, 1), [concurrency](TaskLab &lab) {
            lab.handlers->add(
                QStringLiteral("process_task"),
                [concurrency](QJsonObject payload, tasks::JobContext context) -> QCoro::Task<QJsonValue> {
                    concurrency->enter();
                    try {
                        co_await async::sleep(300ms, context.stop);
                    } catch (...) {
                        --concurrency->now;
                        throw;
                    }
                    --concurrency->now;
                    co_return payload;
                });
        });
        QTRY_COMPARE(lab.queue.workerCount(), 1);
        QCOMPARE(lab.gauge(QStringLiteral("job_workers")), qint64(1));

        const auto runFour = [&]() -> qint64 {
            concurrency->peak = 0;
            QElapsedTimer clock;
            clock.start();
            QStringList ids;
            for (int i = 0; i < 4; ++i)
                ids << postForId("/enqueue", "{}", QStringLiteral("job_id"));
            for (const QString &id : std::as_const(ids)) {
                if (waitForStatus(port(), "/job/", id, QStringLiteral("completed")).isEmpty())
                    return -1;
            }
            return clock.elapsed();
        };

        const qint64 oneWorker = runFour();
        QVERIFY2(oneWorker >= 1150, qPrintable(QString::number(oneWorker))); // 4 x 300 ms, one at a time
        QCOMPARE(concurrency->peak.load(), 1);

        QVERIFY(lab.patch({{QStringLiteral("background"), QJsonObject{{QStringLiteral("workers"), 4}}}}));
        QTRY_COMPARE(lab.queue.workerCount(), 4);
        QCOMPARE(lab.gauge(QStringLiteral("job_workers")), qint64(4));
        const qint64 fourWorkers = runFour();
        QVERIFY2(fourWorkers >= 0 && fourWorkers < 1000, qPrintable(QString::number(fourWorkers)));
        QCOMPARE(concurrency->peak.load(), 4);

        // Shrinking: the surplus workers retire once idle.
        QVERIFY(lab.patch({{QStringLiteral("background"), QJsonObject{{QStringLiteral("workers"), 2}}}}));
        QTRY_COMPARE(lab.queue.workerCount(), 2);
        QCOMPARE(runFour() >= 550, true);
        QCOMPARE(concurrency->peak.load(), 2);
    }

    void gracefulStopRequeuesRunningJobs()
    {
        startLab(fastSettings(0.05, 1)); // process_data: 500 ms
        const QString id = postForId("/process", R"({"k":1})", QStringLiteral("task_id"));
        QVERIFY(!waitForStatus(port(), "/task/", id, QStringLiteral("running")).isEmpty());
        m_lab->stop(); // cancels the handler
        {
            tasks::JobStore store(QDir(m_dir->path()).filePath(QStringLiteral("jobs.sqlite")));
            const auto job = store.find(id);
            QVERIFY(job);
            QCOMPARE(job->status, tasks::JobStatus::Pending);
            QCOMPARE(job->attempts, 1);
        }
        // A new process on the same folder runs it again.
        TaskLab &lab = startLab(fastSettings(0.05, 1));
        QVERIFY(!waitForStatus(port(), "/task/", id, QStringLiteral("completed")).isEmpty());
        QCOMPARE(lab.counter(QStringLiteral("jobs_total"), {QStringLiteral("recovered")}), quint64(0));
    }

    void secondQueueOnTheSameFolderIsRefused()
    {
        TaskLab &lab = startLab();
        QVERIFY(lab.queue.isRunning());
        TaskLab other(m_dir->path(), fastSettings());
        const auto error = other.start();
        QVERIFY(error);
        QVERIFY2(error->contains(QStringLiteral("in use")), qPrintable(*error));
    }
};

QTEST_GUILESS_MAIN(TestTasks)
#include "test_tasks.moc"

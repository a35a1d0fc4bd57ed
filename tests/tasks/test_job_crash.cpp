// At-least-once delivery across a crash: a server process with 100 jobs queued or running is
// killed with SIGKILL and started again on the same data folder; every job must complete,
// none may be lost, and those that were running when it died must run again. Executions are
// counted by the jobs' `attempts` column, committed when a worker claims a job and before its
// handler starts, so it survives the kill.
#include "RawHttpClient.h"
#include "SmallDataset.h"
#include "TaskHttp.h"

#include "engine/tasks/JobStore.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>
#include <utility>

using namespace perflab;
using namespace perflab::test;

namespace {

// The server under test: the task routes and the job queue on a free port, keeping their
// files in `dataDir`. One function, so that it can become
// `perflab serve --port 0 --data-dir DIR --settings FILE` once the lab server has the queue.
std::pair<QString, QStringList> serverCommand(const QString &dataDir, const QString &settingsFile)
{
    return {QStringLiteral(PERFLAB_BINARY),
            {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"),
             QStringLiteral("--data-dir"), dataDir, QStringLiteral("--settings"), settingsFile,
             QStringLiteral("--threads"), QStringLiteral("2")}};
}

// Starts the server and reads the URL it prints first; port 0 on failure.
std::unique_ptr<QProcess> startServer(const QString &dataDir, const QString &settingsFile, quint16 &port)
{
    port = 0;
    auto process = std::make_unique<QProcess>();
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    const auto [program, arguments] = serverCommand(dataDir, settingsFile);
    process->start(program, arguments);
    if (!process->waitForStarted(10000))
        return process;
    while (!process->canReadLine() && process->waitForReadyRead(10000)) {
    }
    const QUrl url(QString::fromUtf8(process->readLine()).trimmed());
    if (url.isValid() && url.port() > 0)
        port = quint16(url.port());
    return process;
}

// True as soon as one of the jobs is seen running (within 10 s).
bool anyRunning(quint16 port, const QStringList &ids)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 10000) {
        for (const QString &id : ids) {
            const QJsonObject job = jsonObject(httpCall(port, "GET", "/job/" + id.toUtf8()));
            if (job.value(QStringLiteral("status")).toString() == QLatin1String("running"))
                return true;
        }
    }
    return false;
}

} // namespace

class TestJobCrash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedServerLosesNoJob()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString settingsFile = dir.filePath(QStringLiteral("settings.json"));
        {
            QFile file(settingsFile);
            QVERIFY(file.open(QIODevice::WriteOnly));
            // process_task: 5 s x 0.04 = 200 ms; 100 jobs on 4 workers take about 5 s.
            file.write(
                R"({"simulation":{"io_scale":0.04},"background":{"workers":4,"mode":"queue"},"database":)" +
                smallDatasetJson() + "}");
        }
        const QString dataDir = dir.filePath(QStringLiteral("data"));

        quint16 port = 0;
        auto server = startServer(dataDir, settingsFile, port);
        QVERIFY2(port != 0, "the server did not print its URL");

        constexpr int kJobs = 100;
        QStringList ids;
        {
            RawHttpClient client(port); // keep-alive: one connection for all
            for (int i = 0; i < kJobs; ++i) {
                const QByteArray body = "{\"n\":" + QByteArray::number(i) + '}';
                client.send(
                    "POST /enqueue HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: " +
                    QByteArray::number(body.size()) + "\r\n\r\n" + body);
                const auto response = client.readResponse(10000);
                QVERIFY(response);
                QCOMPARE(response->status, 200);
                ids << jsonObject(*response).value(QStringLiteral("job_id")).toString();
                QVERIFY(!ids.last().isEmpty());
            }
        }

        // Kill it while jobs are running and others still wait: at once, if a job runs.
        QVERIFY2(anyRunning(port, ids), "no job is running");
        server->kill(); // SIGKILL: no cleanup of any kind
        QVERIFY(server->waitForFinished(10000));
        QCOMPARE(server->exitStatus(), QProcess::CrashExit);

        const QString database = QDir(dataDir).filePath(QStringLiteral("jobs.sqlite"));
        QStringList interrupted;
        int completedBeforeKill = 0;
        {
            tasks::JobStore store(database);
            for (const QString &id : std::as_const(ids)) {
                const auto job = store.find(id);
                QVERIFY2(job, qPrintable(QStringLiteral("job %1 lost").arg(id)));
                if (job->status == tasks::JobStatus::Running)
                    interrupted << id;
                else if (job->status == tasks::JobStatus::Completed)
                    ++completedBeforeKill;
            }
        }
        qInfo("at the kill: %d completed, %lld running, %lld pending", completedBeforeKill,
              qlonglong(interrupted.size()), qlonglong(kJobs - completedBeforeKill - interrupted.size()));
        QVERIFY2(!interrupted.isEmpty(), "no job was running at the kill");
        QVERIFY2(completedBeforeKill + interrupted.size() < kJobs, "no job was still queued at the kill");

        server = startServer(dataDir, settingsFile, port);
        QVERIFY2(port != 0, "the restarted server did not print its URL");
        for (int i = 0; i < kJobs; ++i) {
            const QJsonObject done = waitForStatus(port, "/job/", ids[i], QStringLiteral("completed"), 30000);
            QVERIFY2(!done.isEmpty(), qPrintable(QStringLiteral("job %1 never completed").arg(i)));
            QCOMPARE(done.value(QStringLiteral("result")).toObject(),
                     QJsonObject({{QStringLiteral("processed"), QJsonObject{{QStringLiteral("n"), i}}}}));
        }
        server->kill();
        QVERIFY(server->waitForFinished(10000));

        // At least once: every job ran, and the interrupted ones ran again.
        tasks::JobStore store(database);
        int executions = 0;
        for (const QString &id : std::as_const(ids)) {
            const auto job = store.find(id);
            QVERIFY(job);
            QVERIFY(job->attempts >= 1);
            if (interrupted.contains(id))
                QVERIFY2(job->attempts >= 2, qPrintable(id));
            executions += job->attempts;
        }
        QVERIFY(executions >= kJobs + int(interrupted.size()));
    }
};

QTEST_GUILESS_MAIN(TestJobCrash)
#include "test_job_crash.moc"

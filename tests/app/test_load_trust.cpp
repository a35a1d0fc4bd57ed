// `perflab load` saying when it is the limit, end to end through the binary against an
// in-process server kept off CPU 0. The generator is pinned to CPU 0 with `taskset -c 0`
// beside a busy loop pinned there too, at a rate it keeps easily alone: flagged
// generator-limited, exit 4, the starvation seen in its thread's figures. The same pinning and
// rate without the busy loop: not flagged, exit 0. Both print every key of the `trust` object.
// In a pseudo-terminal (`script`) a progress line is rewritten with "\r"; piped, or with
// --json, there is none.
//
// The busy loop gets the core because the generator runs under `nice -n 19`: Linux shares a
// core fairly and favours a thread that wakes from sleep, so at equal niceness a busy loop
// starves only a generator that needs more than half the core, a rate whose server side
// would need the other core to itself, which a shared 2-core machine cannot promise.
#include "PerflabProcess.h"
#include "TestRoutes.h"

#include "engine/http/HttpServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QThread>

#include <sched.h>

using namespace perflab;

namespace {

using Run = perflab::test::ProcessResult;

QString binary()
{
    return perflab::test::perflabBinary();
}

Run runProgram(const QString &program, const QStringList &args)
{
    return perflab::test::runProgram(program, args, 30000);
}

// A shell spinning on CPU 0 for as long as this object lives.
class BusyLoop
{
public:
    BusyLoop()
    {
        m_process.start(QStringLiteral("taskset"),
                        {QStringLiteral("-c"), QStringLiteral("0"), QStringLiteral("sh"),
                         QStringLiteral("-c"), QStringLiteral("while :; do :; done")});
        m_started = m_process.waitForStarted();
    }
    ~BusyLoop()
    {
        m_process.kill();
        m_process.waitForFinished();
    }
    bool isRunning() const { return m_started && m_process.state() == QProcess::Running; }

private:
    QProcess m_process;
    bool m_started = false;
};

QJsonObject trustOf(const QString &out)
{
    return QJsonDocument::fromJson(out.toUtf8()).object().value(QStringLiteral("trust")).toObject();
}

QString describe(const Run &run)
{
    return QStringLiteral("exit %1\n%2\n%3").arg(run.exitCode).arg(run.out, run.err);
}

} // namespace

class TestLoadTrust : public QObject
{
    Q_OBJECT

    std::unique_ptr<http::HttpServer> m_server;

    QString url() const { return QStringLiteral("http://127.0.0.1:%1/hello").arg(m_server->port()); }

    // perflab load on CPU 0 at 2000 requests/s for 3 s, as JSON; `yielding`: under nice 19.
    Run pinnedLoad(bool yielding) const
    {
        QStringList args{QStringLiteral("-c"),
                         QStringLiteral("0"),
                         binary(),
                         QStringLiteral("load"),
                         url(),
                         QStringLiteral("-R"),
                         QStringLiteral("2000"),
                         QStringLiteral("-c"),
                         QStringLiteral("50"),
                         QStringLiteral("-d"),
                         QStringLiteral("3s"),
                         QStringLiteral("--json")};
        if (!yielding)
            return runProgram(QStringLiteral("taskset"), args);
        return runProgram(QStringLiteral("nice"),
                          QStringList{QStringLiteral("-n"), QStringLiteral("19"), QStringLiteral("taskset")} +
                              args);
    }

    static void checkTrustKeys(const QJsonObject &trust)
    {
        for (const char *key : {"model", "duration_s", "asked", "asked_per_s", "sent", "achieved_per_s",
                                "achieved_share", "send_lag_ms", "send_lag_bound_ms", "client_threads",
                                "connections", "verdict", "generator_limited", "reasons", "notes", "text"})
            QVERIFY2(trust.contains(QLatin1String(key)), key);
        QCOMPARE(trust.value(QStringLiteral("model")).toString(), QStringLiteral("open"));
        for (const char *key : {"count", "p50", "p99", "max"})
            QVERIFY2(trust.value(QStringLiteral("send_lag_ms")).toObject().contains(QLatin1String(key)), key);
        const QJsonArray threads = trust.value(QStringLiteral("client_threads")).toArray();
        QCOMPARE(threads.size(), 1);
        for (const char *key : {"thread", "cpu_share", "run_wait_share", "busy_share"})
            QVERIFY2(threads.at(0).toObject().contains(QLatin1String(key)), key);
        for (const char *key : {"open", "connecting", "connect_failures"})
            QVERIFY2(trust.value(QStringLiteral("connections")).toObject().contains(QLatin1String(key)), key);
        // Asked is the schedule's: 2000/s whatever happened.
        QVERIFY2(qAbs(trust.value(QStringLiteral("asked_per_s")).toDouble() - 2000) < 1,
                 qPrintable(QString::number(trust.value(QStringLiteral("asked_per_s")).toDouble())));
    }

private Q_SLOTS:
    void initTestCase()
    {
        // What provides each tool on Debian.
        const std::pair<const char *, const char *> tools[] = {
            {"taskset", "util-linux"}, {"nice", "coreutils"}, {"script", "bsdutils"}};
        for (const auto &[tool, package] : tools)
            if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty())
                QFAIL(qPrintable(QStringLiteral("%1 is missing: install the %2 package")
                                     .arg(QLatin1String(tool), QLatin1String(package))));
        // The server's threads (made after this) stay off CPU 0, where the generator and the
        // busy loop go: the test is about the generator's CPU, not the server's.
        cpu_set_t cpus;
        CPU_ZERO(&cpus);
        for (int cpu = 1; cpu < CPU_SETSIZE && cpu < QThread::idealThreadCount(); ++cpu)
            CPU_SET(cpu, &cpus);
        if (CPU_COUNT(&cpus) > 0)
            QCOMPARE(sched_setaffinity(0, sizeof cpus, &cpus), 0);
        http::ServerConfig config;
        config.port = 0;
        config.threads = 1;
        m_server = std::make_unique<http::HttpServer>(test::makeTestRouter(), config);
        QVERIFY(!m_server->start());
    }
    void cleanupTestCase() { m_server.reset(); }

    void aGeneratorSharingItsCoreWithABusyLoopIsFlagged()
    {
        Run run;
        {
            BusyLoop busy;
            QVERIFY(busy.isRunning());
            run = pinnedLoad(true);
            QVERIFY2(busy.isRunning(), "the busy loop ended before the run did");
        }
        QVERIFY2(run.exitCode == 4, qPrintable(describe(run)));
        QVERIFY2(run.err.contains(QLatin1String("the generator was the limit")), qPrintable(run.err));
        const QJsonObject trust = trustOf(run.out);
        checkTrustKeys(trust);
        QCOMPARE(trust.value(QStringLiteral("verdict")).toString(), QStringLiteral("generator_limited"));
        QVERIFY(trust.value(QStringLiteral("generator_limited")).toBool());
        QVERIFY(!trust.value(QStringLiteral("reasons")).toArray().isEmpty());
        // The generator saw why: its thread spent most of the run waiting for CPU 0.
        const QJsonObject thread = trust.value(QStringLiteral("client_threads")).toArray().at(0).toObject();
        const QJsonValue waited = thread.value(QStringLiteral("run_wait_share"));
        const double starved =
            waited.isNull() ? 1.0 - thread.value(QStringLiteral("cpu_share")).toDouble() : waited.toDouble();
        QVERIFY2(starved >= 0.5, qPrintable(describe(run)));
    }

    void theSameRateAloneIsNotFlagged()
    {
        const Run run = pinnedLoad(false);
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        const QJsonObject trust = trustOf(run.out);
        checkTrustKeys(trust);
        QCOMPARE(trust.value(QStringLiteral("verdict")).toString(), QStringLiteral("ok"));
        QVERIFY(!trust.value(QStringLiteral("generator_limited")).toBool(true));
        QVERIFY(trust.value(QStringLiteral("reasons")).toArray().isEmpty());
        QVERIFY(trust.value(QStringLiteral("achieved_share")).toDouble() >= 0.95);
        QVERIFY(
            trust.value(QStringLiteral("send_lag_ms")).toObject().value(QStringLiteral("p99")).toDouble() <=
            trust.value(QStringLiteral("send_lag_bound_ms")).toDouble());
    }

    void aTerminalGetsAProgressLine()
    {
        // `script` gives the command a pseudo-terminal and copies what it writes to stdout. Its
        // line endings become "\r\n" there, so the progress line is a "\r" followed by text.
        const QString command = QStringLiteral("'%1' load %2 -R 200 -c 4 -d 1500ms").arg(binary(), url());
        const Run run = runProgram(QStringLiteral("script"), {QStringLiteral("-q"), QStringLiteral("-c"),
                                                              command, QStringLiteral("/dev/null")});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(run.out.contains(QLatin1String("\rload ")), qPrintable(run.out));
        QVERIFY2(run.out.count(QLatin1String("\rload ")) >= 3,
                 qPrintable(run.out)); // rewritten, a few times a second
        QVERIFY2(run.out.contains(QLatin1String("| trust: ")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QLatin1String(" req/s | p99 ")), qPrintable(run.out));
        QVERIFY(run.out.contains(QLatin1String("\x1b[K")));
        QVERIFY(run.out.contains(QLatin1String("Trust: generator (open loop)"))); // and the result after it

        // With --json, nothing but the JSON, even on a terminal.
        const Run json = runProgram(QStringLiteral("script"),
                                    {QStringLiteral("-q"), QStringLiteral("-c"),
                                     command + QStringLiteral(" --json"), QStringLiteral("/dev/null")});
        QVERIFY2(json.exitCode == 0, qPrintable(describe(json)));
        QVERIFY(json.out.contains(QLatin1String("\"trust\"")));
        QVERIFY2(!json.out.contains(QLatin1String("\rload ")) && !json.out.contains(QLatin1String("\x1b[K")),
                 qPrintable(json.out));
    }

    void aPipeGetsNoProgressLine()
    {
        const Run run =
            runProgram(binary(), {QStringLiteral("load"), url(), QStringLiteral("-R"), QStringLiteral("200"),
                                  QStringLiteral("-c"), QStringLiteral("4"), QStringLiteral("-d"),
                                  QStringLiteral("1500ms")});
        QVERIFY2(run.exitCode == 0, qPrintable(describe(run)));
        QVERIFY2(!run.err.contains(QLatin1Char('\r')) && !run.err.contains(QLatin1String("trust: ")),
                 qPrintable(run.err));
        QVERIFY(!run.out.contains(QLatin1Char('\r')));
        QVERIFY2(run.out.contains(QLatin1String("Trust: generator (open loop)")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QLatin1String("  verdict: ok: ")), qPrintable(run.out));
    }
};

QTEST_GUILESS_MAIN(TestLoadTrust)
#include "test_load_trust.moc"

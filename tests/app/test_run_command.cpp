// `perflab run` as a user runs it: a small two-phase scenario on the embedded lab server
// produces every report file with the phases kept apart, and the generator's verdict on itself
// per phase (run.json, report.html, the CSV's columns, the printed table); a failed threshold exits 1 naming
// it; a bad scenario exits 2 naming the field; --target runs the same scenario against another perflab (its
// settings changed over PATCH /admin/settings); SIGINT still writes the report; a false claim exits 1 naming
// it (and run.json and report.html state it); a claim naming a phase, route or metric the scenario does not
// have exits 2 naming the field. A --target that requires an admin token (a perflab bound to 0.0.0.0; the
// test talks to 127.0.0.1 only) gets it from --admin-token or PERFLAB_ADMIN_TOKEN, and without it the run
// fails saying so; the report never carries a database password.
#include "PerflabProcess.h"
#include "SmallDataset.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <csignal>

using namespace perflab::test;

class TestRunCommand : public QObject
{
    Q_OBJECT

    static QString binary() { return perflabBinary(); }

    // Two phases that differ only in cache.enabled, on the small dataset.
    static QJsonObject cachingScenario(double phaseSeconds = 1.5)
    {
        const QJsonObject small = QJsonDocument::fromJson(smallDatasetJson()).object();
        return QJsonObject{
            {QStringLiteral("name"), QStringLiteral("Caching <off> & on")},
            {QStringLiteral("description"), QStringLiteral("cache-aside users, off then on")},
            {QStringLiteral("settings"),
             QJsonObject{{QStringLiteral("database"), small},
                         {QStringLiteral("simulation"), QJsonObject{{QStringLiteral("io_scale"), 0.02}}}}},
            {QStringLiteral("load"), QJsonObject{{QStringLiteral("model"), QStringLiteral("open")},
                                                 {QStringLiteral("rate"), 200},
                                                 {QStringLiteral("connections"), 8}}},
            {QStringLiteral("requests"),
             QJsonArray{QJsonObject{{QStringLiteral("path"), QStringLiteral("/users/{uniform:1..50}")},
                                    {QStringLiteral("weight"), 3}},
                        QJsonObject{{QStringLiteral("path"), QStringLiteral("/hello")}}}},
            {QStringLiteral("phases"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("cache off")},
                                    {QStringLiteral("duration_s"), phaseSeconds},
                                    {QStringLiteral("settings"),
                                     QJsonObject{{QStringLiteral("cache"),
                                                  QJsonObject{{QStringLiteral("enabled"), false}}}}}},
                        QJsonObject{{QStringLiteral("name"), QStringLiteral("cache on")},
                                    {QStringLiteral("duration_s"), phaseSeconds},
                                    {QStringLiteral("settings"),
                                     QJsonObject{{QStringLiteral("cache"),
                                                  QJsonObject{{QStringLiteral("enabled"), true}}}}}}}},
            {QStringLiteral("thresholds"), QJsonObject{{QStringLiteral("error_rate"), 0.01}}},
        };
    }

    static QString writeScenario(const QTemporaryDir &dir, const QJsonObject &scenario)
    {
        const QString path = dir.filePath(QStringLiteral("scenario.json"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        file.write(QJsonDocument(scenario).toJson());
        return path;
    }

    using Finished = ProcessResult;
    static Finished run(const QStringList &args, int timeoutMs = 60000,
                        const QString &tokenInEnvironment = {})
    {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("PERFLAB_ADMIN_TOKEN"));
        if (!tokenInEnvironment.isEmpty())
            environment.insert(QStringLiteral("PERFLAB_ADMIN_TOKEN"), tokenInEnvironment);
        return runPerflab(QStringList{QStringLiteral("run")} + args, timeoutMs, environment);
    }

    // The CSV's column of `name`, summed over the rows of `phase`.
    static double sumInPhase(const QString &csvPath, const QString &column, const QString &phase)
    {
        QFile file(csvPath);
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
            return -1;
        const QStringList header = QString::fromUtf8(file.readLine()).trimmed().split(QLatin1Char(','));
        const qsizetype valueAt = header.indexOf(column);
        const qsizetype phaseAt = header.indexOf(QStringLiteral("phase"));
        if (valueAt < 0 || phaseAt < 0)
            return -1;
        double sum = 0;
        while (!file.atEnd()) {
            const QStringList cells = QString::fromUtf8(file.readLine()).trimmed().split(QLatin1Char(','));
            if (cells.size() > valueAt && cells.value(phaseAt) == phase)
                sum += cells[valueAt].toDouble();
        }
        return sum;
    }

private Q_SLOTS:
    void writesEveryReportFileWithThePhasesApart()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("report"));
        const Finished finished = run({writeScenario(dir, cachingScenario()), QStringLiteral("--out"), out,
                                       QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data"))});
        QVERIFY2(finished.exitCode == 0, qPrintable(finished.err + finished.out));
        QVERIFY(finished.out.contains(QLatin1String("cache off")));
        QVERIFY(finished.out.contains(QLatin1String("threshold error_rate")));
        QVERIFY(finished.out.contains(QDir(out).absoluteFilePath(QStringLiteral("report.html"))));
        for (const char *file : {"run.json", "timeseries.csv", "report.html", "latency-cache-off.hgrm",
                                 "latency-cache-on.hgrm", "charts/latency.svg", "charts/throughput.svg",
                                 "report.pdf", "charts/latency.png", "charts/throughput.png"})
            QVERIFY2(QFile::exists(QDir(out).filePath(QLatin1String(file))), file);

        const QJsonObject runJson = readJsonObject(QDir(out).filePath(QStringLiteral("run.json")));
        const QJsonArray phases = runJson[QStringLiteral("phases")].toArray();
        QCOMPARE(phases.size(), 2);
        QCOMPARE(phases[0].toObject()[QStringLiteral("name")].toString(), QStringLiteral("cache off"));
        QCOMPARE(phases[1].toObject()[QStringLiteral("name")].toString(), QStringLiteral("cache on"));
        // The generator's verdict on itself, per phase: 200/s asked of an open loop, kept.
        QCOMPARE(runJson[QStringLiteral("generator_limited")].toBool(true), false);
        for (const QJsonValue &phase : phases) {
            const QJsonObject trust = phase.toObject()[QStringLiteral("trust")].toObject();
            for (const char *key :
                 {"model", "asked_per_s", "achieved_per_s", "achieved_share", "send_lag_ms",
                  "send_lag_bound_ms", "client_threads", "connections", "verdict", "reasons", "notes"})
                QVERIFY2(trust.contains(QLatin1String(key)), key);
            QCOMPARE(trust[QStringLiteral("verdict")].toString(), QStringLiteral("ok"));
            QVERIFY(qAbs(trust[QStringLiteral("asked_per_s")].toDouble() - 200) < 1);
            QVERIFY(trust[QStringLiteral("send_lag_ms")].toObject()[QStringLiteral("count")].toDouble() > 0);
        }
        QVERIFY2(finished.out.contains(QLatin1String("generator")) &&
                     finished.out.contains(QLatin1String("verdict")),
                 qPrintable(finished.out));
        QVERIFY(!finished.err.contains(QLatin1Char('\r'))); // piped: no progress line
        for (const char *column : {"client_sends_asked_per_s", "client_sends_per_s", "client_send_lag_p99_ms",
                                   "client_thread_cpu_max_pct", "client_thread_busy_max_pct",
                                   "client_connections_open", "client_connections_connecting"})
            QVERIFY2(sumInPhase(QDir(out).filePath(QStringLiteral("timeseries.csv")), QLatin1String(column),
                                QStringLiteral("cache on")) >= 0,
                     column);
        QVERIFY(sumInPhase(QDir(out).filePath(QStringLiteral("timeseries.csv")),
                           QStringLiteral("client_sends_asked_per_s"), QStringLiteral("cache on")) > 0);

        // The server's side, phase by phase: no cache hits while it is off, hits once it is on.
        const QString csv = QDir(out).filePath(QStringLiteral("timeseries.csv"));
        QCOMPARE(sumInPhase(csv, QStringLiteral("server_cache_hits_per_s"), QStringLiteral("cache off")),
                 0.0);
        QVERIFY(sumInPhase(csv, QStringLiteral("server_cache_hits_per_s"), QStringLiteral("cache on")) > 0);
        QVERIFY(sumInPhase(csv, QStringLiteral("client_requests_per_s"), QStringLiteral("cache on")) > 0);

        QFile html(QDir(out).filePath(QStringLiteral("report.html")));
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QByteArray page = html.readAll();
        for (const char *section : {"id=\"summary\"", "id=\"trust\"", "id=\"charts\"", "id=\"phases\"",
                                    "id=\"routes\"", "id=\"settings\"", "id=\"environment\""})
            QVERIFY2(page.contains(section), section);
        QVERIFY(page.contains("<h2>Generator trust</h2>"));
        QVERIFY(page.contains("Caching &lt;off&gt; &amp; on")); // escaped, not markup
    }

    void failedThresholdExitsOneNamingIt()
    {
        QTemporaryDir dir;
        QJsonObject scenario = cachingScenario(0.5);
        scenario[QStringLiteral("thresholds")] = QJsonObject{{QStringLiteral("p50_ms"), 0.0001}};
        const Finished finished =
            run({writeScenario(dir, scenario), QStringLiteral("--out"), dir.filePath(QStringLiteral("r")),
                 QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data"))});
        QCOMPARE(finished.exitCode, 1);
        QVERIFY2(finished.err.contains(QLatin1String("threshold p50_ms failed")), qPrintable(finished.err));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("r/report.html")))); // the report is still written
    }

    static QJsonObject claim(const char *text, const char *metric, const char *phase, const char *bound,
                             double limit, const char *route = nullptr)
    {
        QJsonObject claim{{QStringLiteral("claim"), QLatin1String(text)},
                          {QStringLiteral("metric"), QLatin1String(metric)},
                          {QStringLiteral("phase"), QLatin1String(phase)},
                          {QLatin1String(bound), limit}};
        if (route)
            claim.insert(QStringLiteral("route"), QLatin1String(route));
        return claim;
    }

    void falseClaimExitsOneNamingIt()
    {
        QTemporaryDir dir;
        QJsonObject scenario = cachingScenario(0.5);
        scenario[QStringLiteral("expect")] = QJsonArray{
            claim("Every /hello answers 200", "status_200_share", "cache on", "at_least", 0.99, "GET /hello"),
            claim("/hello answers in a nanosecond", "p50_ms", "cache on", "at_most", 0.000001, "GET /hello")};
        const QString out = dir.filePath(QStringLiteral("r"));
        const Finished finished = run({writeScenario(dir, scenario), QStringLiteral("--out"), out,
                                       QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data"))});
        QCOMPARE(finished.exitCode, 1);
        QVERIFY2(
            finished.out.contains(QStringLiteral(
                "claim verified: Every /hello answers 200 — status_200_share GET /hello: cache on 1 ≥ 0.99")),
            qPrintable(finished.out));
        QVERIFY2(finished.out.contains(QStringLiteral(
                     "claim not verified: /hello answers in a nanosecond — p50_ms GET /hello: cache on ")),
                 qPrintable(finished.out));
        QVERIFY2(finished.out.contains(QStringLiteral(" ms, expected ≤ 0.000001")), qPrintable(finished.out));
        QVERIFY2(finished.err.contains(QLatin1String("claim not verified: /hello answers in a nanosecond")),
                 qPrintable(finished.err));

        const QJsonObject runJson = readJsonObject(QDir(out).filePath(QStringLiteral("run.json")));
        QCOMPARE(runJson[QStringLiteral("passed")].toBool(), false);
        const QJsonArray claims = runJson[QStringLiteral("claims")].toArray();
        QCOMPARE(claims.size(), 2);
        QCOMPARE(claims[0][QStringLiteral("status")].toString(), QStringLiteral("verified"));
        QCOMPARE(claims[1][QStringLiteral("status")].toString(), QStringLiteral("not_verified"));
        QCOMPARE(claims[1][QStringLiteral("route")].toString(), QStringLiteral("GET /hello"));
        QCOMPARE(claims[1][QStringLiteral("at_most")].toDouble(), 0.000001);
        QVERIFY(claims[1][QStringLiteral("value")].toDouble() > 0.000001);

        QFile html(QDir(out).filePath(QStringLiteral("report.html")));
        QVERIFY(html.open(QIODevice::ReadOnly));
        const QString page = QString::fromUtf8(html.readAll());
        QVERIFY(page.contains(QLatin1String("<section id=\"claims\">\n<h2>Claims</h2>")));
        QVERIFY(
            page.contains(QLatin1String("<tr class=\"claim fail\"><td>/hello answers in a nanosecond</td>")));
        QVERIFY(page.contains(QLatin1String("<tr class=\"claim pass\"><td>Every /hello answers 200</td>")));
    }

    void badClaimExitsTwoNamingTheField_data()
    {
        QTest::addColumn<QJsonObject>("claim");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("expected");
        QTest::newRow("phase")
            << claim("c", "p50_ms", "cache in", "at_most", 1) << QStringLiteral("expect[0].phase")
            << QStringLiteral(R"(expected the name of a phase ("cache off", "cache on"), got "cache in")");
        QTest::newRow("route") << claim("c", "p50_ms", "cache on", "at_most", 1, "GET /hell")
                               << QStringLiteral("expect[0].route")
                               << QStringLiteral(
                                      R"("GET /users/{uniform:1..50}", "GET /hello"), got "GET /hell")");
        QTest::newRow("metric") << claim("c", "p95_ms", "cache on", "at_most", 1)
                                << QStringLiteral("expect[0].metric") << QStringLiteral(R"(got "p95_ms")");
    }

    void badClaimExitsTwoNamingTheField()
    {
        QFETCH(QJsonObject, claim);
        QFETCH(QString, field);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        QJsonObject scenario = cachingScenario();
        scenario[QStringLiteral("expect")] = QJsonArray{claim};
        const QString path = writeScenario(dir, scenario);
        const Finished finished = run({path, QStringLiteral("--out"), dir.filePath(QStringLiteral("r"))});
        QCOMPARE(finished.exitCode, 2);
        // One line of perflab's own (Qt may add a warning about the environment).
        const QStringList lines =
            finished.err.split(QLatin1Char('\n')).filter(QStringLiteral("perflab run: "));
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith(QStringLiteral("perflab run: ") + path + QStringLiteral(": ") + field +
                                     QStringLiteral(": ")),
                 qPrintable(finished.err));
        QVERIFY2(finished.err.contains(expected), qPrintable(finished.err));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("r"))));
    }

    void badScenarioExitsTwoNamingTheField()
    {
        QTemporaryDir dir;
        QJsonObject scenario = cachingScenario();
        QJsonArray phases = scenario[QStringLiteral("phases")].toArray();
        QJsonObject second = phases[1].toObject();
        second[QStringLiteral("duration_s")] = QStringLiteral("ten");
        phases[1] = second;
        scenario[QStringLiteral("phases")] = phases;
        const QString path = writeScenario(dir, scenario);
        const Finished finished = run({path, QStringLiteral("--out"), dir.filePath(QStringLiteral("r"))});
        QCOMPARE(finished.exitCode, 2);
        QVERIFY2(finished.err.contains(path) && finished.err.contains(QLatin1String("phases[1].duration_s")),
                 qPrintable(finished.err));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("r"))));

        QCOMPARE(run({QStringLiteral("--scale"), QStringLiteral("zero"), path}).exitCode, 2);
        const Finished missing = run({dir.filePath(QStringLiteral("no-such.json"))});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(QLatin1String("no-such.json")), qPrintable(missing.err));
    }

    void targetRunsAgainstAnotherPerflab()
    {
        QTemporaryDir dir;
        const QString settingsFile = dir.filePath(QStringLiteral("small.json"));
        {
            QFile file(settingsFile);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(R"({"database":)" + smallDatasetJson() + "}");
        }
        QProcess server;
        server.start(binary(),
                     {QStringLiteral("serve"), QStringLiteral("--port"), QStringLiteral("0"),
                      QStringLiteral("--threads"), QStringLiteral("1"), QStringLiteral("--data-dir"),
                      dir.filePath(QStringLiteral("server")), QStringLiteral("--settings"), settingsFile});
        QVERIFY(server.waitForStarted());
        QVERIFY(server.waitForReadyRead(20000));
        const QString url = QString::fromUtf8(server.readLine()).trimmed();
        QVERIFY2(QUrl(url).port() > 0, qPrintable(url));

        QJsonObject scenario = cachingScenario(0.5);
        scenario.remove(QStringLiteral("settings")); // the dataset is the server's business
        const QString out = dir.filePath(QStringLiteral("r"));
        const Finished finished = run(
            {writeScenario(dir, scenario), QStringLiteral("--target"), url, QStringLiteral("--out"), out});
        server.terminate();
        server.waitForFinished(10000);
        QVERIFY2(finished.exitCode == 0, qPrintable(finished.err + finished.out));
        const QJsonObject runJson = readJsonObject(QDir(out).filePath(QStringLiteral("run.json")));
        QVERIFY2(runJson[QStringLiteral("target")].toString().contains(url),
                 qPrintable(runJson[QStringLiteral("target")].toString()));
        QCOMPARE(runJson[QStringLiteral("phases")].toArray().size(), 2);
    }

    void targetThatRequiresATokenGetsIt()
    {
        QTemporaryDir dir;
        const QString settingsFile = dir.filePath(QStringLiteral("small.json"));
        {
            QFile file(settingsFile);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(R"({"database":)" + smallDatasetJson() + "}");
        }
        QProcess server;
        server.start(binary(),
                     {QStringLiteral("serve"), QStringLiteral("--host"), QStringLiteral("0.0.0.0"),
                      QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--threads"),
                      QStringLiteral("1"), QStringLiteral("--data-dir"),
                      dir.filePath(QStringLiteral("server")), QStringLiteral("--settings"), settingsFile});
        QVERIFY(server.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(server.bytesAvailable() > 0 && server.peek(4096).count('\n') >= 2, 20000);
        const QUrl listening(QString::fromUtf8(server.readLine()).trimmed());
        const QString tokenLine = QString::fromUtf8(server.readLine()).trimmed();
        QVERIFY2(tokenLine.startsWith(QLatin1String("admin token: ")), qPrintable(tokenLine));
        const QString token = tokenLine.mid(QStringLiteral("admin token: ").size());
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(listening.port());

        QJsonObject scenario = cachingScenario(0.5);
        scenario.remove(QStringLiteral("settings")); // the phases still PATCH cache.enabled
        const QString path = writeScenario(dir, scenario);
        const auto runWith = [&](const QStringList &extra, const QString &environmentToken = {}) {
            return run(QStringList{path, QStringLiteral("--target"), url, QStringLiteral("--out"),
                                   dir.filePath(QStringLiteral("r"))} +
                           extra,
                       60000, environmentToken);
        };
        const Finished without = runWith({});
        QCOMPARE(without.exitCode, 3);
        QVERIFY2(without.err.contains(QLatin1String("requires its admin token")) &&
                     without.err.contains(QLatin1String("--admin-token")),
                 qPrintable(without.err));
        QString wrong = token;
        wrong[0] = wrong[0] == u'x' ? u'y' : u'x';
        const Finished refused = runWith({QStringLiteral("--admin-token"), wrong});
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains(QLatin1String("refused the admin token")), qPrintable(refused.err));

        const Finished withFlag = runWith({QStringLiteral("--admin-token"), token});
        QVERIFY2(withFlag.exitCode == 0, qPrintable(withFlag.err + withFlag.out));
        const Finished fromEnvironment = runWith({}, token);
        QVERIFY2(fromEnvironment.exitCode == 0, qPrintable(fromEnvironment.err + fromEnvironment.out));
        // The phases' settings really reached the server.
        const QJsonObject runJson =
            readJsonObject(QDir(dir.filePath(QStringLiteral("r"))).filePath(QStringLiteral("run.json")));
        const QJsonObject cacheOn =
            runJson[QStringLiteral("phases")][1].toObject()[QStringLiteral("settings")].toObject();
        QCOMPARE(cacheOn[QStringLiteral("cache")][QStringLiteral("enabled")].toBool(), true);
        const QJsonObject cacheOff =
            runJson[QStringLiteral("phases")][0].toObject()[QStringLiteral("settings")].toObject();
        QCOMPARE(cacheOff[QStringLiteral("cache")][QStringLiteral("enabled")].toBool(), false);
        server.terminate();
        server.waitForFinished(10000);
        QVERIFY(!QString(without.err + refused.err + withFlag.err + withFlag.out)
                     .contains(token)); // never echoed
    }

    void reportCarriesNoDatabasePassword()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("report"));
        QJsonObject scenario = cachingScenario(0.5);
        // A phase may name another database: read at the lab's next start, so this run keeps SQLite.
        QJsonArray phases = scenario[QStringLiteral("phases")].toArray();
        QJsonObject second = phases[1].toObject();
        QJsonObject settings = second[QStringLiteral("settings")].toObject();
        settings[QStringLiteral("database")] =
            QJsonObject{{QStringLiteral("url"), QStringLiteral("postgresql://lab:s3cret@127.0.0.1:1/other")}};
        second[QStringLiteral("settings")] = settings;
        phases[1] = second;
        scenario[QStringLiteral("phases")] = phases;
        const Finished finished = run({writeScenario(dir, scenario), QStringLiteral("--out"), out,
                                       QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data"))});
        QVERIFY2(finished.exitCode == 0, qPrintable(finished.err + finished.out));
        QVERIFY(!QString(finished.err + finished.out).contains(QLatin1String("s3cret")));
        int read = 0;
        QDirIterator files(out, QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            QFile file(files.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY2(!file.readAll().contains("s3cret"), qPrintable(file.fileName()));
            ++read;
        }
        QVERIFY(read >= 5);
        const QJsonObject runJson = readJsonObject(QDir(out).filePath(QStringLiteral("run.json")));
        const QJsonObject patch =
            runJson[QStringLiteral("phases")][1].toObject()[QStringLiteral("settings_patch")].toObject();
        QCOMPARE(patch[QStringLiteral("database")][QStringLiteral("url")].toString(),
                 QStringLiteral("postgresql://lab:***@127.0.0.1:1/other"));
    }

    void interruptedRunStillWritesTheReport()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("r"));
        QProcess process;
        QJsonObject scenario = cachingScenario(30);
        scenario[QStringLiteral("expect")] = QJsonArray{claim("c", "rps", "cache on", "at_least", 1)};
        process.start(binary(), {QStringLiteral("run"), writeScenario(dir, scenario), QStringLiteral("--out"),
                                 out, QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data"))});
        QVERIFY(process.waitForStarted());
        // Wait for the first phase to begin, then interrupt it.
        QByteArray err;
        QTRY_VERIFY_WITH_TIMEOUT((err += process.readAllStandardError()).contains("phase 1/2") ||
                                     process.state() != QProcess::Running,
                                 30000);
        QTest::qWait(500);
        ::kill(pid_t(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(20000));
        QCOMPARE(process.exitCode(), 3);
        const QJsonObject runJson = readJsonObject(QDir(out).filePath(QStringLiteral("run.json")));
        const QJsonArray phases = runJson[QStringLiteral("phases")].toArray();
        QCOMPARE(phases.size(), 1);
        QVERIFY(
            phases[0].toObject()[QStringLiteral("name")].toString().contains(QLatin1String("interrupted")));
        // The claim's phase never ran: not evaluated, not failed (the exit code is the interruption's).
        const QJsonObject notRun = runJson[QStringLiteral("claims")][0].toObject();
        QCOMPARE(notRun[QStringLiteral("status")].toString(), QStringLiteral("not_evaluated"));
        QVERIFY2(
            notRun[QStringLiteral("reason")].toString().contains(QLatin1String("'cache on' did not run")),
            qPrintable(notRun[QStringLiteral("reason")].toString()));
    }
};

QTEST_GUILESS_MAIN(TestRunCommand)
#include "test_run_command.moc"

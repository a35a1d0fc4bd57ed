// `perflab knee` as a user runs it, against the embedded lab of a scenario: /limited with 2
// requests in flight and 10 ms of work each, a service of 200 req/s. A search finds its knee
// (exit 0; the table and the capacity line; knee.json with rising offered rates and achieved
// rates that never exceed them; knee.html and both charts as SVG and PNG); one that stops at
// --max-rate says so as JSON on stdout; a start rate above the service's capacity exits 1;
// nothing listening exits 3; bad input exits 2 with one line naming the flag, file or field.
// A concurrency sweep of 1 to 8 clients writes its own charts and the fitted law.
#include "PerflabProcess.h"
#include "SmallDataset.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace perflab::test;

class TestKneeCommand : public QObject
{
    Q_OBJECT

    QTemporaryDir m_data; // one embedded lab data folder for every search: its dataset is made once

    // /limited at `maxInFlight` x 10 ms of work: a capacity of maxInFlight / 0.010 s.
    static QJsonObject limitedScenario(int maxInFlight)
    {
        const QJsonObject small = QJsonDocument::fromJson(smallDatasetJson()).object();
        return QJsonObject{
            {QStringLiteral("name"), QStringLiteral("limited")},
            {QStringLiteral("settings"),
             QJsonObject{{QStringLiteral("database"), small},
                         {QStringLiteral("simulation"), QJsonObject{{QStringLiteral("io_scale"), 0.01}}},
                         {QStringLiteral("concurrency"),
                          QJsonObject{{QStringLiteral("limit_enabled"), true},
                                      {QStringLiteral("max_in_flight"), maxInFlight}}}}},
            {QStringLiteral("load"),
             QJsonObject{{QStringLiteral("model"), QStringLiteral("open")}, {QStringLiteral("rate"), 10}}},
            {QStringLiteral("requests"),
             QJsonArray{QJsonObject{{QStringLiteral("path"), QStringLiteral("/limited")}}}},
            {QStringLiteral("phases"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("knee")},
                                    {QStringLiteral("duration_s"), 1}}}},
        };
    }

    static QString writeJson(const QTemporaryDir &dir, const QString &name, const QJsonObject &object)
    {
        const QString path = dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        file.write(QJsonDocument(object).toJson());
        return path;
    }

    using Finished = ProcessResult;
    static Finished run(const QStringList &args)
    {
        return runPerflab(QStringList{QStringLiteral("knee")} + args, 120'000);
    }

    // Quick steps: 1.5 s, of which 0.5 s warm-up; a loose p99 bound, so the knee is the rate's.
    QStringList searchFlags(const QString &out) const
    {
        return {QStringLiteral("--step-s"),   QStringLiteral("1.5"),
                QStringLiteral("--warmup-s"), QStringLiteral("0.5"),
                QStringLiteral("--p99-ms"),   QStringLiteral("200"),
                QStringLiteral("-c"),         QStringLiteral("16"),
                QStringLiteral("--out"),      out,
                QStringLiteral("--data-dir"), m_data.path()};
    }

private Q_SLOTS:
    void findsTheKneeOfALimitedRoute()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("knee"));
        const Finished finished =
            run(QStringList{writeJson(dir, QStringLiteral("limited.json"), limitedScenario(2)),
                            QStringLiteral("--start-rate"), QStringLiteral("100"), QStringLiteral("--factor"),
                            QStringLiteral("2"), QStringLiteral("--max-rate"), QStringLiteral("3200"),
                            QStringLiteral("--refine"), QStringLiteral("1")} +
                searchFlags(out));
        QVERIFY2(finished.exitCode == 0, qPrintable(finished.err + finished.out));
        for (const char *file : {"knee.json", "knee.html", "charts/knee-rate.svg", "charts/knee-latency.svg",
                                 "charts/knee-rate.png", "charts/knee-latency.png"})
            QVERIFY2(QFile::exists(QDir(out).filePath(QLatin1String(file))), file);

        const QJsonObject knee = readJsonObject(QDir(out).filePath(QStringLiteral("knee.json")));
        QCOMPARE(knee[QStringLiteral("format")].toString(), QStringLiteral("perflab-knee/1"));
        QVERIFY(knee[QStringLiteral("embedded")].toBool());
        const QJsonArray steps = knee[QStringLiteral("steps")].toArray();
        QVERIFY2(steps.size() >= 2, qPrintable(finished.out));
        double previousRise = 0;
        for (const QJsonValue &value : steps) {
            const QJsonObject step = value.toObject();
            const double offered = step[QStringLiteral("offered_rps")].toDouble();
            const double achieved = step[QStringLiteral("achieved_rps")].toDouble();
            QVERIFY2(achieved <= offered * 1.05,
                     qPrintable(QStringLiteral("%1 of %2").arg(achieved).arg(offered)));
            QVERIFY(step[QStringLiteral("responses")].toDouble() > 0);
            if (step[QStringLiteral("kind")].toString() == QLatin1String("rise")) {
                QVERIFY2(offered > previousRise, qPrintable(QString::number(offered)));
                previousRise = offered;
            }
        }
        // A service of 200 req/s cannot answer 380 of 400 offered: that step can never pass.
        const double capacity = knee[QStringLiteral("capacity_rps")].toDouble();
        QVERIFY2(capacity >= 100 && capacity < 400, qPrintable(QString::number(capacity)));
        QVERIFY(knee[QStringLiteral("knee_rps")].toDouble() > capacity);
        const QString stopped = knee[QStringLiteral("stopped_because")].toString();
        QVERIFY2(stopped == QLatin1String("rate_not_followed") || stopped == QLatin1String("p99_over_bound"),
                 qPrintable(stopped));

        // The terminal: a header, one row per step, the capacity line, the report's path.
        const QStringList lines = finished.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), steps.size() + 3);
        QVERIFY2(lines.first().contains(QLatin1String("offered/s")), qPrintable(lines.first()));
        QVERIFY2(lines.at(lines.size() - 2).startsWith(QStringLiteral("capacity: %1 req/s").arg(capacity)),
                 qPrintable(finished.out));
        QCOMPARE(lines.last(),
                 QStringLiteral("report: ") + QDir(out).absoluteFilePath(QStringLiteral("knee.html")));
    }

    void stopsAtMaxRateAndPrintsJson()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("knee"));
        const Finished finished =
            run(QStringList{writeJson(dir, QStringLiteral("limited.json"), limitedScenario(2)),
                            QStringLiteral("--start-rate"), QStringLiteral("50"),
                            QStringLiteral("--step-rate"), QStringLiteral("50"), QStringLiteral("--max-rate"),
                            QStringLiteral("100"), QStringLiteral("--json")} +
                searchFlags(out));
        QVERIFY2(finished.exitCode == 0, qPrintable(finished.err + finished.out));
        QJsonParseError error{};
        const QJsonObject printed = QJsonDocument::fromJson(finished.out.toUtf8(), &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(finished.out));
        QCOMPARE(printed[QStringLiteral("stopped_because")].toString(), QStringLiteral("max_rate_sustained"));
        QCOMPARE(printed[QStringLiteral("capacity_rps")].toDouble(), 100.0);
        QCOMPARE(printed[QStringLiteral("steps")].toArray().size(), 2);
        QCOMPARE(printed[QStringLiteral("flags")].toObject()[QStringLiteral("step_rate")].toDouble(), 50.0);
        QCOMPARE(readJsonObject(QDir(out).filePath(QStringLiteral("knee.json"))), printed);
    }

    void sweepsConcurrencyAndFitsTheLaw()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("sweep"));
        const Finished finished =
            run({writeJson(dir, QStringLiteral("limited.json"), limitedScenario(2)),
                 QStringLiteral("--concurrency-sweep"), QStringLiteral("-c"), QStringLiteral("8"),
                 QStringLiteral("--step-s"), QStringLiteral("1"), QStringLiteral("--warmup-s"),
                 QStringLiteral("0.3"), QStringLiteral("--out"), out, QStringLiteral("--data-dir"),
                 m_data.path()});
        QVERIFY2(finished.exitCode == 0, qPrintable(finished.err + finished.out));
        for (const char *file :
             {"knee.json", "knee.html", "charts/sweep-throughput.svg", "charts/sweep-latency.svg",
              "charts/sweep-throughput.png", "charts/sweep-latency.png"})
            QVERIFY2(QFile::exists(QDir(out).filePath(QLatin1String(file))), file);
        const QJsonObject knee = readJsonObject(QDir(out).filePath(QStringLiteral("knee.json")));
        QCOMPARE(knee[QStringLiteral("mode")].toString(), QStringLiteral("concurrency_sweep"));
        QVERIFY(knee[QStringLiteral("usl")].isObject());
        const QJsonArray steps = knee[QStringLiteral("steps")].toArray();
        QCOMPARE(steps.size(), 4);
        int expected = 1;
        for (const QJsonValue &value : steps) {
            const QJsonObject step = value.toObject();
            QCOMPARE(step[QStringLiteral("concurrency")].toInt(), expected);
            expected *= 2;
            // Two permits held at least 10 ms each: no step can answer more than 200 req/s.
            const double achieved = step[QStringLiteral("achieved_rps")].toDouble();
            QVERIFY2(achieved > 0 && achieved <= 210, qPrintable(QString::number(achieved)));
        }
        QVERIFY2(finished.out.contains(QLatin1String("clients")) &&
                     finished.out.contains(QLatin1String("USL fit: ")),
                 qPrintable(finished.out));
    }

    void aStartRateOverCapacityExits1()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("knee"));
        const Finished finished =
            run(QStringList{writeJson(dir, QStringLiteral("limited.json"), limitedScenario(2)),
                            QStringLiteral("--start-rate"), QStringLiteral("1000"),
                            QStringLiteral("--max-rate"), QStringLiteral("2000")} +
                searchFlags(out));
        QVERIFY2(finished.exitCode == 1, qPrintable(finished.err + finished.out));
        QVERIFY2(finished.out.contains(
                     QLatin1String("capacity: none found (not even --start-rate 1000 req/s was sustained)")),
                 qPrintable(finished.out));
        const QJsonObject knee = readJsonObject(QDir(out).filePath(QStringLiteral("knee.json")));
        QVERIFY(knee[QStringLiteral("capacity_rps")].isNull());
        QCOMPARE(knee[QStringLiteral("steps")].toArray().size(), 1);
        QCOMPARE(knee[QStringLiteral("stopped_because")].toString(), QStringLiteral("rate_not_followed"));
    }

    void nothingListeningExits3()
    {
        quint16 port = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("knee"));
        const QString url = QStringLiteral("http://127.0.0.1:%1/hello").arg(port);
        const Finished finished =
            run({url, QStringLiteral("--step-s"), QStringLiteral("0.5"), QStringLiteral("--warmup-s"),
                 QStringLiteral("0.1"), QStringLiteral("--out"), out});
        QVERIFY2(finished.exitCode == 3, qPrintable(finished.err + finished.out));
        QVERIFY2(finished.err.contains(QStringLiteral("no response from http://127.0.0.1:%1").arg(port)),
                 qPrintable(finished.err));
        QVERIFY(!QFile::exists(QDir(out).filePath(QStringLiteral("knee.json"))));
    }

    void badInputExits2WithOneLine()
    {
        QTemporaryDir dir;
        Finished finished = run({dir.filePath(QStringLiteral("missing.json"))});
        QCOMPARE(finished.exitCode, 2);
        // One line of ours (Qt may add its own notes about the environment before it).
        const QStringList ours =
            finished.err.split(QLatin1Char('\n')).filter(QStringLiteral("perflab knee:"));
        QCOMPARE(ours.size(), 1);
        QVERIFY2(ours.first().contains(QLatin1String("missing.json")), qPrintable(finished.err));

        finished =
            run({QStringLiteral("http://127.0.0.1:1/"), QStringLiteral("--p99-ms"), QStringLiteral("soon")});
        QCOMPARE(finished.exitCode, 2);
        QVERIFY2(
            finished.err.trimmed().endsWith(QStringLiteral(
                "\nperflab knee: --p99-ms expects a latency bound in ms > 0 (e.g. 100), got 'soon'")) ||
                finished.err.trimmed() ==
                    QStringLiteral(
                        "perflab knee: --p99-ms expects a latency bound in ms > 0 (e.g. 100), got 'soon'"),
            qPrintable(finished.err));

        QJsonObject typo = limitedScenario(2);
        typo.insert(
            QStringLiteral("settings"),
            QJsonObject{{QStringLiteral("concurrency"), QJsonObject{{QStringLiteral("max_in_flite"), 2}}}});
        finished = run({writeJson(dir, QStringLiteral("typo.json"), typo)});
        QCOMPARE(finished.exitCode, 2);
        QVERIFY2(finished.err.contains(QLatin1String("typo.json")) &&
                     finished.err.contains(QLatin1String("max_in_flite")),
                 qPrintable(finished.err));

        QJsonObject elsewhere = limitedScenario(2);
        elsewhere.insert(QStringLiteral("target"), QStringLiteral("http://127.0.0.1:1"));
        finished = run({writeJson(dir, QStringLiteral("elsewhere.json"), elsewhere)});
        QCOMPARE(finished.exitCode, 2);
        QVERIFY2(finished.err.contains(QLatin1String("elsewhere.json: settings:")), qPrintable(finished.err));
    }
};

QTEST_GUILESS_MAIN(TestKneeCommand)
#include "test_knee_command.moc"

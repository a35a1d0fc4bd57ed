// `perflab compare` on real runs: the built-in caching scenario run twice as it is and once
// edited so that its cache stays off in the "cache on" phase. The gate catches the edited run
// (exit 1, the route and the figure named: a cache hit is 3-10 times cheaper than a read, so
// +100 % on p50 is caught even on a loaded machine); the two plain runs pass a loose gate; a folder
// that is not a run and a bad --max-regression are exit 2 naming them. The runs are short
// (--scale 0.2: 4 s phases) and share one data folder so the dataset is made once.
// `--out DIR` writes the comparison folder: comparison.json is the --json document,
// comparison.html has the delta table (a row per phase and route, coloured), every chart with
// a line and a legend entry per run, and the gate's verdict; the PNGs and the PDF are there; a
// folder that cannot be written is exit 3 and leaves what was there untouched.
#include "PerflabProcess.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

namespace {

// The gate's verdict lines, for a failure message.
QString regressionLines(const QString &out)
{
    QStringList lines;
    for (const QString &line : out.split(QLatin1Char('\n'))) {
        if (line.startsWith(QLatin1String("REGRESSION")) || line.startsWith(QLatin1String("no regression")))
            lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

using Result = perflab::test::ProcessResult;

Result runBinary(const QStringList &args, int timeoutMs = 240000)
{
    return perflab::test::runPerflab(args, timeoutMs);
}

} // namespace

class TestCompareCommand : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_plainA, m_plainC, m_cacheOff;

    // The built-in caching scenario with a dataset of its users' range (10,000) instead of the
    // default million, and, when `cacheStaysOff`, its second phase edited to keep the cache off.
    QString scenarioFile(const QString &name, bool cacheStaysOff)
    {
        QFile builtin(QStringLiteral(PERFLAB_SCENARIOS_DIR "/caching.json"));
        if (!builtin.open(QIODevice::ReadOnly))
            qFatal("cannot read the caching scenario");
        QJsonObject scenario = QJsonDocument::fromJson(builtin.readAll()).object();
        QJsonObject settings = scenario.value(QStringLiteral("settings")).toObject();
        settings.insert(QStringLiteral("database"), QJsonObject{{QStringLiteral("dataset_users"), 10000},
                                                                {QStringLiteral("dataset_orders"), 20000}});
        scenario.insert(QStringLiteral("settings"), settings);
        if (cacheStaysOff) {
            QJsonArray phases = scenario.value(QStringLiteral("phases")).toArray();
            QJsonObject second = phases.at(1).toObject();
            second.insert(
                QStringLiteral("settings"),
                QJsonObject{{QStringLiteral("cache"), QJsonObject{{QStringLiteral("enabled"), false}}}});
            phases.replace(1, second);
            scenario.insert(QStringLiteral("phases"), phases);
            scenario.remove(QStringLiteral("expect")); // its claims are about a cache that is on
        }
        const QString path = m_dir.filePath(name + QStringLiteral(".json"));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        file.write(QJsonDocument(scenario).toJson());
        return path;
    }

    QString run(const QString &name, bool cacheStaysOff)
    {
        const QString out = m_dir.filePath(name);
        const Result result =
            runBinary({QStringLiteral("run"), scenarioFile(name, cacheStaysOff), QStringLiteral("--scale"),
                       QStringLiteral("0.2"), QStringLiteral("--out"), out, QStringLiteral("--data-dir"),
                       m_dir.filePath(QStringLiteral("data"))});
        if (result.exitCode != 0)
            qWarning("perflab run %s exited %d: %s", qPrintable(name), result.exitCode,
                     qPrintable(result.err.right(2000)));
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_plainA = run(QStringLiteral("plain-a"), false);
        m_cacheOff = run(QStringLiteral("cache-off"), true);
        m_plainC = run(QStringLiteral("plain-c"), false);
        for (const QString &folder : {m_plainA, m_cacheOff, m_plainC})
            QVERIFY2(QFile::exists(folder + QStringLiteral("/run.json")), qPrintable(folder));
    }

    void theGateCatchesTheCacheThatStayedOff()
    {
        const Result result = runBinary({QStringLiteral("compare"), m_plainA, m_cacheOff,
                                         QStringLiteral("--max-regression"), QStringLiteral("p50=100%")});
        QVERIFY2(result.exitCode == 1, qPrintable(regressionLines(result.out)));
        QVERIFY2(result.out.contains(
                     QStringLiteral("REGRESSION phase 'cache on', GET /users/{zipf:1..10000}: p50 ")),
                 qPrintable(regressionLines(result.out)));

        const Result json =
            runBinary({QStringLiteral("compare"), m_plainA, m_cacheOff, QStringLiteral("--max-regression"),
                       QStringLiteral("p50=100%"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 1);
        const QJsonObject document = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QCOMPARE(document.value(QStringLiteral("passed")).toBool(true), false);
        bool getFlagged = false;
        for (const QJsonValue &r : document.value(QStringLiteral("regressions")).toArray()) {
            const QJsonObject o = r.toObject();
            if (o.value(QStringLiteral("phase")).toString() == QLatin1String("cache on") &&
                o.value(QStringLiteral("route")).toString() == QLatin1String("GET /users/{zipf:1..10000}")) {
                getFlagged = true;
                QVERIFY(o.value(QStringLiteral("b")).toDouble() >
                        2 * o.value(QStringLiteral("a")).toDouble());
            }
        }
        QVERIFY(getFlagged);
        // The phase whose settings did not change moved far less than the one that lost its
        // cache (compared as changes, not against a fixed bound: both runs share the machine's
        // noise, which on a loaded 2-core machine moves a sub-millisecond p50 by up to 2x).
        double cacheOn = 0, cacheOff = 0;
        for (const QJsonValue &r : document.value(QStringLiteral("rows")).toArray()) {
            const QJsonObject o = r.toObject();
            if (o.value(QStringLiteral("route")).toString() != QLatin1String("GET /users/{zipf:1..10000}"))
                continue;
            const double change =
                o.value(QStringLiteral("change_percent")).toObject().value(QStringLiteral("p50")).toDouble();
            (o.value(QStringLiteral("phase")).toString() == QLatin1String("cache on") ? cacheOn : cacheOff) =
                change;
        }
        QVERIFY2(cacheOn > 2 * std::max(cacheOff, 0.0) + 100,
                 qPrintable(
                     QStringLiteral("p50 change: cache on %1 %, cache off %2 %").arg(cacheOn).arg(cacheOff)));
    }

    void twoPlainRunsPassALooseGate()
    {
        const Result result =
            runBinary({QStringLiteral("compare"), m_plainA, m_plainC, QStringLiteral("--max-regression"),
                       QStringLiteral("p50=500%,rps=50%,error_rate=1pp")});
        QVERIFY2(result.exitCode == 0, qPrintable(regressionLines(result.out)));
        QVERIFY(result.out.contains(QStringLiteral("no regression beyond --max-regression")));
        QVERIFY(result.out.contains(QStringLiteral("phase 'cache on', GET /users/{zipf:1..10000}")));
    }

    void outWritesTheComparisonFolder()
    {
        const QString out = m_dir.filePath(QStringLiteral("comparison"));
        const QStringList args{QStringLiteral("compare"), m_plainA, m_cacheOff,
                               QStringLiteral("--max-regression"), QStringLiteral("p50=100%")};
        const Result result = runBinary(args + QStringList{QStringLiteral("--out"), out});
        QVERIFY2(result.exitCode == 1, qPrintable(result.err)); // the gate's verdict, the folder written
        QVERIFY2(result.out.contains(QStringLiteral("comparison written to ") + out),
                 qPrintable(result.out.right(300)));

        // comparison.json is what --json prints.
        const Result json = runBinary(args + QStringList{QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 1);
        const QJsonObject printed = QJsonDocument::fromJson(json.out.toUtf8()).object();
        QFile jsonFile(out + QStringLiteral("/comparison.json"));
        QVERIFY(jsonFile.open(QIODevice::ReadOnly));
        const QJsonObject saved = QJsonDocument::fromJson(jsonFile.readAll()).object();
        QCOMPARE(saved, printed);
        const QJsonArray rows = saved.value(QStringLiteral("rows")).toArray();
        QVERIFY(rows.size() >= 4); // two phases, each an "all" row and its routes

        QStringList files;
        for (QDirIterator it(out, QDir::Files, QDirIterator::Subdirectories); it.hasNext();)
            files << QDir(out).relativeFilePath(it.next());
        files.sort();
        QStringList expected{QStringLiteral("comparison.html"), QStringLiteral("comparison.json"),
                             QStringLiteral("comparison.pdf")};
        for (const char *chart : {"p99", "spectrum-cache-off", "spectrum-cache-on", "throughput"}) {
            expected << QStringLiteral("charts/%1.png").arg(QLatin1String(chart))
                     << QStringLiteral("charts/%1.svg").arg(QLatin1String(chart));
        }
        expected.sort();
        QCOMPARE(files, expected);
        QFile pdf(out + QStringLiteral("/comparison.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-" && pdf.size() > 20000);
        QFile png(out + QStringLiteral("/charts/spectrum-cache-on.png"));
        QVERIFY(png.open(QIODevice::ReadOnly));
        QVERIFY(png.read(8) == QByteArray("\x89PNG\r\n\x1a\n", 8));

        // Every chart: a drawn line and a legend entry for each run.
        for (const char *chart : {"p99", "spectrum-cache-off", "spectrum-cache-on", "throughput"}) {
            QFile svg(out + QStringLiteral("/charts/%1.svg").arg(QLatin1String(chart)));
            QVERIFY(svg.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(svg.readAll());
            const QString lines =
                text.section(QStringLiteral("<g class=\"lines\""), 1).section(QStringLiteral("</g>"), 0, 0);
            QCOMPARE(lines.count(QStringLiteral("<path ")), 2);
            const QString legend =
                text.section(QStringLiteral("<g class=\"legend\""), 1).section(QStringLiteral("</g>"), 0, 0);
            QCOMPARE(legend.count(QStringLiteral("<text ")), 2);
            QVERIFY2(QRegularExpression(QStringLiteral(">A( [^<]*)?</text>")).match(legend).hasMatch(),
                     chart);
            QVERIFY2(QRegularExpression(QStringLiteral(">B( [^<]*)?</text>")).match(legend).hasMatch(),
                     chart);
        }

        QFile htmlFile(out + QStringLiteral("/comparison.html"));
        QVERIFY(htmlFile.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(htmlFile.readAll());
        // Self-contained: nothing is fetched (the SVGs' xmlns is a name, not a link).
        QVERIFY(!html.contains(QStringLiteral("<script")) && !html.contains(QStringLiteral(" src=")) &&
                !html.contains(QStringLiteral(" href=")));
        QCOMPARE(html.count(QStringLiteral("<svg ")), 4);
        // The runs named, with when they started.
        QVERIFY(html.contains(QStringLiteral("<code>%1</code>").arg(m_plainA)) &&
                html.contains(QStringLiteral("<code>%1</code>").arg(m_cacheOff)));
        QCOMPARE(html.count(QStringLiteral("<tr><th>started</th>")), 2);
        // The gate's verdict and its regression.
        QVERIFY(html.contains(QStringLiteral("<span class=\"badge fail\">FAIL</span>")));
        QVERIFY(html.contains(QStringLiteral("<code>--max-regression p50=100%</code>")));
        QVERIFY(html.contains(
            QStringLiteral("<li>REGRESSION phase 'cache on', GET /users/{zipf:1..10000}: p50 ")));
        // The delta table: a row per row of comparison.json, in its order, the one that lost its
        // cache red on p50.
        const QString table = html.section(QStringLiteral("<table class=\"figures delta\">"), 1)
                                  .section(QStringLiteral("</table>"), 0, 0);
        const QString body = table.section(QStringLiteral("<tbody>"), 1);
        QStringList tableRows = body.split(QStringLiteral("</tr>"), Qt::SkipEmptyParts);
        tableRows.removeIf([](const QString &row) { return !row.contains(QStringLiteral("<td")); });
        QCOMPARE(tableRows.size(), rows.size());
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QJsonObject row = rows.at(i).toObject();
            const QString cells = QStringLiteral("<td>%1</td><td>%2</td>")
                                      .arg(row.value(QStringLiteral("phase")).toString().toHtmlEscaped(),
                                           row.value(QStringLiteral("route")).toString().toHtmlEscaped());
            QVERIFY2(tableRows[i].contains(cells), qPrintable(tableRows[i]));
            if (row.value(QStringLiteral("phase")).toString() == QLatin1String("cache on") &&
                row.value(QStringLiteral("route")).toString() ==
                    QLatin1String("GET /users/{zipf:1..10000}")) {
                // req/s, then p50: the second figure cell.
                const QStringList tds = tableRows[i].split(QStringLiteral("<td"));
                QVERIFY2(tds.size() > 4 && tds[4].startsWith(QStringLiteral(" class=\"worse\">")),
                         qPrintable(tableRows[i]));
            }
        }
    }

    void outThatCannotBeWrittenIsExitThree()
    {
        // Under a file: no folder can be made there.
        const QString underFile = m_plainA + QStringLiteral("/run.json/comparison");
        const Result blocked =
            runBinary({QStringLiteral("compare"), m_plainA, m_plainC, QStringLiteral("--out"), underFile});
        QCOMPARE(blocked.exitCode, 3);
        QVERIFY2(blocked.err.contains(QStringLiteral("cannot")) &&
                     blocked.err.contains(m_plainA + QStringLiteral("/run.json")),
                 qPrintable(blocked.err));
        // A run folder is not overwritten by a comparison.
        const QStringList before = QDir(m_plainA).entryList(QDir::AllEntries | QDir::NoDotAndDotDot);
        const Result refused =
            runBinary({QStringLiteral("compare"), m_plainA, m_plainC, QStringLiteral("--out"), m_plainA});
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains(QStringLiteral("holds other files")), qPrintable(refused.err));
        QCOMPARE(QDir(m_plainA).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), before);
        // No staging folder left behind.
        QVERIFY(QDir(m_dir.path())
                    .entryList({QStringLiteral(".*partial*")}, QDir::AllEntries | QDir::Hidden)
                    .isEmpty());
        // An earlier comparison is replaced whole.
        const QString again = m_dir.filePath(QStringLiteral("again"));
        QCOMPARE(runBinary({QStringLiteral("compare"), m_plainA, m_plainC, QStringLiteral("--out"), again})
                     .exitCode,
                 0);
        QCOMPARE(runBinary({QStringLiteral("compare"), m_plainA, m_plainC, QStringLiteral("--out"), again})
                     .exitCode,
                 0);
        QVERIFY(QFile::exists(again + QStringLiteral("/comparison.pdf")));
        const Result noValue =
            runBinary({QStringLiteral("compare"), m_plainA, m_plainC, QStringLiteral("--out")});
        QCOMPARE(noValue.exitCode, 2);
    }

    void badInputIsExitTwoNamingIt()
    {
        const Result missing =
            runBinary({QStringLiteral("compare"), m_plainA, m_dir.filePath(QStringLiteral("nothing-here"))});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(m_dir.filePath(QStringLiteral("nothing-here")) +
                                      QStringLiteral(": no such folder")),
                 qPrintable(missing.err));
        const Result badSpec = runBinary({QStringLiteral("compare"), m_plainA, m_plainC,
                                          QStringLiteral("--max-regression"), QStringLiteral("p99=fast")});
        QCOMPARE(badSpec.exitCode, 2);
        QVERIFY2(badSpec.err.contains(QStringLiteral("'p99=fast': expected a number >= 0 before %")),
                 qPrintable(badSpec.err));
        const Result oneFolder = runBinary({QStringLiteral("compare"), m_plainA});
        QCOMPARE(oneFolder.exitCode, 2);
        QVERIFY(oneFolder.err.contains(QStringLiteral("expected two run folders")));
    }
};

QTEST_GUILESS_MAIN(TestCompareCommand)
#include "test_compare_command.moc"

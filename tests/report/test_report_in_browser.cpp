// report.html as a real browser shows it: Debian's chromium, headless, loads the report of the
// synthetic run (SyntheticRun.h) inside a small harness page that, once the report has loaded,
// measures every chart in the live DOM: its drawn lines (paths of non-zero length), legend
// entries, event markers and its laid-out width (inside its border). Each chart must have every line and
// marker its ChartSpec has, and the browser must log no console message. The console check is proven on a
// page that does log an error. comparison.html (a comparison of two saved synthetic runs, written as `perflab
// compare --out` writes it) is measured the same way, and each chart's legend must name both runs.
#include "SyntheticRun.h"

#include "engine/compare/ComparisonCharts.h"
#include "engine/compare/ComparisonFolder.h"
#include "engine/report/ReportCharts.h"
#include "engine/report/ReportWriter.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace perflab;

namespace {

struct BrowserResult
{
    QString dom;     // the DOM after load, as chromium dumps it
    QString console; // the console messages chromium logged
};

BrowserResult openInChromium(const QString &page)
{
    const QString chromium = QStandardPaths::findExecutable(QStringLiteral("chromium"));
    if (chromium.isEmpty())
        qFatal("chromium is not installed: packaging/install-deps.sh installs it (Debian package chromium)");
    QProcess process;
    // --no-sandbox: the tests may run as root, where chromium's sandbox refuses to start.
    // --allow-file-access-from-files: the harness reads the report's DOM in its iframe.
    process.start(chromium,
                  {QStringLiteral("--headless"), QStringLiteral("--no-sandbox"),
                   QStringLiteral("--disable-gpu"), QStringLiteral("--allow-file-access-from-files"),
                   QStringLiteral("--enable-logging=stderr"), QStringLiteral("--v=0"),
                   QStringLiteral("--virtual-time-budget=5000"), QStringLiteral("--dump-dom"),
                   QUrl::fromLocalFile(page).toString()});
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
    }
    BrowserResult result;
    result.dom = QString::fromUtf8(process.readAllStandardOutput());
    const QStringList lines = QString::fromUtf8(process.readAllStandardError()).split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (line.contains(QLatin1String(":CONSOLE")))
            result.console += line + QLatin1Char('\n');
    }
    return result;
}

QString writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(content);
    return path;
}

// The harness: loads `report` in an iframe and writes one line per chart into <pre id=result>;
// `legendText`: with the legend's labels too.
QByteArray harness(const QString &report, bool legendText = false)
{
    return "<!DOCTYPE html><html><body><pre id=\"result\">pending</pre><script>\n"
           "function measure() {\n"
           "  const doc = document.getElementById('report').contentDocument;\n"
           "  const out = [];\n"
           "  for (const svg of doc.querySelectorAll('svg[id^=chart-]')) {\n"
           "    const drawn = [...svg.querySelectorAll('g.lines path')].filter(p => p.getTotalLength() > 0).length;\n"
           "    const legend = svg.querySelectorAll('g.legend text').length;\n"
           "    const events = svg.querySelectorAll('g.event').length;\n"
           "    const width = svg.clientWidth;\n"
           "    const labels = [...svg.querySelectorAll('g.legend text')].map(t => t.textContent).join('/');\n"
           "    out.push(svg.id + ' lines=' + drawn + ' legend=' + legend + ' events=' + events + ' width=' + width" +
           QByteArray(legendText ? " + ' labels=' + labels" : "") +
           ");\n"
           "  }\n"
           "  document.getElementById('result').textContent = out.join(' | ');\n"
           "}\n"
           "</script><iframe id=\"report\" width=\"1200\" height=\"900\" src=\"" +
           QUrl::fromLocalFile(report).toEncoded() + "\" onload=\"measure()\"></iframe></body></html>\n";
}

} // namespace

class TestReportInBrowser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void consoleMessagesAreSeen()
    {
        QTemporaryDir dir;
        const QString page =
            writeFile(dir.filePath(QStringLiteral("noisy.html")),
                      "<html><body><p id=\"p\">before</p><script>console.error('deliberate');"
                      "document.getElementById('p').textContent = 'after';</script></body></html>");
        const BrowserResult result = openInChromium(page);
        QVERIFY2(result.dom.contains(QLatin1String("<p id=\"p\">after</p>")),
                 qPrintable(result.dom.left(500)));
        QVERIFY2(result.console.contains(QLatin1String("deliberate")), qPrintable(result.console));
    }

    void everyChartHasItsLinesAndMarkers()
    {
        QTemporaryDir dir;
        const report::RunReport run = test::syntheticRun();
        QVERIFY(!report::writeReportFolder(run, dir.path()));
        const QString page = writeFile(dir.filePath(QStringLiteral("harness.html")),
                                       harness(dir.filePath(QStringLiteral("report.html"))));
        const BrowserResult result = openInChromium(page);
        QVERIFY2(result.console.isEmpty(), qPrintable(result.console));
        const QRegularExpressionMatch match =
            QRegularExpression(QStringLiteral("<pre id=\"result\">([^<]*)</pre>")).match(result.dom);
        QVERIFY2(match.hasMatch(), qPrintable(result.dom.left(800)));
        const QString measured = match.captured(1);
        QVERIFY2(measured != QLatin1String("pending") && !measured.isEmpty(), qPrintable(measured));

        const std::vector<report::NamedChart> charts = report::reportCharts(run);
        QVERIFY(charts.size() >= 2);
        QStringList expected;
        for (const report::NamedChart &chart : charts) {
            const auto &spec = chart.spec;
            QVERIFY2(!spec.markers.empty(), qPrintable(spec.id)); // the synthetic run has events
            expected << QStringLiteral("chart-%1 lines=%2 legend=%3 events=%4 width=%5")
                            .arg(spec.id)
                            .arg(spec.lines.size())
                            .arg(spec.lines.size() + 1) // + "setting change"
                            .arg(spec.markers.size())
                            .arg(spec.width);
        }
        QCOMPARE(measured, expected.join(QStringLiteral(" | ")));
    }

    void comparisonHtmlHasEveryChartWithBothRuns()
    {
        QTemporaryDir dir;
        const report::RunReport runA = test::syntheticRun();
        report::RunReport runB = test::syntheticRun();
        // B slower in its tail and with a higher p99 over time: lines that differ.
        runB.startedMs += 3600 * 1000;
        runB.finishedMs += 3600 * 1000;
        for (report::PhaseReport &phase : runB.phases) {
            phase.startMs += 3600 * 1000;
            phase.endMs += 3600 * 1000;
            for (load::RouteStats &route : phase.stats.routes)
                route.corrected.record(40000, 20);
        }
        const qsizetype p99 = runB.client.columns.indexOf(QStringLiteral("latency_p99_ms"));
        for (metrics::Sample &sample : runB.client.samples) {
            sample.timestampMs += 3600 * 1000;
            sample.values[p99] *= 1.5;
        }
        QVERIFY(!report::writeReportFolder(runA, dir.filePath(QStringLiteral("a"))));
        QVERIFY(!report::writeReportFolder(runB, dir.filePath(QStringLiteral("b"))));
        auto a = compare::loadSavedRun(dir.filePath(QStringLiteral("a")));
        auto b = compare::loadSavedRun(dir.filePath(QStringLiteral("b")));
        QVERIFY(std::holds_alternative<compare::SavedRun>(a) && std::holds_alternative<compare::SavedRun>(b));
        const compare::Comparison comparison =
            compare::makeComparison(std::get<compare::SavedRun>(a), std::get<compare::SavedRun>(b),
                                    std::vector<compare::GateLimit>{{compare::GateMetric::P99, 10}});
        QVERIFY(!comparison.regressions.empty());
        const std::vector<report::NamedChart> charts = compare::comparisonCharts(comparison.a, comparison.b);
        QCOMPARE(charts.size(), std::size_t(5)); // three phases' spectra, throughput, p99
        const QString out = dir.filePath(QStringLiteral("comparison"));
        QVERIFY(!compare::writeComparisonFiles(comparison, charts, out));

        const QString page = writeFile(dir.filePath(QStringLiteral("harness.html")),
                                       harness(out + QStringLiteral("/comparison.html"), true));
        const BrowserResult result = openInChromium(page);
        QVERIFY2(result.console.isEmpty(), qPrintable(result.console));
        const QRegularExpressionMatch match =
            QRegularExpression(QStringLiteral("<pre id=\"result\">([^<]*)</pre>")).match(result.dom);
        QVERIFY2(match.hasMatch(), qPrintable(result.dom.left(800)));
        QStringList expected;
        for (const report::NamedChart &chart : charts) {
            const auto &spec = chart.spec;
            QCOMPARE(spec.lines.size(), std::size_t(2));
            QStringList labels;
            for (const report::ChartLine &line : spec.lines)
                labels << line.label.toHtmlEscaped();
            QVERIFY2(labels[0].startsWith(QLatin1Char('A')) && labels[1].startsWith(QLatin1Char('B')),
                     qPrintable(labels.join(u'/')));
            expected << QStringLiteral("chart-%1 lines=2 legend=2 events=0 width=%2 labels=%3")
                            .arg(spec.id)
                            .arg(spec.width)
                            .arg(labels.join(QLatin1Char('/')));
        }
        QCOMPARE(match.captured(1), expected.join(QStringLiteral(" | ")));
    }
};

QTEST_GUILESS_MAIN(TestReportInBrowser)
#include "test_report_in_browser.moc"

// TestReportRendering: the charts (charts/*.svg: well-formed, labelled, light on long runs)
// and report.html (sections, escaping, change against the previous phase, self-contained,
// what an external target leaves unknown) written for the synthetic run (SyntheticRun.h).
#include "ReportFiles.h"
#include "SyntheticRun.h"

#include "engine/report/ReportWriter.h"
#include "engine/report/SvgChart.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using namespace perflab;
using test::readAll;

class TestReportRendering : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void svgChartsAreWellFormed_data();
    void svgChartsAreWellFormed();
    void serverChartsNeedServerColumns();
    void longRunChartsStayLight();
    void svgSpikeIsClippedAndMarked();
    void externalTargetSaysWhatIsUnknown();
    void htmlHasSectionsAndEscapes();
    void htmlShowsChangeAgainstPreviousPhase_data();
    void htmlShowsChangeAgainstPreviousPhase();
    void htmlIsSelfContained();

private:
    QTemporaryDir m_dir;
    report::RunReport m_run;
    QString m_html;
};

void TestReportRendering::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_run = test::syntheticRun();
    const auto error = report::writeReportFolder(m_run, m_dir.filePath(u"out"_s));
    QVERIFY2(!error, qPrintable(error.value_or(QString())));
    m_html = QString::fromUtf8(readAll(m_dir.filePath(u"out/report.html"_s)));
}

void TestReportRendering::svgChartsAreWellFormed_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QStringList>("mustContain");
    QTest::newRow("latency") << u"latency.svg"_s
                             << QStringList{u"p50"_s, u"p99 uncorrected"_s, u"latency (ms)"_s};
    QTest::newRow("throughput") << u"throughput.svg"_s << QStringList{u"requests/s"_s, u"errors/s"_s};
    QTest::newRow("cache hit rate") << u"cache-hit-rate.svg"_s << QStringList{u"hit rate (%)"_s, u"100"_s};
    QTest::newRow("slow queries") << u"slow-queries.svg"_s << QStringList{u"slow queries/s"_s};
}

void TestReportRendering::svgChartsAreWellFormed()
{
    QFETCH(QString, file);
    QFETCH(QStringList, mustContain);
    QXmlStreamReader xml(readAll(m_dir.filePath(u"out/charts/"_s + file)));
    QString text;
    int paths = 0, events = 0;
    bool rootIsSvg = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.name() == u"svg"_s && xml.namespaceUri() == u"http://www.w3.org/2000/svg"_s)
                rootIsSvg = true;
            if (xml.name() == u"path"_s && xml.attributes().value(u"d"_s).startsWith(u'M'))
                ++paths;
            if (xml.name() == u"g"_s && xml.attributes().value(u"class"_s) == u"event"_s)
                ++events;
        }
        if (xml.isCharacters())
            text += xml.text() + u'\n';
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(rootIsSvg);
    QVERIFY(paths >= 1);
    QCOMPARE(events, 3);
    for (const report::PhaseReport &phase : m_run.phases)
        QVERIFY2(text.contains(phase.name), qPrintable(phase.name));
    for (const QString &needle : mustContain)
        QVERIFY2(text.contains(needle), qPrintable(needle));
    QVERIFY(text.contains(u"time since start (s)"_s));
    QVERIFY(text.contains(u"{\"cache\":{\"enabled\":true}}"_s)); // the event tooltip
}

void TestReportRendering::serverChartsNeedServerColumns()
{
    report::RunReport run = test::syntheticRun();
    run.server = {};
    QTemporaryDir dir;
    QVERIFY(!report::writeReportFolder(run, dir.path()));
    QVERIFY(QFileInfo::exists(dir.filePath(u"charts/latency.svg"_s)));
    QVERIFY(QFileInfo::exists(dir.filePath(u"charts/throughput.svg"_s)));
    QVERIFY(!QFileInfo::exists(dir.filePath(u"charts/cache-hit-rate.svg"_s)));
    QVERIFY(!QFileInfo::exists(dir.filePath(u"charts/slow-queries.svg"_s)));
    const QList<QByteArray> csv = readAll(dir.filePath(u"timeseries.csv"_s)).split('\n');
    QVERIFY(!csv.first().contains("server_"));
}

void TestReportRendering::longRunChartsStayLight()
{
    // One hour of 100 ms samples: every line is downsampled to at most 1500 points.
    report::RunReport run = test::syntheticRun();
    const metrics::Sample last = run.client.samples.back();
    for (int k = 0; k < 36'000; ++k) {
        metrics::Sample s = last;
        s.timestampMs = last.timestampMs + 100 * (k + 1);
        s.values[6] = (k == 20'000) ? 5000.0 : double(k % 50); // one spike in the p99 column
        run.client.samples.push_back(s);
    }
    run.finishedMs = run.client.samples.back().timestampMs;
    QTemporaryDir dir;
    QVERIFY(!report::writeReportFolder(run, dir.path()));
    QXmlStreamReader xml(readAll(dir.filePath(u"charts/latency.svg"_s)));
    int lines = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"path"_s &&
            xml.attributes().value(u"d"_s).startsWith(u'M') && xml.attributes().hasAttribute(u"stroke"_s)) {
            const QString d = xml.attributes().value(u"d"_s).toString();
            QVERIFY2(d.count(u'L') + d.count(u'M') <= 1500, qPrintable(QString::number(d.count(u'L'))));
            ++lines;
        }
    }
    QVERIFY(!xml.hasError());
    QCOMPARE(lines, 5);
    QVERIFY(QFileInfo(dir.filePath(u"charts/latency.svg"_s)).size() < 400 * 1024);
    // The spike survives the downsampling as a mark with its true value; the axis keeps to
    // the 0-49 ms the rest of the hour shows.
    const QString svg = QString::fromUtf8(readAll(dir.filePath(u"charts/latency.svg"_s)));
    QVERIFY(svg.contains(u"\u2191 5000 ms</text>"_s));
    QVERIFY(!svg.contains(u">5000</text>"_s));
}

void TestReportRendering::svgSpikeIsClippedAndMarked()
{
    report::ChartSpec spec;
    spec.id = u"latency"_s;
    spec.title = u"Latency"_s;
    spec.yLabel = u"latency (ms)"_s;
    spec.yUnit = u"ms"_s;
    report::ChartLine line{u"p50"_s, QString::fromLatin1(report::Palette::Blue), false, {}};
    for (int i = 0; i < 400; ++i)
        line.points.push_back({i * 0.1, i < 200 ? 0.3 : 0.15}); // the cache halves p50
    spec.lines.push_back(line);
    const QString calm = report::renderSvgChart(spec);
    QVERIFY(!calm.contains(u"class=\"spike\""_s));
    QVERIFY(calm.contains(u">0.3</text>"_s)); // the axis as before: up to the largest value
    QVERIFY(!calm.contains(u">0.4</text>"_s));

    spec.lines[0].points[5].y = 182; // one start-up spike
    const QString spiked = report::renderSvgChart(spec);
    // The y ticks stop at 1 ms (0.3 ms fills a third of the plot), the spike is marked.
    QVERIFY2(spiked.contains(u">1.0</text>"_s), qPrintable(spiked.left(3000)));
    QVERIFY(!spiked.contains(u">200</text>"_s));
    QCOMPARE(spiked.count(u"class=\"spike\""_s), 1);
    QVERIFY(spiked.contains(u"\u2191 182 ms</text>"_s));
    QVERIFY(spiked.contains(u"<title>p50 182 ms at 0.5 s"_s));

    // On a log axis the halving is a step of the same height wherever it happens, and the
    // ticks go 0.1, 0.2, 0.5, 1 (the spike still marked above them).
    spec.logY = true;
    const QString log = report::renderSvgChart(spec);
    for (const QString &tick : {u">0.1</text>"_s, u">0.2</text>"_s, u">0.5</text>"_s, u">1</text>"_s})
        QVERIFY2(log.contains(tick), qPrintable(tick));
    QVERIFY(log.contains(u"\u2191 182 ms</text>"_s));
}

void TestReportRendering::externalTargetSaysWhatIsUnknown()
{
    report::RunReport run = test::syntheticRun();
    run.server = {};
    for (report::PhaseReport &phase : run.phases) {
        phase.settings = {};
        for (load::RouteStats &route : phase.stats.routes)
            route.serverTiming.clear();
    }
    run.environment.serverThreads = 0;
    QTemporaryDir dir;
    QVERIFY(!report::writeReportFolder(run, dir.path()));
    const QString html = QString::fromUtf8(readAll(dir.filePath(u"report.html"_s)));
    QVERIFY(html.contains(u"No response carried a Server-Timing header"_s));
    QCOMPARE(html.count(u"The whole settings are not known (external target)."_s), 3);
    QVERIFY(html.contains(u"<tr><th>server threads</th><td>external target</td></tr>"_s));
    QVERIFY(!html.contains(u"within handler"_s));
    QCOMPARE(html.count(u"<svg "_s), 2);
}

void TestReportRendering::htmlHasSectionsAndEscapes()
{
    for (const char *id : {"summary", "claims", "thresholds", "trust", "charts", "phases", "routes",
                           "server-timing", "settings", "environment"})
        QVERIFY2(m_html.contains(u"<section id=\"%1\">"_s.arg(QLatin1String(id))), id);
    // The generator's verdict per phase, and in the summary.
    QVERIFY(m_html.contains(
        u"<tr class=\"pass\"><td>cache off</td><td>100.0 req/s</td><td>100.0 req/s (100.0 %)</td>"
        "<td>p50 0.08, p99 0.08, max 0.08 ms (bound 10.00 ms)</td>"_s));
    QVERIFY(m_html.contains(
        u"<tr class=\"fail\"><td>cache on</td><td>200.0 req/s</td><td>150.0 req/s (75.0 %)</td>"_s));
    QVERIFY(m_html.contains(
        u"generator-limited: sent 150.0 of the 200.0 req/s asked (75 %); send lag p99 25.00 ms &gt; "
        "bound 10.00 ms; client thread 0 was hardly ever idle (on a CPU 40 %, waiting for one 55 %)"_s));
    QVERIFY(m_html.contains(u"<td>none (closed loop)</td>"_s));
    QVERIFY(m_html.contains(u"was the limit in 1 of 3 phases (cache on)"_s));
    QVERIFY(m_html.contains(u"cache off"_s));
    QVERIFY(m_html.contains(u"cache on"_s));
    QVERIFY(!m_html.contains(u"<script"_s));
    QVERIFY(m_html.contains(u"Caching &lt;script&gt;alert(1)&lt;/script&gt;"_s));
    QVERIFY(m_html.contains(u"warm &lt;cache&gt; &amp; &quot;quoted&quot;"_s));
    QVERIFY(!m_html.contains(test::thirdPhaseName()));
    QVERIFY(m_html.contains(u"GET /users/{zipf:1..100}"_s));
    QVERIFY(m_html.contains(u"badge fail"_s)); // the failing threshold makes the run fail
    QVERIFY(m_html.contains(u"<tr class=\"fail\"><td>error_rate</td><td>cache on</td>"_s));
    QVERIFY(m_html.contains(u"<tr class=\"pass\"><td>p99_ms</td><td>whole run</td>"_s));
    QVERIFY(m_html.contains(u"Test CPU @ 3.00GHz"_s));
    // Claims come before the thresholds, each with its result and both figures.
    QVERIFY(m_html.indexOf(u"<section id=\"claims\">"_s) < m_html.indexOf(u"<section id=\"thresholds\">"_s));
    QVERIFY(m_html.contains(u"1 of 3 claims verified"_s));
    QVERIFY(m_html.contains(
        u"<tr class=\"claim pass\"><td>A cache hit is &lt;far&gt; cheaper</td>"
        "<td>p50_ms GET /users/{zipf:1..100}: cache on 3 ms / cache off 12 ms = 0.25 ≤ 0.5</td>"
        "<td>verified</td></tr>"_s));
    QVERIFY(m_html.contains(u"<tr class=\"claim fail\"><td>Every answer within a millisecond</td>"
                            "<td>p99_ms: cache off 30.1 ms, expected ≤ 1</td><td>not verified</td></tr>"_s));
    QVERIFY(m_html.contains(u"<tr class=\"claim skipped\"><td>Hits stay high</td>"_s));
    QVERIFY(
        m_html.contains(u"<tr class=\"changed\"><td>cache.enabled</td><td>true</td><td>false</td></tr>"_s));
    QVERIFY(m_html.contains(u"within handler"_s)); // db is a part of handler
    QCOMPARE(m_html.count(u"<svg "_s), 4);
    // The events table repeats the markers' tooltips for readers without a mouse.
    QVERIFY(m_html.contains(u"<tr><td>10.005</td><td>cache on</td><td>settings</td>"
                            "<td><code>{&quot;cache&quot;:{&quot;enabled&quot;:true}}</code></td></tr>"_s));
}

void TestReportRendering::htmlShowsChangeAgainstPreviousPhase_data()
{
    QTest::addColumn<QString>("cell");
    // req/s 100 -> 150 (higher is better), errors 10 -> 5 (lower is better), 5 -> 0; the
    // request count changes but is not judged.
    const QString title = u"\" title=\"against the previous phase\">"_s;
    QTest::newRow("req/s up") << u"<td>150<span class=\"chg better"_s + title + u"+50.0%</span>"_s;
    QTest::newRow("errors down") << u"<td>5<span class=\"chg better"_s + title + u"-50.0%</span>"_s;
    QTest::newRow("errors to zero") << u"<td>0<span class=\"chg better"_s + title + u"-100.0%</span>"_s;
    QTest::newRow("req/s down") << u"<td>100<span class=\"chg worse"_s + title + u"-33.3%</span>"_s;
    QTest::newRow("requests not judged")
        << u"<td>1500<span class=\"chg neutral"_s + title + u"+50.0%</span>"_s;
}

void TestReportRendering::htmlShowsChangeAgainstPreviousPhase()
{
    QFETCH(QString, cell);
    QVERIFY2(m_html.contains(cell), qPrintable(cell));
}

void TestReportRendering::htmlIsSelfContained()
{
    QVERIFY(!m_html.contains(u"src="_s));
    QVERIFY(!m_html.contains(u"<link"_s));
    QVERIFY(!m_html.contains(u"url(http"_s));
    QString withoutSvgNamespace = m_html;
    withoutSvgNamespace.remove(u"xmlns=\"http://www.w3.org/2000/svg\""_s);
    QVERIFY(!withoutSvgNamespace.contains(u"http://www."_s));
    QVERIFY(!withoutSvgNamespace.contains(u"https://"_s));
}

std::unique_ptr<QObject> createReportRenderingTests()
{
    return std::make_unique<TestReportRendering>();
}

#include "test_report_rendering.moc"

// The UI library's charts and report.pdf from the synthetic run of tests/report: each chart
// exported as PNG (right size, the series colour drawn) and SVG (well-formed XML, the series
// colour in it); the QtCharts model keeps gaps, phases and events; report.pdf is a PDF of
// some size; a spike above the y-scale rule's top is clipped and marked; writeRenderedCharts writes one PNG
// per chart and the PDF; every failure to write names the path.
#include "SyntheticRun.h"

#include "engine/report/ReportCharts.h"
#include "ui/charts/ChartBuilder.h"
#include "ui/charts/ReportChartView.h"
#include "ui/charts/SpikeOverlay.h"
#include "ui/report/RenderedCharts.h"
#include "ui/report/ReportPdfWriter.h"

#include <QCategoryAxis>
#include <QChartView>
#include <QFile>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImage>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QProcess>
#include <QScatterSeries>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>
#include <QXmlStreamReader>

#include <cmath>

using namespace perflab;
using namespace perflab::test;

namespace {

report::ChartSpec chartOf(const report::RunReport &run, const QString &name)
{
    const std::optional<report::ChartSpec> spec = ui::ReportChartView::reportChart(run, name);
    if (!spec)
        qFatal("no chart %s", qPrintable(name));
    return *spec;
}

// Pixels within a small distance of `colour` (antialiasing blends the lines' edges only).
int pixelsOfColour(const QImage &image, const QColor &colour)
{
    int count = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - colour.red()) + std::abs(c.green() - colour.green()) +
                    std::abs(c.blue() - colour.blue()) <
                24)
                ++count;
        }
    }
    return count;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestUiCharts : public QObject
{
    Q_OBJECT

    const report::RunReport m_run = syntheticRun();

    void chartRows()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("colour");
        QTest::newRow("latency") << QStringLiteral("latency") << QString::fromLatin1(report::Palette::Blue);
        QTest::newRow("throughput") << QStringLiteral("throughput")
                                    << QString::fromLatin1(report::Palette::Blue);
        QTest::newRow("cache-hit-rate")
            << QStringLiteral("cache-hit-rate") << QString::fromLatin1(report::Palette::Green);
        QTest::newRow("slow-queries")
            << QStringLiteral("slow-queries") << QString::fromLatin1(report::Palette::Purple);
    }

private Q_SLOTS:
    void savesPngOfTheExportSizeWithTheSeriesDrawn_data() { chartRows(); }
    void savesPngOfTheExportSizeWithTheSeriesDrawn()
    {
        QFETCH(QString, name);
        QFETCH(QString, colour);
        QTemporaryDir dir;
        const ui::ReportChartView view(chartOf(m_run, name));
        const QString path = dir.filePath(name + QStringLiteral(".png"));
        QString error;
        QVERIFY2(view.saveAs(path, &error), qPrintable(error));
        QImage image;
        QVERIFY(image.load(path));
        QCOMPARE(image.size(), QSize(1200, 500));
        // A 25 s line across most of 1200 px, 2 px wide: hundreds of pixels of its colour.
        QVERIFY2(pixelsOfColour(image, QColor(colour)) > 300,
                 qPrintable(QString::number(pixelsOfColour(image, QColor(colour)))));
        QVERIFY(pixelsOfColour(image, Qt::white) < 1200 * 500 * 95 / 100);
    }

    void savesWellFormedSvgWithTheSeriesColour_data() { chartRows(); }
    void savesWellFormedSvgWithTheSeriesColour()
    {
        QFETCH(QString, name);
        QFETCH(QString, colour);
        QTemporaryDir dir;
        const ui::ReportChartView view(chartOf(m_run, name));
        const QString path = dir.filePath(name + QStringLiteral(".SVG")); // the suffix in any case
        QString error;
        QVERIFY2(view.saveAs(path, &error), qPrintable(error));
        const QByteArray svg = readAll(path);
        QVERIFY(svg.contains("<svg"));
        QVERIFY2(svg.toLower().contains(colour.toLower().toLatin1()), "the series colour is not in the SVG");
        QXmlStreamReader xml(svg);
        QString root;
        while (!xml.atEnd()) {
            if (xml.readNext() == QXmlStreamReader::StartElement && root.isEmpty())
                root = xml.name().toString();
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(root, QStringLiteral("svg"));
    }

    void chartKeepsGapsPhasesAndEvents()
    {
        const std::unique_ptr<QChart> chart = ui::buildChart(chartOf(m_run, QStringLiteral("latency")));
        // Sample 150 had no responses: every latency line is cut there into two segments.
        int p50Segments = 0;
        int events = 0;
        for (QAbstractSeries *series : chart->series()) {
            if (series->name() == QLatin1String("p50"))
                ++p50Segments;
            if (auto *scatter = qobject_cast<QScatterSeries *>(series))
                events = int(scatter->count());
        }
        QCOMPARE(p50Segments, 2);
        QCOMPARE(events, 3); // one setting change per phase
        // One legend entry per line (p50, p90, p99, max, p99 uncorrected) and one for the events,
        // not one per segment. (Markers report their visibility once the chart is on screen.)
        ui::ReportChartView view(chartOf(m_run, QStringLiteral("latency")));
        view.resize(900, 400);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QStringList legend;
        for (QLegendMarker *marker : view.chartView()->chart()->legend()->markers()) {
            if (marker->isVisible())
                legend.append(marker->label());
        }
        QCOMPARE(legend, (QStringList{QStringLiteral("p50"), QStringLiteral("p90"), QStringLiteral("p99"),
                                      QStringLiteral("max"), QStringLiteral("p99 uncorrected"),
                                      QStringLiteral("setting change")}));
        QStringList phaseLabels;
        for (QAbstractAxis *axis : chart->axes(Qt::Horizontal)) {
            if (auto *category = qobject_cast<QCategoryAxis *>(axis))
                phaseLabels = category->categoriesLabels();
        }
        QVERIFY2(phaseLabels.contains(QStringLiteral("cache off")), qPrintable(phaseLabels.join(u'|')));
        QVERIFY(phaseLabels.contains(QStringLiteral("cache on")));
        // Axis labels are rich text: the name with its <, & and " escaped reads as itself.
        QVERIFY(phaseLabels.contains(thirdPhaseName().toHtmlEscaped()));
    }

    void spikeIsClippedAndMarked()
    {
        report::ChartSpec spec;
        spec.id = QStringLiteral("latency");
        spec.title = QStringLiteral("Latency");
        spec.yLabel = QStringLiteral("latency (ms)");
        spec.yUnit = QStringLiteral("ms");
        report::ChartLine line{QStringLiteral("p50"), QString::fromLatin1(report::Palette::Blue), false, {}};
        for (int i = 0; i < 400; ++i)
            line.points.push_back({i * 0.1, i < 200 ? 0.3 : 0.15});
        spec.lines.push_back(line);
        const auto yAxisOf = [](QChart &chart) {
            return qobject_cast<QValueAxis *>(chart.axes(Qt::Vertical).constFirst());
        };

        // No spike: the axis reaches the largest value, nothing is marked.
        std::unique_ptr<QChart> calm = ui::buildChart(spec);
        QCOMPARE(yAxisOf(*calm)->max(), 0.3);
        QVERIFY(calm->findChild<ui::SpikeOverlay *>()->marks().empty());

        spec.lines[0].points[5].y = 182;
        std::unique_ptr<QChart> spiked = ui::buildChart(spec);
        QCOMPARE(yAxisOf(*spiked)->max(), 1.0); // 0.3 ms fills a third of the plot
        const ui::SpikeOverlay *overlay = spiked->findChild<ui::SpikeOverlay *>();
        QVERIFY(overlay);
        QCOMPARE(overlay->labels(), QStringList{QStringLiteral("\u2191 182 ms")});
        // Drawn in the exported image: the mark's dark triangle sits on the plot's top edge
        // over the spike's time (0.5 s of 40).
        QGraphicsScene scene;
        scene.addItem(spiked.get());
        spiked->setGeometry(QRectF(0, 0, 1200, 500));
        spiked->layout()->activate();
        const QRectF plot = spiked->plotArea();
        QImage image(1200, 500, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        QPainter painter(&image);
        scene.render(&painter, QRectF(0, 0, 1200, 500), QRectF(0, 0, 1200, 500));
        painter.end();
        scene.removeItem(spiked.get());
        const int x = int(plot.left() + plot.width() * 0.5 / 39.9);
        int dark = 0;
        for (int y = int(plot.top()) + 2; y < int(plot.top()) + 9; ++y)
            dark += image.pixelColor(x, y).lightness() < 80 ? 1 : 0;
        QVERIFY2(dark >= 3, qPrintable(QString::number(dark)));
        QCOMPARE(overlay->tooltipAt(QPointF(x, plot.top() + 5)),
                 QStringLiteral("p50 182 ms at 0.5 s (above the axis)"));
    }

    void lineSegmentsBreakAtGaps()
    {
        report::ChartLine line;
        line.points = {{0, 1}, {1, 2}, {2, std::nan("")}, {3, std::nan("")}, {4, 5}, {5, std::nan("")}};
        const auto segments = ui::lineSegments(line, 1500);
        QCOMPARE(segments.size(), std::size_t(2));
        QCOMPARE(segments[0].size(), std::size_t(2));
        QCOMPARE(segments[1], std::vector<QPointF>{QPointF(4, 5)});
    }

    void writesAPdfOfSomeSize()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("report.pdf"));
        const std::optional<QString> error = ui::writeReportPdf(m_run, path);
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        const QByteArray pdf = readAll(path);
        QVERIFY(pdf.startsWith("%PDF-"));
        QVERIFY2(pdf.size() > 10 * 1024, qPrintable(QString::number(pdf.size())));
        QVERIFY(pdf.trimmed().endsWith("%%EOF"));
    }

    // The claims and generator trust sections as a reader sees them: the text pdftotext
    // (poppler-utils, in the package list) extracts from the page.
    void pdfStatesTheClaims()
    {
        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        if (pdftotext.isEmpty())
            QSKIP("pdftotext (poppler-utils) is not installed");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("report.pdf"));
        QVERIFY(!ui::writeReportPdf(m_run, path));
        QProcess process;
        process.start(pdftotext, {QStringLiteral("-l"), QStringLiteral("1"), path, QStringLiteral("-")});
        QVERIFY(process.waitForFinished(30000));
        // NFKC: the PDF's fonts set "fi" and "ff" as ligatures.
        const QString text = QString::fromUtf8(process.readAllStandardOutput())
                                 .normalized(QString::NormalizationForm_KC)
                                 .simplified();
        QVERIFY2(text.contains(QStringLiteral("1 of 3 claims verified")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Claims")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("VERIFIED: A cache hit is <far> cheaper")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("cache on 3 ms / cache off 12 ms = 0.25")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("NOT VERIFIED: Every answer within a millisecond")),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("NOT EVALUATED: Hits stay high")), qPrintable(text));
        // The generator's verdict on itself follows the thresholds, the limited phase with its reasons.
        QVERIFY2(text.contains(QStringLiteral("Generator trust")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("it was the limit in 1 of 3 phases (cache on)")),
                 qPrintable(text));
        QVERIFY2(
            text.contains(QStringLiteral("cache on: generator-limited: sent 150.0 of the 200.0 req/s asked")),
            qPrintable(text));
    }

    void writesOnePngPerChartAndThePdf()
    {
        QTemporaryDir dir;
        const std::optional<QString> error = ui::writeRenderedCharts(m_run, dir.path());
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        for (const char *file : {"charts/latency.png", "charts/throughput.png", "charts/cache-hit-rate.png",
                                 "charts/slow-queries.png", "report.pdf"})
            QVERIFY2(QFile::exists(dir.filePath(QLatin1String(file))), file);
    }

    void writesOnlyTheChartsTheRunHas()
    {
        report::RunReport clientOnly = m_run;
        clientOnly.server = {};
        QTemporaryDir dir;
        const std::optional<QString> error = ui::writeRenderedCharts(clientOnly, dir.path());
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("charts/latency.png"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("charts/throughput.png"))));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("charts/cache-hit-rate.png"))));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("charts/slow-queries.png"))));
    }

    // A run that ended before its first sample (cancelled at once): empty charts, still files.
    void writesTheFilesOfARunWithoutData()
    {
        report::RunReport empty;
        empty.scenarioName = QStringLiteral("empty");
        empty.startedMs = kStartMs;
        empty.finishedMs = kStartMs;
        QTemporaryDir dir;
        const std::optional<QString> error = ui::writeRenderedCharts(empty, dir.path());
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        QImage image;
        QVERIFY(image.load(dir.filePath(QStringLiteral("charts/latency.png"))));
        QCOMPARE(image.size(), QSize(1200, 500));
        QVERIFY(readAll(dir.filePath(QStringLiteral("report.pdf"))).startsWith("%PDF-"));
    }

    void failuresNameThePath_data()
    {
        QTest::addColumn<QString>("what");
        QTest::newRow("png") << QStringLiteral("png");
        QTest::newRow("svg") << QStringLiteral("svg");
        QTest::newRow("unknown suffix") << QStringLiteral("gif");
        QTest::newRow("pdf") << QStringLiteral("pdf");
        QTest::newRow("rendered charts") << QStringLiteral("folder");
    }
    void failuresNameThePath()
    {
        QFETCH(QString, what);
        QTemporaryDir dir;
        // A regular file where a folder is expected: nothing can be created under it.
        const QString blocker = dir.filePath(QStringLiteral("not-a-folder"));
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QString path = blocker + QStringLiteral("/chart.") + what;
        std::optional<QString> error;
        if (what == QLatin1String("pdf")) {
            error = ui::writeReportPdf(m_run, path);
        } else if (what == QLatin1String("folder")) {
            path = blocker + QStringLiteral("/charts"); // mkpath fails on the file
            error = ui::writeRenderedCharts(m_run, blocker);
        } else {
            const ui::ReportChartView view(chartOf(m_run, QStringLiteral("latency")));
            QString message;
            if (!view.saveAs(what == QLatin1String("gif") ? dir.filePath(QStringLiteral("chart.gif")) : path,
                             &message))
                error = message;
            if (what == QLatin1String("gif"))
                path = dir.filePath(QStringLiteral("chart.gif"));
        }
        QVERIFY(error);
        QVERIFY2(error->contains(path), qPrintable(*error));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("chart.gif"))));
    }
};

QTEST_MAIN(TestUiCharts)
#include "test_ui_charts.moc"

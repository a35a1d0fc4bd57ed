// The live charts panel and its buffers, fed with synthetic Samples of the lab's and the load
// generator's schemas: SeriesBuffer memory stays bounded over 10 hours and spikes survive
// downsampling; a window's points stay in the window; every chart shows the right values
// (rates per second, hit rate, gaps); the uncorrected toggle and client attach switch the
// latency source; the window selector limits the x range; markers are on every chart with a
// hover label; saveAs writes a loadable PNG and a valid SVG and names the path on failure.
// A spike is clipped and marked, the axis keeps to the steady level; legends are never
// elided at the window's size; the view choice shows fewer charts larger and leaves hidden
// ones undrawn; the latency chart shows one route's percentiles from load snapshots.
// A cluster's instances get a req/s and a hit rate line each plus their sum, with gaps where an
// instance did not answer, in place of the window's own lab's lines until clearInstances().
// The redraw of a full panel with 5 min of data is timed (printed, not asserted).
#include "engine/lab/HttpMetrics.h"
#include "engine/load/LoadMetrics.h"
#include "engine/load/LoadSnapshot.h"
#include "ui/live/SeriesBuffer.h"
#include "ui/panels/LiveChartsPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsTextItem>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QValueAxis>

#include <cmath>
#include <limits>
#include <map>

using namespace perflab;
using ui::LiveChartsPanel;
using ui::SeriesBuffer;
using Kind = LiveChartsPanel::ChartKind;

namespace {

constexpr qint64 kStartMs = 1'700'000'000'000;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

metrics::Sample sampleOf(const metrics::SampleSchema &schema, qint64 timestampMs,
                         const std::map<QString, double> &values, double intervalS = 0.1)
{
    metrics::Sample sample;
    sample.timestampMs = timestampMs;
    sample.intervalS = intervalS;
    sample.values = QList<double>(schema.size(), 0.0);
    for (const auto &[column, value] : values) {
        const qsizetype index = schema.indexOf(column);
        if (index < 0)
            qFatal("no column %s", qPrintable(column));
        sample.values[index] = value;
    }
    return sample;
}

// One busy server interval of 100 ms: 200 req/s, 10 5xx/s, 75 % hits, 20 slow queries/s...
std::map<QString, double> busyServer()
{
    return {
        {QStringLiteral("requests"), 20},          {QStringLiteral("errors"), 1},
        {QStringLiteral("latency_count"), 20},     {QStringLiteral("latency_p50_ms"), 5},
        {QStringLiteral("latency_p90_ms"), 8},     {QStringLiteral("latency_p99_ms"), 12},
        {QStringLiteral("latency_max_ms"), 20},    {QStringLiteral("cache_hits"), 3},
        {QStringLiteral("cache_misses"), 1},       {QStringLiteral("slow_queries"), 2},
        {QStringLiteral("in_flight"), 7},          {QStringLiteral("queue_depth"), 3},
        {QStringLiteral("pool_in_use"), 4},        {QStringLiteral("pool_waiters"), 1},
        {QStringLiteral("bytes_identity"), 10240}, {QStringLiteral("bytes_gzip"), 1024},
    };
}

std::map<QString, double> busyClient()
{
    return {
        {QStringLiteral("requests"), 30},
        {QStringLiteral("errors"), 3},
        {QStringLiteral("latency_count"), 30},
        {QStringLiteral("latency_p50_ms"), 50},
        {QStringLiteral("latency_p90_ms"), 80},
        {QStringLiteral("latency_p99_ms"), 120},
        {QStringLiteral("latency_max_ms"), 200},
        {QStringLiteral("latency_uncorrected_count"), 30},
        {QStringLiteral("latency_uncorrected_p50_ms"), 6},
        {QStringLiteral("latency_uncorrected_p90_ms"), 9},
        {QStringLiteral("latency_uncorrected_p99_ms"), 13},
        {QStringLiteral("latency_uncorrected_max_ms"), 21},
    };
}

// Every y of the line (gaps are not drawn), or a failure message.
bool allYEqual(const QList<QPointF> &points, double expected)
{
    if (points.isEmpty())
        return false;
    for (const QPointF &p : points) {
        if (std::abs(p.y() - expected) > 1e-9) {
            qWarning() << "point" << p << "expected y" << expected;
            return false;
        }
    }
    return true;
}

// The texts the chart's legend draws (elided ones end in "…"), and the names it should show.
QStringList legendTexts(ui::LiveChartWidget *chart)
{
    QStringList texts;
    QLegend *legend = chart->chart()->legend();
    for (QGraphicsItem *item : chart->chart()->scene()->items()) {
        if (item->type() == QGraphicsTextItem::Type && item->isVisible() && legend->isAncestorOf(item))
            texts.append(static_cast<QGraphicsTextItem *>(item)->toPlainText());
    }
    texts.sort();
    return texts;
}

QStringList legendNames(ui::LiveChartWidget *chart)
{
    QStringList names;
    for (QLegendMarker *marker : chart->chart()->legend()->markers()) {
        if (marker->isVisible())
            names.append(marker->label());
    }
    names.sort();
    return names;
}

// The texts of the spike marks drawn in the chart's scene.
QStringList drawnSpikeTexts(ui::LiveChartWidget *chart)
{
    QStringList texts;
    for (QGraphicsItem *item : chart->chart()->scene()->items()) {
        if (item->type() == QGraphicsSimpleTextItem::Type && item->isVisible()) {
            const QString text = static_cast<QGraphicsSimpleTextItem *>(item)->text();
            if (text.startsWith(QChar(0x2191)))
                texts.append(text);
        }
    }
    return texts;
}

using Figures = LiveChartsPanel::InstanceFigures;

Figures figuresOf(const char *instance, double requestsPerS, double hitRatePercent, bool answered = true)
{
    Figures figures;
    figures.instance = QString::fromLatin1(instance);
    figures.answered = answered;
    figures.requestsPerS = requestsPerS;
    figures.hitRatePercent = hitRatePercent;
    return figures;
}

// Ten seconds of a cluster, one scrape a second from kStartMs: instance 1 at 100 + t req/s
// and 50 % hits; instance 2 at 200 req/s and 80 %, silent at t = 4 and 5; instance 3 joins at
// t = 2 at 300 req/s, without cache lookups until t = 3, then 90 %.
void feedCluster(LiveChartsPanel &panel, int seconds = 10)
{
    for (int t = 0; t < seconds; ++t) {
        QList<Figures> figures{figuresOf("1", 100 + t, 50), figuresOf("2", 200, 80, t != 4 && t != 5)};
        if (t >= 2)
            figures.append(figuresOf("3", 300, t < 3 ? kNaN : 90));
        panel.addInstanceFigures(kStartMs + t * 1000, figures);
    }
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestLiveCharts : public QObject
{
    Q_OBJECT

    const metrics::SampleSchema m_serverSchema{lab::HttpMetrics::sampleSpecs()};
    const metrics::SampleSchema m_clientSchema{load::loadSamplerSpecs()};

    std::unique_ptr<LiveChartsPanel> shownPanel()
    {
        auto panel = std::make_unique<LiveChartsPanel>(m_serverSchema);
        panel->resize(1400, 900);
        panel->show();
        if (!QTest::qWaitForWindowExposed(panel.get()))
            qWarning("panel not exposed");
        return panel;
    }

    void feedServer(LiveChartsPanel &panel, int samples, qint64 startMs = kStartMs)
    {
        const std::map<QString, double> values = busyServer();
        for (int i = 0; i < samples; ++i)
            panel.addServerSample(sampleOf(m_serverSchema, startMs + i * 100, values));
    }

private Q_SLOTS:
    void bufferMemoryIsBoundedForHours();
    void bufferKeepsSpikesAndGaps();
    void windowPointsStayInTheWindow();
    void chartsShowTheSampledValues();
    void hitRateHasGapsWithoutLookups();
    void clientAttachAndUncorrectedToggleSwitchLatency();
    void windowSelectorLimitsTheXRange();
    void markersAreOnEveryChart();
    void saveAsWritesPngAndSvg();
    void saveAsNamesTheBadPath();
    void spikeIsClippedAndMarked();
    void legendsAreNotElidedAtTheWindowSize();
    void viewShowsFewerChartsLarger();
    void latencyOfOneRoute();
    void clusterInstancesHaveTheirOwnLines();
    void clearInstancesShowsTheLabAloneAgain();
    void newRunKeepsTheInstanceLines();
    void timeFullRedraw_data();
    void timeFullRedraw();
};

void TestLiveCharts::bufferMemoryIsBoundedForHours()
{
    SeriesBuffer buffer;
    const int samples = 10 * 3600 * 10; // 10 h at 100 ms
    qsizetype mostStored = 0;
    for (int i = 0; i < samples; ++i) {
        buffer.append(i * 0.1, std::sin(i * 0.001) * 10 + 20);
        if (i % 1000 == 0)
            mostStored = std::max(mostStored, buffer.storedPoints());
    }
    mostStored = std::max(mostStored, buffer.storedPoints());
    QVERIFY2(mostStored <= 6000, qPrintable(QString::number(mostStored)));
    QCOMPARE(buffer.lastX(), (samples - 1) * 0.1);
    // The last 5 minutes are kept as they came: 3000 points, 0.1 s apart.
    const QList<QPointF> recent = buffer.points(buffer.lastX() - 299.95, buffer.lastX(), 100000);
    QCOMPARE(recent.size(), 3000);
    QVERIFY(std::abs(recent.at(1).x() - recent.at(0).x() - 0.1) < 1e-6);
    // The whole run still spans from the start.
    const QList<QPointF> whole = buffer.points(0, buffer.lastX(), 1000);
    QVERIFY(whole.size() <= 1000);
    QVERIFY(whole.first().x() < 60);
    QVERIFY(buffer.bucketWidthS() > 1.0);
}

void TestLiveCharts::bufferKeepsSpikesAndGaps()
{
    SeriesBuffer buffer;
    const int samples = 4 * 3600 * 10;
    const int spikeAt = 3600 * 10;      // 1 h in
    const int dipAt = 3600 * 10 + 5000; // and a dip a bit later
    const int gapFrom = 2 * 3600 * 10;  // ten minutes without data at 2 h
    const int gapTo = gapFrom + 6000;
    for (int i = 0; i < samples; ++i) {
        double y = 10;
        if (i == spikeAt)
            y = 1000;
        else if (i == dipAt)
            y = -5;
        else if (i >= gapFrom && i < gapTo)
            y = kNaN;
        buffer.append(i * 0.1, y);
    }
    QVERIFY(buffer.storedPoints() <= 6000);
    const QList<QPointF> whole = buffer.points(0, buffer.lastX(), 800);
    QVERIFY(whole.size() <= 800);
    double top = -1e9, bottom = 1e9;
    bool gapInGapTime = false;
    for (const QPointF &p : whole) {
        if (std::isnan(p.y())) {
            gapInGapTime = gapInGapTime || (p.x() >= gapFrom * 0.1 - 60 && p.x() < gapTo * 0.1 + 60);
            continue;
        }
        top = std::max(top, p.y());
        bottom = std::min(bottom, p.y());
        // No real value was recorded inside the gap (a bucket may straddle its edges).
        QVERIFY2(!(p.x() > gapFrom * 0.1 + 60 && p.x() < gapTo * 0.1 - 60),
                 qPrintable(QString::number(p.x())));
    }
    QCOMPARE(top, 1000.0);
    QCOMPARE(bottom, -5.0);
    QVERIFY(gapInGapTime);
    // The spike is where it was, give or take one old bucket.
    for (const QPointF &p : whole) {
        if (p.y() == 1000.0)
            QVERIFY(std::abs(p.x() - spikeAt * 0.1) <= buffer.bucketWidthS());
    }
}

void TestLiveCharts::windowPointsStayInTheWindow()
{
    SeriesBuffer buffer;
    for (int i = 0; i < 2 * 3600 * 10; ++i)
        buffer.append(i * 0.1, i % 7);
    struct Window
    {
        double from, to;
        qsizetype maxPoints;
    };
    for (const Window &w : {Window{7000, 7060, 5000}, Window{6900, 7199.9, 600}, Window{100, 3000, 500},
                            Window{0, 7199.9, 1000}, Window{3590, 3650, 50}}) {
        const QList<QPointF> points = buffer.points(w.from, w.to, w.maxPoints);
        QVERIFY(!points.isEmpty());
        QVERIFY(points.size() <= w.maxPoints);
        double lastX = -1;
        for (const QPointF &p : points) {
            QVERIFY2(p.x() >= w.from && p.x() <= w.to,
                     qPrintable(QStringLiteral("%1 not in [%2, %3]").arg(p.x()).arg(w.from).arg(w.to)));
            QVERIFY(p.x() >= lastX);
            lastX = p.x();
        }
    }
    // Full resolution when it fits: 60 s at 100 ms.
    QCOMPARE(buffer.points(7000, 7059.95, 5000).size(), 600);
}

void TestLiveCharts::chartsShowTheSampledValues()
{
    auto panel = shownPanel();
    feedServer(*panel, 50);
    panel->redrawNow();

    QCOMPARE(panel->chart(Kind::Latency)->title(), QStringLiteral("Latency (server)"));
    QVERIFY(allYEqual(panel->series(Kind::Latency, QStringLiteral("p50"))->points(), 5));
    QVERIFY(allYEqual(panel->series(Kind::Latency, QStringLiteral("p90"))->points(), 8));
    QVERIFY(allYEqual(panel->series(Kind::Latency, QStringLiteral("p99"))->points(), 12));
    QVERIFY(allYEqual(panel->series(Kind::Latency, QStringLiteral("max"))->points(), 20));
    QCOMPARE(panel->series(Kind::Latency, QStringLiteral("p50"))->count(), 50);
    QVERIFY(allYEqual(panel->series(Kind::Throughput, QStringLiteral("requests/s"))->points(), 200));
    QVERIFY(allYEqual(panel->series(Kind::Throughput, QStringLiteral("5xx errors/s"))->points(), 10));
    QVERIFY(!panel->series(Kind::Throughput, QStringLiteral("client responses/s"))->isVisible());
    QVERIFY(allYEqual(panel->series(Kind::CacheHitRate, QStringLiteral("hit rate %"))->points(), 75));
    QVERIFY(allYEqual(panel->series(Kind::SlowQueries, QStringLiteral("slow queries/s"))->points(), 20));
    QVERIFY(allYEqual(panel->series(Kind::Concurrency, QStringLiteral("in flight"))->points(), 7));
    QVERIFY(allYEqual(panel->series(Kind::Concurrency, QStringLiteral("queue depth"))->points(), 3));
    QVERIFY(allYEqual(panel->series(Kind::Concurrency, QStringLiteral("pool in use"))->points(), 4));
    QVERIFY(allYEqual(panel->series(Kind::Concurrency, QStringLiteral("pool waiters"))->points(), 1));
    QVERIFY(allYEqual(panel->series(Kind::BytesOut, QStringLiteral("identity"))->points(), 100)); // KiB/s
    QVERIFY(allYEqual(panel->series(Kind::BytesOut, QStringLiteral("gzip"))->points(), 10));
    QCOMPARE(panel->chart(Kind::BytesOut)->leftAxis()->titleText(), QStringLiteral("KiB/s"));
    // Time 0 is the first sample, 4.9 s the last; axes top out above the values.
    const QList<QPointF> requests = panel->series(Kind::Throughput, QStringLiteral("requests/s"))->points();
    QCOMPARE(requests.first().x(), 0.0);
    QCOMPARE(requests.last().x(), 4.9);
    QVERIFY(panel->chart(Kind::Throughput)->leftAxis()->max() >= 200);
    QVERIFY(panel->chart(Kind::Latency)->leftTop() >= 20);
    QCOMPARE(panel->chart(Kind::CacheHitRate)->leftAxis()->max(), 100.0);

    // Over 10 MiB/s the unit becomes MiB/s.
    auto values = busyServer();
    values[QStringLiteral("bytes_identity")] = 2 * 1024 * 1024; // in 100 ms: 20 MiB/s
    panel->addServerSample(sampleOf(m_serverSchema, kStartMs + 5000, values));
    panel->redrawNow();
    QCOMPARE(panel->chart(Kind::BytesOut)->leftAxis()->titleText(), QStringLiteral("MiB/s"));
    QCOMPARE(panel->series(Kind::BytesOut, QStringLiteral("identity"))->points().last().y(), 20.0);

    // A new run starts from nothing at time 0.
    panel->clear();
    feedServer(*panel, 3, kStartMs + 3'600'000);
    panel->redrawNow();
    QCOMPARE(panel->series(Kind::Latency, QStringLiteral("p50"))->count(), 3);
    QCOMPARE(panel->series(Kind::Latency, QStringLiteral("p50"))->at(0).x(), 0.0);
}

void TestLiveCharts::hitRateHasGapsWithoutLookups()
{
    auto panel = shownPanel();
    auto busy = busyServer();
    auto idle = busyServer();
    idle[QStringLiteral("cache_hits")] = 0;
    idle[QStringLiteral("cache_misses")] = 0;
    idle[QStringLiteral("latency_count")] = 0;
    for (int i = 0; i < 60; ++i) {
        const bool lookups = i < 20 || i >= 40;
        panel->addServerSample(sampleOf(m_serverSchema, kStartMs + i * 100, lookups ? busy : idle));
    }
    panel->redrawNow();
    ui::LiveChartWidget *hitRate = panel->chart(Kind::CacheHitRate);
    QCOMPARE(hitRate->segmentCount(QStringLiteral("hit rate %")), 2);
    const QList<QPointF> points = hitRate->linePoints(QStringLiteral("hit rate %"));
    QCOMPARE(points.size(), 40);
    QVERIFY(allYEqual(points, 75));
    // No requests, no latency: a gap too, not 0 ms.
    QCOMPARE(panel->chart(Kind::Latency)->segmentCount(QStringLiteral("p99")), 2);
}

void TestLiveCharts::clientAttachAndUncorrectedToggleSwitchLatency()
{
    auto panel = shownPanel();
    auto *toggle = panel->findChild<QCheckBox *>(QStringLiteral("liveChartsUncorrected"));
    QVERIFY(toggle);
    QVERIFY(!toggle->isEnabled());

    panel->attachClient(m_clientSchema);
    QVERIFY(toggle->isEnabled());
    const auto server = busyServer();
    const auto client = busyClient();
    for (int i = 0; i < 30; ++i) {
        panel->addServerSample(sampleOf(m_serverSchema, kStartMs + i * 100, server));
        panel->addClientSample(sampleOf(m_clientSchema, kStartMs + i * 100 + 3, client));
    }
    panel->redrawNow();
    QCOMPARE(panel->chart(Kind::Latency)->title(), QStringLiteral("Latency (client, corrected)"));
    QVERIFY(allYEqual(panel->series(Kind::Latency, QStringLiteral("p50"))->points(), 50));
    QVERIFY(allYEqual(panel->series(Kind::Latency, QStringLiteral("max"))->points(), 200));
    QVERIFY(panel->series(Kind::Throughput, QStringLiteral("client responses/s"))->isVisible());
    QVERIFY(allYEqual(panel->series(Kind::Throughput, QStringLiteral("client responses/s"))->points(), 300));
    QVERIFY(allYEqual(panel->series(Kind::Throughput, QStringLiteral("client errors/s"))->points(), 30));
    QVERIFY(allYEqual(panel->series(Kind::Throughput, QStringLiteral("requests/s"))->points(), 200));

    toggle->setChecked(true); // through the control, as a user would
    QVERIFY(panel->uncorrected());
    panel->redrawNow();
    QCOMPARE(panel->chart(Kind::Latency)->title(), QStringLiteral("Latency (client, uncorrected)"));
    QVERIFY(allYEqual(panel->series(Kind::Latency, QStringLiteral("p50"))->points(), 6));
    QVERIFY(allYEqual(panel->series(Kind::Latency, QStringLiteral("p99"))->points(), 13));

    panel->setUncorrected(false);
    QVERIFY(!toggle->isChecked());
    panel->redrawNow();
    QVERIFY(allYEqual(panel->series(Kind::Latency, QStringLiteral("p90"))->points(), 80));

    panel->detachClient();
    panel->redrawNow();
    QCOMPARE(panel->chart(Kind::Latency)->title(), QStringLiteral("Latency (server)"));
    QVERIFY(allYEqual(panel->series(Kind::Latency, QStringLiteral("p50"))->points(), 5));
    QVERIFY(!panel->series(Kind::Throughput, QStringLiteral("client responses/s"))->isVisible());
    QVERIFY(!toggle->isEnabled());
}

void TestLiveCharts::windowSelectorLimitsTheXRange()
{
    auto panel = shownPanel();
    feedServer(*panel, 10 * 60 * 10); // 10 minutes
    const double last = 599.9;
    auto *selector = panel->findChild<QComboBox *>(QStringLiteral("liveChartsWindow"));
    QVERIFY(selector);
    QCOMPARE(panel->window(), LiveChartsPanel::Window::LastFiveMinutes);

    struct Case
    {
        int index;
        LiveChartsPanel::Window window;
        double from;
    };
    for (const Case &c : {Case{0, LiveChartsPanel::Window::LastMinute, last - 60},
                          Case{1, LiveChartsPanel::Window::LastFiveMinutes, last - 300},
                          Case{2, LiveChartsPanel::Window::WholeRun, 0.0}}) {
        selector->setCurrentIndex(c.index);
        QCOMPARE(panel->window(), c.window);
        panel->redrawNow();
        for (int k = 0; k < LiveChartsPanel::kChartCount; ++k) {
            const QValueAxis *x = panel->chart(Kind(k))->xAxis();
            QVERIFY(std::abs(x->min() - c.from) < 1e-6);
            QVERIFY(std::abs(x->max() - last) < 1e-6);
        }
        const QLineSeries *p50 = panel->series(Kind::Latency, QStringLiteral("p50"));
        QVERIFY(p50->count() > 0);
        QVERIFY(p50->count() <= panel->chart(Kind::Latency)->maxPointsPerLine());
        for (const QPointF &p : p50->points())
            QVERIFY(p.x() >= c.from - 1e-9 && p.x() <= last + 1e-9);
    }
    // The last minute is drawn point for point (600 points fit in two per pixel).
    panel->setWindow(LiveChartsPanel::Window::LastMinute);
    QCOMPARE(selector->currentIndex(), 0);
    panel->redrawNow();
    QVERIFY(panel->series(Kind::Latency, QStringLiteral("p50"))->count() >= 600);
}

void TestLiveCharts::markersAreOnEveryChart()
{
    auto panel = shownPanel();
    panel->setWindow(LiveChartsPanel::Window::LastMinute);
    feedServer(*panel, 1200);                                          // 2 minutes
    panel->addMarker(kStartMs + 10'000, QStringLiteral("old change")); // out of the last minute
    panel->addSettingsMarker(
        kStartMs + 100'000,
        QJsonObject{{QStringLiteral("cache"), QJsonObject{{QStringLiteral("enabled"), true}}}});
    panel->addMarker(kStartMs + 110'000, QStringLiteral("db.poolSize = 2"));
    QCOMPARE(panel->markerCount(), 3);
    panel->redrawNow();
    for (int k = 0; k < LiveChartsPanel::kChartCount; ++k) {
        ui::LiveChartWidget *chart = panel->chart(Kind(k));
        QCOMPARE(chart->markerCount(), 2);
        QCOMPARE(chart->markers().at(0).label, QStringLiteral("cache.enabled = true"));
        QCOMPARE(chart->markers().at(0).x, 100.0);
    }
    // Hovering over the marker shows its label; a few pixels away nothing.
    ui::LiveChartWidget *chart = panel->chart(Kind::SlowQueries);
    QLineSeries *anySeries = chart->series(QStringLiteral("slow queries/s"));
    const QPointF inChart = chart->chart()->mapToPosition(QPointF(110.0, 0.5), anySeries);
    const QPoint inView = chart->mapFromScene(chart->chart()->mapToScene(inChart));
    QCOMPARE(chart->markerLabelAt(inView), QStringLiteral("db.poolSize = 2"));
    QCOMPARE(chart->markerLabelAt(inView + QPoint(20, 0)), QString());

    // Memory is bounded: only the newest markers are kept.
    for (int i = 0; i < 2 * LiveChartsPanel::kMaxMarkers; ++i)
        panel->addMarker(kStartMs + 115'000 + i, QStringLiteral("change %1").arg(i));
    QCOMPARE(panel->markerCount(), LiveChartsPanel::kMaxMarkers);
}

void TestLiveCharts::saveAsWritesPngAndSvg()
{
    auto panel = shownPanel();
    panel->attachClient(m_clientSchema);
    feedServer(*panel, 300);
    panel->addMarker(kStartMs + 10'000, QStringLiteral("a change"));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (int k = 0; k < LiveChartsPanel::kChartCount; ++k) {
        const QString stem = dir.filePath(LiveChartsPanel::chartName(Kind(k)));
        const std::optional<QString> png = panel->saveChart(Kind(k), stem + QStringLiteral(".png"));
        QVERIFY2(!png, qPrintable(png.value_or(QString())));
        QImage image;
        QVERIFY(image.load(stem + QStringLiteral(".png"), "PNG"));
        QCOMPARE(image.size(), panel->chart(Kind(k))->chart()->size().toSize());

        const std::optional<QString> svg = panel->chart(Kind(k))->saveAs(stem + QStringLiteral(".SVG"));
        QVERIFY2(!svg, qPrintable(svg.value_or(QString())));
        const QByteArray bytes = readAll(stem + QStringLiteral(".SVG"));
        QVERIFY(bytes.startsWith("<?xml") || bytes.contains("<svg"));
        QSvgRenderer renderer(bytes);
        QVERIFY(renderer.isValid());
    }
    // A chart never shown (e.g. in a hidden tab) still exports at a real size.
    LiveChartsPanel hidden(m_serverSchema);
    const QString hiddenPath = dir.filePath(QStringLiteral("hidden.png"));
    QVERIFY(!hidden.saveChart(Kind::Latency, hiddenPath));
    QImage image;
    QVERIFY(image.load(hiddenPath));
    QVERIFY(image.width() >= 300);
}

void TestLiveCharts::saveAsNamesTheBadPath()
{
    auto panel = shownPanel();
    feedServer(*panel, 10);
    QTemporaryDir dir;
    const QString missingDir = dir.filePath(QStringLiteral("no/such/dir/chart.png"));
    std::optional<QString> error = panel->saveChart(Kind::Latency, missingDir);
    QVERIFY(error);
    QVERIFY2(error->contains(missingDir), qPrintable(*error));
    const QString unknown = dir.filePath(QStringLiteral("chart.bmp"));
    error = panel->saveChart(Kind::Latency, unknown);
    QVERIFY(error);
    QVERIFY(error->contains(unknown));
    QVERIFY(!QFile::exists(unknown));

    // A failed export leaves the old file as it was (here a read-only folder makes it fail).
    const QString existing = dir.filePath(QStringLiteral("keep.svg"));
    {
        QFile file(existing);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("old");
    }
    QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::ExeOwner);
    error = panel->saveChart(Kind::Latency, existing);
    QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    if (error) // root may write anyway; then there is nothing to check
        QCOMPARE(readAll(existing), QByteArray("old"));
}

void TestLiveCharts::spikeIsClippedAndMarked()
{
    auto panel = shownPanel();
    auto steady = busyServer();
    for (const char *column : {"latency_p50_ms", "latency_p90_ms", "latency_p99_ms", "latency_max_ms"})
        steady[QString::fromLatin1(column)] = 0.3;
    auto spike = steady;
    spike[QStringLiteral("latency_max_ms")] = 182;
    for (int i = 0; i < 300; ++i)
        panel->addServerSample(sampleOf(m_serverSchema, kStartMs + i * 100, i == 20 ? spike : steady));
    auto *logBox = panel->findChild<QCheckBox *>(QStringLiteral("liveChartsLogLatency"));
    QVERIFY(logBox && logBox->isChecked() && panel->latencyLogScale());
    panel->redrawNow();
    ui::LiveChartWidget *latency = panel->chart(Kind::Latency);
    // On the log axis (the default) too the spike stays above it: 0.2 .. 1 ms.
    QCOMPARE(latency->leftTop(), 1.0);
    QCOMPARE(latency->spikeLabels(ui::LiveChartWidget::Axis::Left),
             QStringList{QStringLiteral("\u2191 182 ms")});
    logBox->setChecked(false); // linear, from 0
    QVERIFY(!latency->logScale());
    panel->redrawNow();
    // The axis keeps to the steady 0.3 ms (a third of it or more), not the 182 ms spike.
    QCOMPARE(latency->leftAxis()->max(), 1.0);
    QCOMPARE(latency->spikeLabels(ui::LiveChartWidget::Axis::Left),
             QStringList{QStringLiteral("\u2191 182 ms")});
    QCOMPARE(latency->spikeMarks(ui::LiveChartWidget::Axis::Left).front().line, QStringLiteral("max"));
    QCOMPARE(drawnSpikeTexts(latency), QStringList{QStringLiteral("\u2191 182 ms")});
    // The line still goes up to its true value (the plot area clips it), and the hover label
    // over the mark names it.
    const QList<QPointF> max = latency->linePoints(QStringLiteral("max"));
    QCOMPARE(
        std::max_element(max.begin(), max.end(), [](QPointF a, QPointF b) { return a.y() < b.y(); })->y(),
        182.0);
    QLineSeries *anySeries = latency->series(QStringLiteral("max"));
    const QPointF top = latency->chart()->mapToPosition(QPointF(2.0, 1.0), anySeries) + QPointF(0, 4);
    const QPoint inView = latency->mapFromScene(latency->chart()->mapToScene(top));
    QVERIFY2(latency->markerLabelAt(inView).startsWith(QStringLiteral("max 182 ms at 2 s")),
             qPrintable(latency->markerLabelAt(inView)));

    // Without the spike (out of the last minute) nothing is clipped or marked.
    panel->setWindow(LiveChartsPanel::Window::LastMinute);
    for (int i = 300; i < 700; ++i)
        panel->addServerSample(sampleOf(m_serverSchema, kStartMs + i * 100, steady));
    panel->redrawNow();
    QVERIFY(latency->spikeLabels(ui::LiveChartWidget::Axis::Left).isEmpty());
    QVERIFY(drawnSpikeTexts(latency).isEmpty());
    QCOMPARE(latency->leftAxis()->max(), 0.5); // 0.3 with headroom, rounded up
    // Counts have no unit: "↑ 40", not "↑ 40 count".
    auto busy = busyServer();
    busy[QStringLiteral("in_flight")] = 40;
    panel->addServerSample(sampleOf(m_serverSchema, kStartMs + 700 * 100, busy));
    panel->redrawNow();
    QCOMPARE(panel->chart(Kind::Concurrency)->spikeLabels(ui::LiveChartWidget::Axis::Left),
             QStringList{QStringLiteral("\u2191 40")});
}

void TestLiveCharts::legendsAreNotElidedAtTheWindowSize()
{
    // The room the window's centre gives the panel at 1600x1000 with its docks at their
    // first-start sizes (settings and load at the sides, tables below).
    auto panel = std::make_unique<LiveChartsPanel>(m_serverSchema);
    // Its controls do not ask for more width than two columns of charts (320 px each) need.
    QVERIFY2(panel->minimumSizeHint().width() <= 720,
             qPrintable(QString::number(panel->minimumSizeHint().width())));
    panel->resize(940, 660);
    panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(panel.get()));
    panel->attachClient(m_clientSchema); // the throughput chart's four lines
    for (int i = 0; i < 50; ++i) {
        panel->addServerSample(sampleOf(m_serverSchema, kStartMs + i * 100, busyServer()));
        panel->addClientSample(sampleOf(m_clientSchema, kStartMs + i * 100 + 3, busyClient()));
    }
    for (LiveChartsPanel::View view :
         {LiveChartsPanel::View::AllCharts, LiveChartsPanel::View::LatencyAndThroughput,
          LiveChartsPanel::View::Concurrency}) {
        panel->setView(view);
        QCoreApplication::processEvents(); // layout, resize events
        panel->redrawNow();
        QCoreApplication::processEvents();
        for (int k = 0; k < LiveChartsPanel::kChartCount; ++k) {
            ui::LiveChartWidget *chart = panel->chart(Kind(k));
            if (!chart->isVisible())
                continue;
            QVERIFY2(legendTexts(chart) == legendNames(chart),
                     qPrintable(QStringLiteral("%1 at %2x%3: drawn [%4], names [%5]")
                                    .arg(chart->title())
                                    .arg(chart->width())
                                    .arg(chart->height())
                                    .arg(legendTexts(chart).join(u'|'), legendNames(chart).join(u'|'))));
        }
    }

    // A narrower chart (larger docks, a larger font): one row under the plot is too short for
    // four names, so they stack at the right, whole.
    ui::LiveChartWidget narrow(QStringLiteral("Throughput and errors"), QStringLiteral("req/s"));
    for (const char *name : {"requests/s", "5xx errors/s", "client responses/s", "client errors/s"})
        narrow.addLine(QString::fromLatin1(name));
    narrow.resize(340, 230);
    narrow.show();
    QVERIFY(QTest::qWaitForWindowExposed(&narrow));
    narrow.apply();
    QCoreApplication::processEvents();
    QCOMPARE(legendTexts(&narrow), legendNames(&narrow));
    QCOMPARE(narrow.legendAlignment(), Qt::Alignment(Qt::AlignRight));
    narrow.resize(900, 230); // room enough: back under the plot
    QCoreApplication::processEvents();
    QCOMPARE(narrow.legendAlignment(), Qt::Alignment(Qt::AlignBottom));
    QCOMPARE(legendTexts(&narrow), legendNames(&narrow));

    // The window's throughput chart has a second value axis (errors/s at the right): stacked
    // beside it, the legend would leave the plot too narrow for either axis's labels, which Qt
    // then elides to "…". There the legend stays under the plot, and the axes keep their numbers.
    ui::LiveChartWidget twoAxes(QStringLiteral("Throughput and errors"), QStringLiteral("req/s"));
    twoAxes.addLine(QStringLiteral("requests/s"));
    twoAxes.addLine(QStringLiteral("5xx errors/s"), ui::LiveChartWidget::Axis::Right);
    twoAxes.addLine(QStringLiteral("client responses/s"));
    twoAxes.addLine(QStringLiteral("client errors/s"), ui::LiveChartWidget::Axis::Right);
    twoAxes.resize(340, 230);
    twoAxes.show();
    QVERIFY(QTest::qWaitForWindowExposed(&twoAxes));
    twoAxes.apply();
    QCoreApplication::processEvents();
    QCOMPARE(twoAxes.legendAlignment(), Qt::Alignment(Qt::AlignBottom));
    twoAxes.resize(900, 230);
    QCoreApplication::processEvents();
    QCOMPARE(twoAxes.legendAlignment(), Qt::Alignment(Qt::AlignBottom));
    QCOMPARE(legendTexts(&twoAxes), legendNames(&twoAxes));
}

void TestLiveCharts::viewShowsFewerChartsLarger()
{
    auto panel = shownPanel();
    feedServer(*panel, 20);
    panel->redrawNow();
    const int gridHeight = panel->chart(Kind::Latency)->height();
    auto *selector = panel->findChild<QComboBox *>(QStringLiteral("liveChartsView"));
    QVERIFY(selector);
    QSignalSpy changed(panel.get(), &LiveChartsPanel::viewChanged);

    selector->setCurrentIndex(
        selector->findData(QVariant::fromValue(LiveChartsPanel::View::LatencyAndThroughput)));
    QCOMPARE(panel->view(), LiveChartsPanel::View::LatencyAndThroughput);
    QCOMPARE(changed.count(), 1);
    QCoreApplication::processEvents();
    QVERIFY(panel->chart(Kind::Latency)->isVisible());
    QVERIFY(panel->chart(Kind::Throughput)->isVisible());
    QVERIFY(!panel->chart(Kind::CacheHitRate)->isVisible());
    QVERIFY(panel->chart(Kind::Latency)->height() > gridHeight * 1.3);
    QVERIFY(panel->chart(Kind::Latency)->width() > panel->width() * 0.9); // the whole width

    panel->setView(LiveChartsPanel::View::SlowQueries);
    QCOMPARE(selector->currentData().value<LiveChartsPanel::View>(), LiveChartsPanel::View::SlowQueries);
    QCoreApplication::processEvents();
    QVERIFY(panel->chart(Kind::SlowQueries)->isVisible());
    QVERIFY(!panel->chart(Kind::Latency)->isVisible());
    QVERIFY(panel->chart(Kind::SlowQueries)->height() > gridHeight * 2.5);

    // The timer leaves hidden charts alone (the redraw budget goes to what is shown)...
    const qsizetype latencyPoints = panel->series(Kind::Latency, QStringLiteral("p50"))->count();
    feedServer(*panel, 10, kStartMs + 2000);
    QTest::qWait(4 * LiveChartsPanel::kRedrawIntervalMs * LiveChartsPanel::kChartCount);
    QCOMPARE(panel->series(Kind::SlowQueries, QStringLiteral("slow queries/s"))->count(), 30);
    QCOMPARE(panel->series(Kind::Latency, QStringLiteral("p50"))->count(), latencyPoints);
    // ...and draws them once they show again.
    panel->setView(LiveChartsPanel::View::AllCharts);
    QTRY_COMPARE(panel->series(Kind::Latency, QStringLiteral("p50"))->count(), 30);
    QCOMPARE(changed.count(), 3);
}

void TestLiveCharts::latencyOfOneRoute()
{
    auto panel = shownPanel();
    panel->attachClient(m_clientSchema);
    // Two routes: /fast answers in 0.3 ms, /slow in 1.5 ms (exact below 2048 µs).
    load::LoadSnapshot cumulative;
    cumulative.routes.resize(2);
    cumulative.routes[0].route = QStringLiteral("GET /fast");
    cumulative.routes[1].route = QStringLiteral("GET /slow");
    int sources = 0;
    panel->setRouteSnapshotSource([&]() -> std::optional<load::LoadSnapshot> {
        ++sources;
        cumulative.routes[0].corrected.record(300, 10);
        cumulative.routes[0].uncorrected.record(250, 10);
        if (sources % 2 == 0) // /slow answers every other interval: gaps in between
            cumulative.routes[1].corrected.record(1500, 5);
        return cumulative;
    });
    for (int i = 0; i < 40; ++i) {
        panel->addServerSample(sampleOf(m_serverSchema, kStartMs + i * 100, busyServer()));
        panel->addClientSample(sampleOf(m_clientSchema, kStartMs + i * 100 + 3, busyClient()));
    }
    QCOMPARE(sources, 40);
    QCOMPARE(panel->knownRoutes(), (QStringList{QStringLiteral("GET /fast"), QStringLiteral("GET /slow")}));
    panel->redrawNow();
    QVERIFY(allYEqual(panel->series(Kind::Latency, QStringLiteral("p50"))->points(), 50)); // all routes

    QSignalSpy changed(panel.get(), &LiveChartsPanel::latencyRouteChanged);
    panel->setLatencyRoute(QStringLiteral("GET /fast"));
    panel->redrawNow();
    QCOMPARE(panel->chart(Kind::Latency)->title(),
             QStringLiteral("Latency of GET /fast (client, corrected)"));
    for (const char *line : {"p50", "p90", "p99", "max"})
        QVERIFY(allYEqual(panel->chart(Kind::Latency)->linePoints(QString::fromLatin1(line)), 0.3));
    QCOMPARE(panel->chart(Kind::Latency)->linePoints(QStringLiteral("p50")).size(),
             39); // from the second sample
    panel->setUncorrected(true);
    panel->redrawNow();
    QVERIFY(allYEqual(panel->chart(Kind::Latency)->linePoints(QStringLiteral("p50")), 0.25));
    panel->setUncorrected(false);

    // Through the box, as a user would: /slow, with its gaps.
    auto *box = panel->findChild<QComboBox *>(QStringLiteral("liveChartsRoute"));
    QVERIFY(box);
    box->setCurrentIndex(box->findData(QStringLiteral("GET /slow")));
    QCOMPARE(panel->latencyRoute(), QStringLiteral("GET /slow"));
    panel->redrawNow();
    const QList<QPointF> slow = panel->chart(Kind::Latency)->linePoints(QStringLiteral("p99"));
    QVERIFY(allYEqual(slow, 1.5));
    QVERIFY(slow.size() >= 19 && slow.size() <= 20);
    QVERIFY(panel->chart(Kind::Latency)->segmentCount(QStringLiteral("p99")) > 1);

    // "All routes" goes back to the merged client percentiles.
    box->setCurrentIndex(0);
    QCOMPARE(panel->latencyRoute(), QString());
    panel->redrawNow();
    QCOMPARE(panel->chart(Kind::Latency)->title(), QStringLiteral("Latency (client, corrected)"));
    QVERIFY(allYEqual(panel->series(Kind::Latency, QStringLiteral("p50"))->points(), 50));
    QCOMPARE(changed.count(), 3);
}

void TestLiveCharts::clusterInstancesHaveTheirOwnLines()
{
    auto panel = shownPanel();
    feedServer(*panel, 50); // the window's own lab: instance 1
    panel->redrawNow();
    QVERIFY(!panel->series(Kind::Throughput, QStringLiteral("instance 1")));
    QVERIFY(panel->series(Kind::Throughput, QStringLiteral("requests/s"))->isVisible());

    feedCluster(*panel);
    panel->redrawNow();
    ui::LiveChartWidget *throughput = panel->chart(Kind::Throughput);
    ui::LiveChartWidget *hitRate = panel->chart(Kind::CacheHitRate);
    for (const char *name : {"all instances", "instance 1", "instance 2", "instance 3"}) {
        QLineSeries *line = panel->series(Kind::Throughput, QString::fromLatin1(name));
        QVERIFY2(line, name);
        QVERIFY2(line->isVisible(), name);
    }
    QCoreApplication::processEvents(); // the legend's layout
    // The legend lists the instances in the order they were first seen.
    const QStringList legend = [&] {
        QStringList names;
        for (QLegendMarker *marker : throughput->chart()->legend()->markers()) {
            if (marker->isVisible())
                names.append(marker->label());
        }
        return names;
    }();
    QVERIFY2(legend.indexOf(QStringLiteral("instance 1")) < legend.indexOf(QStringLiteral("instance 2")) &&
                 legend.indexOf(QStringLiteral("instance 2")) < legend.indexOf(QStringLiteral("instance 3")),
             qPrintable(legend.join(u'|')));
    // "requests/s" and "hit rate %" are instance 1 again: hidden, and out of the legend.
    QVERIFY(!panel->series(Kind::Throughput, QStringLiteral("requests/s"))->isVisible());
    QVERIFY(!panel->series(Kind::CacheHitRate, QStringLiteral("hit rate %"))->isVisible());
    QVERIFY(!legend.contains(QStringLiteral("requests/s")));
    QCOMPARE(legendTexts(throughput), legendNames(throughput)); // six names, none elided
    QVERIFY(panel->series(Kind::Throughput, QStringLiteral("5xx errors/s"))->isVisible());

    // Each instance's own figures, on the panel's time axis (time 0 is the first server sample).
    const QList<QPointF> one = throughput->linePoints(QStringLiteral("instance 1"));
    QCOMPARE(one.size(), 10);
    QCOMPARE(one.first(), QPointF(0, 100));
    QCOMPARE(one.last(), QPointF(9, 109));
    QCOMPARE(throughput->segmentCount(QStringLiteral("instance 1")), 1);
    // Instance 2 did not answer at 4 and 5 s: a gap, not a fall to 0.
    const QList<QPointF> two = throughput->linePoints(QStringLiteral("instance 2"));
    QCOMPARE(two.size(), 8);
    QVERIFY(allYEqual(two, 200));
    QCOMPARE(throughput->segmentCount(QStringLiteral("instance 2")), 2);
    const QList<QPointF> three = throughput->linePoints(QStringLiteral("instance 3"));
    QCOMPARE(three.size(), 8);
    QCOMPARE(three.first().x(), 2.0);
    // The sum of the instances that answered.
    const QList<QPointF> all = throughput->linePoints(QStringLiteral("all instances"));
    QCOMPARE(all.size(), 10);
    QCOMPARE(all.last(), QPointF(9, 109 + 200 + 300));
    QCOMPARE(all.at(0).y(), 100.0 + 200); // before instance 3 joined
    QCOMPARE(all.at(4).y(), 104.0 + 300); // instance 2 silent
    QVERIFY(throughput->leftAxis()->max() >= 609);

    // Hit rates per instance, with the same gaps, and one without lookups until 3 s.
    for (const char *name : {"instance 1", "instance 2", "instance 3"}) {
        QLineSeries *line = panel->series(Kind::CacheHitRate, QString::fromLatin1(name));
        QVERIFY2(line, name);
        QVERIFY2(line->isVisible(), name);
    }
    QVERIFY(allYEqual(hitRate->linePoints(QStringLiteral("instance 1")), 50));
    QCOMPARE(hitRate->linePoints(QStringLiteral("instance 1")).size(), 10);
    QVERIFY(allYEqual(hitRate->linePoints(QStringLiteral("instance 2")), 80));
    QCOMPARE(hitRate->linePoints(QStringLiteral("instance 2")).size(), 8);
    QCOMPARE(hitRate->segmentCount(QStringLiteral("instance 2")), 2);
    const QList<QPointF> threeHits = hitRate->linePoints(QStringLiteral("instance 3"));
    QVERIFY(allYEqual(threeHits, 90));
    QCOMPARE(threeHits.size(), 7);
    QCOMPARE(threeHits.first().x(), 3.0);

    // The panel's own timer draws the next scrape (no server sample in between).
    panel->addInstanceFigures(kStartMs + 10'000,
                              {figuresOf("1", 110, 50), figuresOf("2", 200, 80), figuresOf("3", 300, 90)});
    QTRY_COMPARE(throughput->linePoints(QStringLiteral("instance 1")).size(), 11);
    QTRY_COMPARE(hitRate->linePoints(QStringLiteral("instance 3")).size(), 8);
    QCOMPARE(throughput->linePoints(QStringLiteral("all instances")).last(), QPointF(10, 610));
}

void TestLiveCharts::clearInstancesShowsTheLabAloneAgain()
{
    auto panel = shownPanel();
    feedServer(*panel, 50);
    feedCluster(*panel);
    panel->redrawNow();
    ui::LiveChartWidget *throughput = panel->chart(Kind::Throughput);
    QVERIFY(!panel->series(Kind::Throughput, QStringLiteral("requests/s"))->isVisible());

    panel->clearInstances();
    panel->redrawNow();
    QVERIFY(panel->series(Kind::Throughput, QStringLiteral("requests/s"))->isVisible());
    QVERIFY(panel->series(Kind::CacheHitRate, QStringLiteral("hit rate %"))->isVisible());
    QVERIFY(allYEqual(panel->series(Kind::Throughput, QStringLiteral("requests/s"))->points(), 200));
    for (const char *name : {"all instances", "instance 1", "instance 2", "instance 3"}) {
        QLineSeries *line = panel->series(Kind::Throughput, QString::fromLatin1(name));
        QVERIFY2(line && !line->isVisible(), name);
        QVERIFY2(throughput->linePoints(QString::fromLatin1(name)).isEmpty(), name);
    }
    for (const char *name : {"instance 1", "instance 2", "instance 3"}) {
        QLineSeries *line = panel->series(Kind::CacheHitRate, QString::fromLatin1(name));
        QVERIFY2(line && !line->isVisible(), name);
        QVERIFY2(panel->chart(Kind::CacheHitRate)->linePoints(QString::fromLatin1(name)).isEmpty(), name);
    }
    QCoreApplication::processEvents(); // the legend's layout
    QVERIFY(!legendNames(throughput).contains(QStringLiteral("instance 1")));
    QVERIFY(legendNames(throughput).contains(QStringLiteral("requests/s")));

    // A cluster again, of two this time: their lines show, instance 3's stays hidden.
    panel->addInstanceFigures(kStartMs + 20'000, {figuresOf("1", 120, 60), figuresOf("2", 220, 70)});
    panel->redrawNow();
    QVERIFY(!panel->series(Kind::Throughput, QStringLiteral("requests/s"))->isVisible());
    QVERIFY(!panel->series(Kind::CacheHitRate, QStringLiteral("hit rate %"))->isVisible());
    QVERIFY(panel->series(Kind::Throughput, QStringLiteral("instance 2"))->isVisible());
    QVERIFY(panel->series(Kind::CacheHitRate, QStringLiteral("instance 1"))->isVisible());
    QVERIFY(panel->series(Kind::Throughput, QStringLiteral("all instances"))->isVisible());
    QVERIFY(!panel->series(Kind::Throughput, QStringLiteral("instance 3"))->isVisible());
    QCOMPARE(throughput->linePoints(QStringLiteral("instance 1")), (QList<QPointF>{QPointF(20, 120)}));
    QCOMPARE(throughput->linePoints(QStringLiteral("all instances")), (QList<QPointF>{QPointF(20, 340)}));
    QCOMPARE(panel->chart(Kind::CacheHitRate)->linePoints(QStringLiteral("instance 2")),
             (QList<QPointF>{QPointF(20, 70)}));
}

void TestLiveCharts::newRunKeepsTheInstanceLines()
{
    auto panel = shownPanel();
    feedCluster(*panel);
    panel->redrawNow();
    ui::LiveChartWidget *throughput = panel->chart(Kind::Throughput);
    QCOMPARE(throughput->linePoints(QStringLiteral("instance 1")).size(), 10);

    // A new run: the points go, the cluster and its lines stay.
    panel->clear();
    panel->redrawNow();
    QVERIFY(throughput->linePoints(QStringLiteral("instance 1")).isEmpty());
    QVERIFY(throughput->linePoints(QStringLiteral("all instances")).isEmpty());
    QVERIFY(panel->chart(Kind::CacheHitRate)->linePoints(QStringLiteral("instance 2")).isEmpty());
    QVERIFY(panel->series(Kind::Throughput, QStringLiteral("instance 1"))->isVisible());
    QVERIFY(!panel->series(Kind::Throughput, QStringLiteral("requests/s"))->isVisible());

    // The next scrape is the new run's time 0.
    panel->addInstanceFigures(kStartMs + 3'600'000, {figuresOf("1", 10, 40), figuresOf("2", 20, 60)});
    panel->redrawNow();
    QCOMPARE(throughput->linePoints(QStringLiteral("instance 1")), (QList<QPointF>{QPointF(0, 10)}));
    QCOMPARE(throughput->linePoints(QStringLiteral("all instances")), (QList<QPointF>{QPointF(0, 30)}));
    // Instance 3 is not reported: a gap point, nothing drawn.
    QVERIFY(throughput->linePoints(QStringLiteral("instance 3")).isEmpty());
}

void TestLiveCharts::timeFullRedraw_data()
{
    QTest::addColumn<int>("minutes");
    QTest::addColumn<LiveChartsPanel::Window>("window");
    QTest::addColumn<int>("samplesPerMarker");
    QTest::newRow("5 min, last 5 min") << 5 << LiveChartsPanel::Window::LastFiveMinutes << 600;
    QTest::newRow("1 h, whole run") << 60 << LiveChartsPanel::Window::WholeRun << 600;
    QTest::newRow("1 h, whole run, 500 markers") << 60 << LiveChartsPanel::Window::WholeRun << 72;
}

void TestLiveCharts::timeFullRedraw()
{
    QFETCH(int, minutes);
    QFETCH(LiveChartsPanel::Window, window);
    QFETCH(int, samplesPerMarker);
    auto panel = shownPanel();
    panel->attachClient(m_clientSchema);
    panel->setWindow(window);
    metrics::Sample server = sampleOf(m_serverSchema, 0, busyServer());
    metrics::Sample client = sampleOf(m_clientSchema, 0, busyClient());
    const qsizetype serverP99 = m_serverSchema.indexOf(QStringLiteral("latency_p99_ms"));
    const qsizetype serverRequests = m_serverSchema.indexOf(QStringLiteral("requests"));
    const qsizetype clientP99 = m_clientSchema.indexOf(QStringLiteral("latency_p99_ms"));
    const int samples = minutes * 60 * 10; // at 100 ms
    for (int i = 0; i < samples; ++i) {
        // Values that move, so every line has real shape to draw.
        server.timestampMs = kStartMs + i * 100;
        server.values[serverP99] = 12 + 5 * std::sin(i * 0.05);
        server.values[serverRequests] = 20 + (i % 13);
        panel->addServerSample(server);
        client.timestampMs = server.timestampMs + 2;
        client.values[clientP99] = 120 + 30 * std::cos(i * 0.03);
        panel->addClientSample(client);
        if (i % samplesPerMarker == 0)
            panel->addMarker(server.timestampMs, QStringLiteral("change %1").arg(i));
    }

    // Each round: one new sample (the window moves), the series update, then the paint.
    constexpr int rounds = 20;
    qint64 updateNs = 0, paintNs = 0, worstNs = 0;
    for (int round = 0; round < rounds; ++round) {
        server.timestampMs = kStartMs + qint64(samples + round) * 100;
        client.timestampMs = server.timestampMs + 2;
        panel->addServerSample(server);
        panel->addClientSample(client);
        QElapsedTimer timer;
        timer.start();
        panel->redrawNow();
        const qint64 updated = timer.nsecsElapsed();
        // The scenes process their dirty items and the window repaints from posted events.
        QCoreApplication::processEvents();
        panel->repaint();
        const qint64 painted = timer.nsecsElapsed();
        updateNs += updated;
        paintNs += painted - updated;
        worstNs = std::max(worstNs, painted);
    }
    qsizetype points = 0;
    for (int k = 0; k < LiveChartsPanel::kChartCount; ++k) {
        for (QAbstractSeries *series : panel->chart(Kind(k))->chart()->series())
            points += static_cast<QLineSeries *>(series)->count();
    }
    qInfo("full panel redraw (%s, %lld points drawn): update %.1f ms + paint %.1f ms per redraw "
          "(mean of %d), worst %.1f ms",
          QTest::currentDataTag(), qlonglong(points), updateNs / 1e6 / rounds, paintNs / 1e6 / rounds, rounds,
          worstNs / 1e6);

    // Live, as in the window: a sample every 100 ms and the panel's own timer drawing two
    // charts per 33 ms tick; a 5 ms timer sees the longest time the event loop was busy.
    int next = samples + rounds;
    QTimer feed;
    connect(&feed, &QTimer::timeout, this, [&] {
        server.timestampMs = kStartMs + qint64(next++) * 100;
        client.timestampMs = server.timestampMs + 2;
        panel->addServerSample(server);
        panel->addClientSample(client);
    });
    QElapsedTimer clock;
    qint64 last = 0, longest = 0;
    QTimer tick;
    connect(&tick, &QTimer::timeout, this, [&] {
        const qint64 now = clock.elapsed();
        longest = std::max(longest, now - last);
        last = now;
    });
    QEventLoop loop;
    QTimer::singleShot(3000, &loop, &QEventLoop::quit);
    clock.start();
    feed.start(100);
    tick.start(5);
    loop.exec();
    qInfo("live (%s): longest event-loop stall %lld ms over 3 s of samples at 100 ms",
          QTest::currentDataTag(), longest);
}

QTEST_MAIN(TestLiveCharts)
#include "test_live_charts.moc"

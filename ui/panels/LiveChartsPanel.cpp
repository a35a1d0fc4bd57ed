// LiveChartsPanel: see the header.
#include "ui/panels/LiveChartsPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineSeries>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace perflab::ui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMiB = 1024.0 * 1024.0;

// Line indexes, in the order buildCharts() adds them.
enum ThroughputLine { ServerRequestsLine, ServerErrorsLine, ClientRequestsLine, ClientErrorsLine };
enum CacheHitRateLine { ServerHitRateLine };

double windowSeconds(LiveChartsPanel::Window window)
{
    switch (window) {
    case LiveChartsPanel::Window::LastMinute:
        return 60;
    case LiveChartsPanel::Window::LastFiveMinutes:
        return 300;
    case LiveChartsPanel::Window::WholeRun:
        break;
    }
    return 0;
}

void flattenInto(QStringList &out, const QString &prefix, const QJsonValue &value)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            flattenInto(out, prefix.isEmpty() ? it.key() : prefix + QLatin1Char('.') + it.key(), it.value());
        return;
    }
    QString text;
    if (value.isString())
        text = value.toString();
    else if (value.isArray())
        text = QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    else // numbers, booleans, null: their JSON spelling
        text = QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact))
                   .mid(1)
                   .chopped(1);
    out.append(prefix + QStringLiteral(" = ") + text);
}

} // namespace

LiveChartsPanel::LiveChartsPanel(const metrics::SampleSchema &serverSchema, QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("liveChartsPanel"));
    const auto column = [&](const char *name) { return serverSchema.indexOf(QString::fromLatin1(name)); };
    m_server = ServerColumns{
        column("requests"),       column("errors"),         column("latency_count"),
        column("latency_p50_ms"), column("latency_p90_ms"), column("latency_p99_ms"),
        column("latency_max_ms"), column("in_flight"),      column("queue_depth"),
        column("pool_in_use"),    column("pool_waiters"),   column("slow_queries"),
        column("cache_hits"),     column("cache_misses"),   column("bytes_identity"),
        column("bytes_gzip"),
    };

    m_windowBox = new QComboBox(this);
    m_windowBox->setObjectName(QStringLiteral("liveChartsWindow"));
    m_windowBox->addItem(QStringLiteral("Last minute"), QVariant::fromValue(Window::LastMinute));
    m_windowBox->addItem(QStringLiteral("Last 5 minutes"), QVariant::fromValue(Window::LastFiveMinutes));
    m_windowBox->addItem(QStringLiteral("Whole run"), QVariant::fromValue(Window::WholeRun));
    m_windowBox->setCurrentIndex(int(m_window));
    connect(m_windowBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setWindow(m_windowBox->itemData(index).value<Window>()); });

    m_uncorrectedBox = new QCheckBox(QStringLiteral("Uncorrected"), this);
    m_uncorrectedBox->setObjectName(QStringLiteral("liveChartsUncorrected"));
    m_uncorrectedBox->setToolTip(QStringLiteral("Client latency from the actual send instead of the intended "
                                                "send time (hides coordinated omission)"));
    m_uncorrectedBox->setEnabled(false);
    connect(m_uncorrectedBox, &QCheckBox::toggled, this, &LiveChartsPanel::setUncorrected);

    m_viewBox = new QComboBox(this);
    m_viewBox->setObjectName(QStringLiteral("liveChartsView"));
    m_viewBox->addItem(QStringLiteral("All charts"), QVariant::fromValue(View::AllCharts));
    m_viewBox->addItem(QStringLiteral("Latency and throughput"),
                       QVariant::fromValue(View::LatencyAndThroughput));
    m_viewBox->addItem(QStringLiteral("Latency"), QVariant::fromValue(View::Latency));
    m_viewBox->addItem(QStringLiteral("Throughput and errors"), QVariant::fromValue(View::Throughput));
    m_viewBox->addItem(QStringLiteral("Cache hit rate"), QVariant::fromValue(View::CacheHitRate));
    m_viewBox->addItem(QStringLiteral("Slow queries"), QVariant::fromValue(View::SlowQueries));
    m_viewBox->addItem(QStringLiteral("In flight, queue and pool"), QVariant::fromValue(View::Concurrency));
    m_viewBox->addItem(QStringLiteral("Bytes out"), QVariant::fromValue(View::BytesOut));
    m_viewBox->setToolTip(QStringLiteral("Which charts share the room"));
    // The controls row must not make the panel wider than its grid of charts needs.
    m_viewBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_viewBox->setMinimumContentsLength(10);
    connect(m_viewBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setView(m_viewBox->itemData(index).value<View>()); });

    m_routeBox = new QComboBox(this);
    m_routeBox->setObjectName(QStringLiteral("liveChartsRoute"));
    m_routeBox->addItem(QStringLiteral("All routes"), QString());
    // Mix names can be long ("GET /users/{zipf:1..1000000}"): the box does not grow with them.
    m_routeBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_routeBox->setMinimumContentsLength(10);
    m_routeBox->setToolTip(
        QStringLiteral("The latency chart's route (double-click a row of the routes table)"));
    connect(m_routeBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setLatencyRoute(m_routeBox->itemData(index).toString()); });

    m_logBox = new QCheckBox(QStringLiteral("&Log scale"), this);
    m_logBox->setObjectName(QStringLiteral("liveChartsLogLatency"));
    m_logBox->setToolTip(QStringLiteral("The latency chart on a logarithmic axis"));
    m_logBox->setChecked(true);
    connect(m_logBox, &QCheckBox::toggled, this, &LiveChartsPanel::setLatencyLogScale);

    // One row, no wider than the grid of charts needs: the view and route boxes read by their
    // items ("All charts", "All routes") without labels of their own.
    m_viewBox->setAccessibleName(QStringLiteral("Charts shown"));
    m_routeBox->setAccessibleName(QStringLiteral("Latency route"));
    auto *controls = new QHBoxLayout;
    auto *windowLabel = new QLabel(QStringLiteral("&Window:"), this);
    windowLabel->setBuddy(m_windowBox);
    controls->addWidget(windowLabel);
    for (QWidget *control : std::initializer_list<QWidget *>{m_windowBox, m_viewBox, m_routeBox, m_logBox}) {
        controls->addWidget(control);
        controls->addSpacing(8);
    }
    controls->addWidget(m_uncorrectedBox);
    controls->addStretch();

    buildCharts();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layoutCharts();

    m_redraw.setInterval(kRedrawIntervalMs);
    connect(&m_redraw, &QTimer::timeout, this, &LiveChartsPanel::onTimer);
    m_redraw.start();
}

LiveChartsPanel::~LiveChartsPanel() = default;

void LiveChartsPanel::buildCharts()
{
    using Axis = LiveChartWidget::Axis;
    const auto make = [this](ChartKind kind, const QString &title, const QString &axisTitle) {
        auto *chart = new LiveChartWidget(title, axisTitle, this);
        chart->setObjectName(QStringLiteral("liveChart-") + chartName(kind));
        m_charts.at(std::size_t(kind)) = chart;
        return chart;
    };

    LiveChartWidget *latency = make(ChartKind::Latency, QString(), QStringLiteral("ms"));
    for (const char *name : {"p50", "p90", "p99", "max"})
        latency->addLine(QString::fromLatin1(name));
    // A cached route answers in a tenth of a millisecond: the axis may go that low.
    latency->setMinimumTop(Axis::Left, 0.1);
    latency->setLogScale(true);
    updateLatencyTitle();

    LiveChartWidget *throughput =
        make(ChartKind::Throughput, QStringLiteral("Throughput and errors"), QStringLiteral("req/s"));
    throughput->addLine(QStringLiteral("requests/s"));
    throughput->addLine(QStringLiteral("5xx errors/s"), Axis::Right);
    throughput->addLine(QStringLiteral("client responses/s"));
    throughput->addLine(QStringLiteral("client errors/s"), Axis::Right);
    throughput->setRightAxisTitle(QStringLiteral("errors/s"));
    throughput->setMinimumTop(Axis::Left, 10);
    throughput->setLineVisible(ClientRequestsLine, false);
    throughput->setLineVisible(ClientErrorsLine, false);

    LiveChartWidget *hitRate =
        make(ChartKind::CacheHitRate, QStringLiteral("Cache hit rate"), QStringLiteral("%"));
    hitRate->addLine(QStringLiteral("hit rate %"));
    hitRate->setFixedLeftRange(0, 100);

    LiveChartWidget *slow =
        make(ChartKind::SlowQueries, QStringLiteral("Slow queries"), QStringLiteral("queries/s"));
    slow->addLine(QStringLiteral("slow queries/s"));

    LiveChartWidget *concurrency =
        make(ChartKind::Concurrency, QStringLiteral("In flight, queue and pool"), QStringLiteral("count"));
    for (const char *name : {"in flight", "queue depth", "pool in use", "pool waiters"})
        concurrency->addLine(QString::fromLatin1(name));
    concurrency->setMinimumTop(Axis::Left, 5);
    concurrency->setUnit(Axis::Left, QString()); // "↑ 12", not "↑ 12 count"

    LiveChartWidget *bytes =
        make(ChartKind::BytesOut, QStringLiteral("Bytes out by encoding"), QStringLiteral("KiB/s"));
    bytes->addLine(QStringLiteral("identity"));
    bytes->addLine(QStringLiteral("gzip"));
    bytes->setMinimumTop(Axis::Left, 10);
}

void LiveChartsPanel::layoutCharts()
{
    // A fresh grid each time: an old one would keep the stretch of rows no longer used.
    auto *layout = static_cast<QVBoxLayout *>(this->layout());
    delete m_grid;
    m_grid = new QGridLayout;
    m_grid->setSpacing(4);
    layout->addLayout(m_grid, 1);
    int shown = 0;
    for (int i = 0; i < kChartCount; ++i) {
        LiveChartWidget *widget = m_charts.at(std::size_t(i));
        if (!chartShown(i)) {
            widget->hide();
            continue;
        }
        // All six: three rows of two; fewer: one above the other, as wide as the panel.
        if (m_view == View::AllCharts)
            m_grid->addWidget(widget, shown / 2, shown % 2);
        else
            m_grid->addWidget(widget, shown, 0);
        widget->show();
        ++shown;
    }
}

bool LiveChartsPanel::chartShown(int kind) const
{
    switch (m_view) {
    case View::AllCharts:
        return true;
    case View::LatencyAndThroughput:
        return kind == int(ChartKind::Latency) || kind == int(ChartKind::Throughput);
    default:
        return kind == int(m_view) - int(View::Latency);
    }
}

void LiveChartsPanel::setView(View view)
{
    if (m_view == view)
        return;
    m_view = view;
    {
        const QSignalBlocker blocker(m_viewBox);
        m_viewBox->setCurrentIndex(m_viewBox->findData(QVariant::fromValue(view)));
    }
    layoutCharts();
    m_dirty.set(); // the charts shown now were not drawn while hidden
    Q_EMIT viewChanged(view);
}

bool LiveChartsPanel::latencyLogScale() const
{
    return chart(ChartKind::Latency)->logScale();
}

void LiveChartsPanel::setLatencyLogScale(bool log)
{
    const QSignalBlocker blocker(m_logBox);
    m_logBox->setChecked(log);
    chart(ChartKind::Latency)->setLogScale(log);
}

QStringList LiveChartsPanel::knownRoutes() const
{
    QStringList routes;
    for (int i = 1; i < m_routeBox->count(); ++i)
        routes.append(m_routeBox->itemData(i).toString());
    return routes;
}

void LiveChartsPanel::addRouteChoice(const QString &route)
{
    if (route.isEmpty() || m_routeBox->findData(route) >= 0)
        return;
    const QSignalBlocker blocker(m_routeBox);
    m_routeBox->addItem(route, route);
}

void LiveChartsPanel::setLatencyRoute(const QString &routeOrEmpty)
{
    if (m_route == routeOrEmpty)
        return;
    m_route = routeOrEmpty;
    addRouteChoice(routeOrEmpty);
    {
        const QSignalBlocker blocker(m_routeBox);
        m_routeBox->setCurrentIndex(m_routeBox->findData(routeOrEmpty));
    }
    updateLatencyTitle();
    m_dirty.set(std::size_t(ChartKind::Latency));
    Q_EMIT latencyRouteChanged(routeOrEmpty);
}

void LiveChartsPanel::setRouteSnapshotSource(RouteSnapshotSource source)
{
    m_routeSource = std::move(source);
    m_lastRouteSnapshot.reset();
}

void LiveChartsPanel::addRouteSamples(double x)
{
    if (!m_routeSource)
        return;
    std::optional<load::LoadSnapshot> now = m_routeSource();
    if (!now)
        return;
    if (m_lastRouteSnapshot) {
        const load::LoadSnapshot interval = load::LoadSnapshot::between(*now, *m_lastRouteSnapshot);
        for (const load::RouteStats &route : interval.routes) {
            addRouteChoice(route.route);
            std::array<SeriesBuffer, 8> &buffers = m_routeBuffers[route.route];
            int column = 0;
            for (const metrics::LatencyHistogram *histogram : {&route.corrected, &route.uncorrected}) {
                // No response of this route in the interval: a gap, as for all routes.
                const bool answered = histogram->totalCount() > 0;
                for (double percentile : {50.0, 90.0, 99.0}) {
                    buffers[std::size_t(column++)].append(
                        x, answered ? double(histogram->valueAtPercentile(percentile)) / 1000.0 : kNaN);
                }
                buffers[std::size_t(column++)].append(x, answered ? double(histogram->max()) / 1000.0 : kNaN);
            }
        }
        if (!m_route.isEmpty())
            m_dirty.set(std::size_t(ChartKind::Latency));
    }
    m_lastRouteSnapshot = std::move(now);
}

QString LiveChartsPanel::chartName(ChartKind kind)
{
    switch (kind) {
    case ChartKind::Latency:
        return QStringLiteral("latency");
    case ChartKind::Throughput:
        return QStringLiteral("throughput");
    case ChartKind::CacheHitRate:
        return QStringLiteral("cache-hit-rate");
    case ChartKind::SlowQueries:
        return QStringLiteral("slow-queries");
    case ChartKind::Concurrency:
        return QStringLiteral("concurrency");
    case ChartKind::BytesOut:
        return QStringLiteral("bytes-out");
    }
    return {};
}

QString LiveChartsPanel::settingsLabel(const QJsonObject &patch)
{
    QStringList parts;
    flattenInto(parts, QString(), patch);
    return parts.join(QStringLiteral(", "));
}

QLineSeries *LiveChartsPanel::series(ChartKind kind, const QString &name) const
{
    return chart(kind)->series(name);
}

double LiveChartsPanel::xOf(qint64 timestampMs)
{
    if (!m_hasOrigin) {
        m_originMs = timestampMs;
        m_hasOrigin = true;
    }
    return double(timestampMs - m_originMs) / 1000.0;
}

void LiveChartsPanel::addServerSample(const metrics::Sample &sample)
{
    const double x = xOf(sample.timestampMs);
    m_latestX = std::max(m_latestX, x);
    const ServerColumns &c = m_server;
    // An interval without requests has no latency: a gap, not a fall to 0 ms.
    const bool answered = sample.value(c.latencyCount) > 0;
    append(ServerP50, x, answered ? sample.value(c.p50) : kNaN);
    append(ServerP90, x, answered ? sample.value(c.p90) : kNaN);
    append(ServerP99, x, answered ? sample.value(c.p99) : kNaN);
    append(ServerMax, x, answered ? sample.value(c.max) : kNaN);
    append(ServerRequests, x, sample.perSecond(c.requests));
    append(ServerErrors, x, sample.perSecond(c.errors));
    const double hits = sample.value(c.cacheHits);
    const double lookups = hits + sample.value(c.cacheMisses);
    append(HitRate, x, lookups > 0 ? 100.0 * hits / lookups : kNaN);
    append(SlowQueries, x, sample.perSecond(c.slowQueries));
    append(InFlight, x, sample.value(c.inFlight));
    append(QueueDepth, x, sample.value(c.queueDepth));
    append(PoolInUse, x, sample.value(c.poolInUse));
    append(PoolWaiters, x, sample.value(c.poolWaiters));
    append(BytesIdentity, x, sample.perSecond(c.bytesIdentity));
    append(BytesGzip, x, sample.perSecond(c.bytesGzip));
    // An idle lab only moves the time axis: redrawn once a second instead of ten times, so
    // the open window costs next to nothing while nobody sends requests.
    const bool idle = !m_clientAttached && sample.value(c.requests) == 0 && sample.value(c.inFlight) == 0;
    m_idleSamples = idle ? m_idleSamples + 1 : 0;
    if (m_idleSamples % kIdleRedrawEvery == 0 || m_idleSamples == 1)
        m_dirty.set();
}

void LiveChartsPanel::attachClient(const metrics::SampleSchema &clientSchema)
{
    const auto column = [&](const char *name) { return clientSchema.indexOf(QString::fromLatin1(name)); };
    m_client = ClientColumns{
        column("requests"),
        column("errors"),
        column("latency_count"),
        column("latency_p50_ms"),
        column("latency_p90_ms"),
        column("latency_p99_ms"),
        column("latency_max_ms"),
        column("latency_uncorrected_count"),
        column("latency_uncorrected_p50_ms"),
        column("latency_uncorrected_p90_ms"),
        column("latency_uncorrected_p99_ms"),
        column("latency_uncorrected_max_ms"),
    };
    m_clientAttached = true;
    m_uncorrectedBox->setEnabled(true);
    chart(ChartKind::Throughput)->setLineVisible(ClientRequestsLine, true);
    chart(ChartKind::Throughput)->setLineVisible(ClientErrorsLine, true);
    updateLatencyTitle();
    m_dirty.set();
}

void LiveChartsPanel::detachClient()
{
    m_clientAttached = false;
    m_uncorrectedBox->setEnabled(false);
    chart(ChartKind::Throughput)->setLineVisible(ClientRequestsLine, false);
    chart(ChartKind::Throughput)->setLineVisible(ClientErrorsLine, false);
    updateLatencyTitle();
    m_dirty.set();
}

void LiveChartsPanel::addClientSample(const metrics::Sample &sample)
{
    if (!m_clientAttached)
        return; // a late sample of a finished run: its schema may be gone
    const double x = xOf(sample.timestampMs);
    m_latestX = std::max(m_latestX, x);
    const ClientColumns &c = m_client;
    const bool answered = sample.value(c.count) > 0;
    append(ClientP50, x, answered ? sample.value(c.p50) : kNaN);
    append(ClientP90, x, answered ? sample.value(c.p90) : kNaN);
    append(ClientP99, x, answered ? sample.value(c.p99) : kNaN);
    append(ClientMax, x, answered ? sample.value(c.max) : kNaN);
    const bool sent = sample.value(c.uncorrectedCount) > 0;
    append(UncorrectedP50, x, sent ? sample.value(c.uncorrectedP50) : kNaN);
    append(UncorrectedP90, x, sent ? sample.value(c.uncorrectedP90) : kNaN);
    append(UncorrectedP99, x, sent ? sample.value(c.uncorrectedP99) : kNaN);
    append(UncorrectedMax, x, sent ? sample.value(c.uncorrectedMax) : kNaN);
    append(ClientRequests, x, sample.perSecond(c.requests));
    append(ClientErrors, x, sample.perSecond(c.errors));
    addRouteSamples(x);
    m_dirty.set();
}

void LiveChartsPanel::addMarker(qint64 timestampMs, const QString &label)
{
    m_markers.push_back(Marker{xOf(timestampMs), label});
    while (qsizetype(m_markers.size()) > kMaxMarkers)
        m_markers.pop_front();
    m_dirty.set();
}

void LiveChartsPanel::addSettingsMarker(qint64 timestampMs, const QJsonObject &patch)
{
    addMarker(timestampMs, settingsLabel(patch));
}

void LiveChartsPanel::setWindow(Window window)
{
    if (m_window == window)
        return;
    m_window = window;
    const QSignalBlocker blocker(m_windowBox);
    m_windowBox->setCurrentIndex(m_windowBox->findData(QVariant::fromValue(window)));
    m_dirty.set();
}

void LiveChartsPanel::setUncorrected(bool uncorrected)
{
    if (m_uncorrected == uncorrected)
        return;
    m_uncorrected = uncorrected;
    const QSignalBlocker blocker(m_uncorrectedBox);
    m_uncorrectedBox->setChecked(uncorrected);
    updateLatencyTitle();
    m_dirty.set();
}

void LiveChartsPanel::addInstanceFigures(qint64 timestampMs, const QList<InstanceFigures> &figures)
{
    if (figures.isEmpty())
        return;
    const double x = xOf(timestampMs);
    m_latestX = std::max(m_latestX, x);
    LiveChartWidget *throughput = chart(ChartKind::Throughput);
    LiveChartWidget *hitRate = chart(ChartKind::CacheHitRate);
    if (m_allInstancesLine < 0)
        m_allInstancesLine = throughput->addLine(QStringLiteral("all instances"));
    showInstanceLines(true);
    double sum = 0;
    bool anyAnswered = false;
    for (const InstanceFigures &figure : figures) {
        auto [it, added] = m_instances.try_emplace(figure.instance);
        InstanceSeries &instance = it->second;
        if (added) {
            instance.requestsLine = throughput->addLine(QStringLiteral("instance %1").arg(figure.instance));
            instance.hitRateLine = hitRate->addLine(QStringLiteral("instance %1").arg(figure.instance));
        }
        // Shown again after clearInstances() only when it is a member of this cluster too.
        throughput->setLineVisible(instance.requestsLine, true);
        hitRate->setLineVisible(instance.hitRateLine, true);
        instance.shown = true;
        instance.requests.append(x, figure.answered ? figure.requestsPerS : kNaN);
        instance.hitRate.append(x, figure.answered ? figure.hitRatePercent : kNaN);
        if (figure.answered) {
            sum += figure.requestsPerS;
            anyAnswered = true;
        }
    }
    // A shown member missing from the list is a gap too: its line must not bridge the time
    // it was not reported.
    for (auto &[name, instance] : m_instances) {
        const bool listed =
            std::any_of(figures.begin(), figures.end(),
                        [&name](const InstanceFigures &figure) { return figure.instance == name; });
        if (instance.shown && !listed) {
            instance.requests.append(x, kNaN);
            instance.hitRate.append(x, kNaN);
        }
    }
    // No member answered: nothing is known of the cluster, a gap rather than a fall to 0.
    m_allInstances.append(x, anyAnswered ? sum : kNaN);
    m_dirty.set(std::size_t(ChartKind::Throughput));
    m_dirty.set(std::size_t(ChartKind::CacheHitRate));
}

void LiveChartsPanel::clearInstances()
{
    m_allInstances.clear();
    for (auto &[name, instance] : m_instances) {
        instance.requests.clear();
        instance.hitRate.clear();
    }
    showInstanceLines(false);
    m_dirty.set(std::size_t(ChartKind::Throughput));
    m_dirty.set(std::size_t(ChartKind::CacheHitRate));
}

void LiveChartsPanel::showInstanceLines(bool shown)
{
    if (m_instancesShown == shown)
        return;
    m_instancesShown = shown;
    LiveChartWidget *throughput = chart(ChartKind::Throughput);
    LiveChartWidget *hitRate = chart(ChartKind::CacheHitRate);
    // The window's samples are instance 1's: beside "instance 1" they would be the
    // same line twice under two names.
    throughput->setLineVisible(ServerRequestsLine, !shown);
    hitRate->setLineVisible(ServerHitRateLine, !shown);
    if (m_allInstancesLine >= 0)
        throughput->setLineVisible(m_allInstancesLine, shown);
    if (shown)
        return; // each member's lines show as its figures come
    for (auto &[name, instance] : m_instances) {
        throughput->setLineVisible(instance.requestsLine, false);
        hitRate->setLineVisible(instance.hitRateLine, false);
        instance.shown = false;
    }
}

void LiveChartsPanel::clear()
{
    for (SeriesBuffer &buffer : m_buffers)
        buffer.clear();
    // The instance lines stay: the cluster outlives the run.
    m_allInstances.clear();
    for (auto &[name, instance] : m_instances) {
        instance.requests.clear();
        instance.hitRate.clear();
    }
    for (auto &[route, buffers] : m_routeBuffers) {
        for (SeriesBuffer &buffer : buffers)
            buffer.clear();
    }
    m_markers.clear();
    m_hasOrigin = false;
    m_originMs = 0;
    m_latestX = 0;
    m_dirty.set();
}

void LiveChartsPanel::updateLatencyTitle()
{
    if (!m_route.isEmpty()) {
        // One route is the client's view of it, also after its run (what the buffers keep).
        const QString source = !m_clientAttached ? QStringLiteral("client, last run")
                               : m_uncorrected   ? QStringLiteral("client, uncorrected")
                                                 : QStringLiteral("client, corrected");
        chart(ChartKind::Latency)->setTitle(QStringLiteral("Latency of %1 (%2)").arg(m_route, source));
        return;
    }
    const QString source = !m_clientAttached ? QStringLiteral("server")
                           : m_uncorrected   ? QStringLiteral("client, uncorrected")
                                             : QStringLiteral("client, corrected");
    chart(ChartKind::Latency)->setTitle(QStringLiteral("Latency (%1)").arg(source));
}

std::pair<double, double> LiveChartsPanel::visibleRange() const
{
    const double span = windowSeconds(m_window);
    if (span <= 0)
        return {0.0, std::max(m_latestX, 10.0)};
    // Grows with the data until it spans the window, then scrolls: a lab that has just
    // started does not show its first seconds squeezed into the left edge of 5 minutes.
    const double to = std::max(m_latestX, 10.0);
    return {std::max(0.0, to - span), to};
}

void LiveChartsPanel::onTimer()
{
    // A hidden panel (another tab, a minimised window) is drawn when it shows again.
    if (m_dirty.none() || !isVisible())
        return;
    // kChartsPerTick charts per tick, round robin: every chart still redraws 10 times a
    // second, but no tick lays out and paints more than a third of the panel, so the window's
    // longest stall is a third of a full redraw's (which reached 50-65 ms with 5 min of data).
    const auto [fromX, toX] = visibleRange();
    const QList<LiveChartWidget::Marker> markers = visibleMarkers(fromX, toX);
    for (int drawn = 0, tried = 0; drawn < kChartsPerTick && tried < kChartCount; ++tried) {
        const int kind = m_nextChart;
        m_nextChart = (m_nextChart + 1) % kChartCount;
        // A hidden chart stays dirty: it is drawn when the view shows it again.
        if (m_dirty.test(std::size_t(kind)) && chartShown(kind)) {
            redrawChart(ChartKind(kind), fromX, toX, markers);
            ++drawn;
        }
    }
}

QList<LiveChartWidget::Marker> LiveChartsPanel::visibleMarkers(double fromX, double toX) const
{
    QList<LiveChartWidget::Marker> markers;
    for (const Marker &marker : m_markers) {
        if (marker.x >= fromX && marker.x <= toX)
            markers.append(LiveChartWidget::Marker{marker.x, marker.label});
    }
    return markers;
}

void LiveChartsPanel::drawLine(ChartKind kind, int line, Buffer buffer, double fromX, double toX)
{
    LiveChartWidget *widget = chart(kind);
    widget->setLinePoints(line, m_buffers[buffer].points(fromX, toX, widget->maxPointsPerLine()));
}

void LiveChartsPanel::drawBytes(double fromX, double toX)
{
    LiveChartWidget *widget = chart(ChartKind::BytesOut);
    const qsizetype maxPoints = widget->maxPointsPerLine();
    QList<QPointF> identity = m_buffers[BytesIdentity].points(fromX, toX, maxPoints);
    QList<QPointF> gzip = m_buffers[BytesGzip].points(fromX, toX, maxPoints);
    double top = 0;
    for (const QList<QPointF> *points : {&identity, &gzip}) {
        for (const QPointF &p : *points)
            top = std::max(top, std::isnan(p.y()) ? 0.0 : p.y());
    }
    const bool mebibytes = top > 10 * kMiB;
    const double scale = mebibytes ? 1.0 / kMiB : 1.0 / 1024.0;
    for (QList<QPointF> *points : {&identity, &gzip}) {
        for (QPointF &p : *points)
            p.setY(p.y() * scale);
    }
    widget->setLeftAxisTitle(mebibytes ? QStringLiteral("MiB/s") : QStringLiteral("KiB/s"));
    widget->setLinePoints(0, identity);
    widget->setLinePoints(1, gzip);
}

void LiveChartsPanel::redrawNow()
{
    const auto [fromX, toX] = visibleRange();
    const QList<LiveChartWidget::Marker> markers = visibleMarkers(fromX, toX);
    for (int kind = 0; kind < kChartCount; ++kind)
        redrawChart(ChartKind(kind), fromX, toX, markers);
}

void LiveChartsPanel::redrawChart(ChartKind kind, double fromX, double toX,
                                  const QList<LiveChartWidget::Marker> &markers)
{
    m_dirty.reset(std::size_t(kind));
    switch (kind) {
    case ChartKind::Latency: {
        if (!m_route.isEmpty()) {
            LiveChartWidget *widget = chart(ChartKind::Latency);
            const auto it = m_routeBuffers.find(m_route);
            for (int line = 0; line < 4; ++line) {
                if (it == m_routeBuffers.end()) {
                    widget->setLinePoints(line, {});
                    continue;
                }
                const SeriesBuffer &buffer = it->second[std::size_t(line + (m_uncorrected ? 4 : 0))];
                widget->setLinePoints(line, buffer.points(fromX, toX, widget->maxPointsPerLine()));
            }
            break;
        }
        const Buffer base = !m_clientAttached ? ServerP50 : m_uncorrected ? UncorrectedP50 : ClientP50;
        for (int line = 0; line < 4; ++line)
            drawLine(ChartKind::Latency, line, Buffer(base + line), fromX, toX);
        break;
    }
    case ChartKind::Throughput:
        drawLine(ChartKind::Throughput, ServerRequestsLine, ServerRequests, fromX, toX);
        drawLine(ChartKind::Throughput, ServerErrorsLine, ServerErrors, fromX, toX);
        if (m_clientAttached) {
            drawLine(ChartKind::Throughput, ClientRequestsLine, ClientRequests, fromX, toX);
            drawLine(ChartKind::Throughput, ClientErrorsLine, ClientErrors, fromX, toX);
        } else {
            chart(ChartKind::Throughput)->setLinePoints(ClientRequestsLine, {});
            chart(ChartKind::Throughput)->setLinePoints(ClientErrorsLine, {});
        }
        if (m_allInstancesLine >= 0) {
            LiveChartWidget *widget = chart(ChartKind::Throughput);
            const qsizetype maxPoints = widget->maxPointsPerLine();
            widget->setLinePoints(m_allInstancesLine, m_allInstances.points(fromX, toX, maxPoints));
            for (const auto &[name, instance] : m_instances)
                widget->setLinePoints(instance.requestsLine, instance.requests.points(fromX, toX, maxPoints));
        }
        break;
    case ChartKind::CacheHitRate: {
        drawLine(ChartKind::CacheHitRate, ServerHitRateLine, HitRate, fromX, toX);
        LiveChartWidget *widget = chart(ChartKind::CacheHitRate);
        const qsizetype maxPoints = widget->maxPointsPerLine();
        for (const auto &[name, instance] : m_instances)
            widget->setLinePoints(instance.hitRateLine, instance.hitRate.points(fromX, toX, maxPoints));
        break;
    }
    case ChartKind::SlowQueries:
        drawLine(ChartKind::SlowQueries, 0, SlowQueries, fromX, toX);
        break;
    case ChartKind::Concurrency:
        for (int line = 0; line < 4; ++line)
            drawLine(ChartKind::Concurrency, line, Buffer(InFlight + line), fromX, toX);
        break;
    case ChartKind::BytesOut:
        drawBytes(fromX, toX);
        break;
    }
    LiveChartWidget *widget = chart(kind);
    widget->setXRange(fromX, toX);
    widget->setMarkers(markers);
    widget->apply();
}

std::optional<QString> LiveChartsPanel::saveChart(ChartKind kind, const QString &path)
{
    if (m_dirty.test(std::size_t(kind))) {
        const auto [fromX, toX] = visibleRange();
        redrawChart(kind, fromX, toX, visibleMarkers(fromX, toX));
    }
    return chart(kind)->saveAs(path);
}

} // namespace perflab::ui

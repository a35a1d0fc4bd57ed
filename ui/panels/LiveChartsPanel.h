// LiveChartsPanel: the desktop lab's live charts, fed from the lab's Sampler
// (server) and, while a load runs, the load generator's Sampler (client):
//
//   Latency       p50, p90, p99, max (ms): the client's (corrected, or uncorrected when the
//                 toggle is on) while a load is attached, else the server's; the title says which
//   Throughput    requests/s, 5xx errors/s (right axis); client responses/s, client errors/s;
//                 in a cluster, each instance's req/s and all instances' sum
//   CacheHitRate  hit rate % = hits / (hits + misses) per interval, a gap without lookups;
//                 in a cluster, each instance's hit rate
//   SlowQueries   slow queries/s
//   Concurrency   in flight, queue depth, pool in use, pool waiters
//   BytesOut      identity, gzip (KiB/s, or MiB/s once the top passes 10 MiB/s)
//
// The latency chart shows every route merged, or one route (setLatencyRoute, the "Route"
// box, or a routes-table row through the window): per-route client percentiles per
// interval, the difference of the load engine's cumulative per-route histograms
// (LoadSnapshot) taken at each client sample; kept after the run like the other lines.
//
// The latency chart is on a log axis unless "Log scale" is unticked: a 0.3 ms p50 and a 20 ms
// max both stay readable, and halving either is the same step.
//
// The "Show" box gives the charts the room: all six in a grid, latency and throughput large,
// or one chart alone; hidden charts are not redrawn.
//
// Every chart has a vertical marker at each setting change (label on hover) and shares the
// time axis: seconds since the panel's first sample or marker. Samples go into SeriesBuffers
// (bounded memory for runs of hours) and the charts are redrawn from them by a 33 ms timer,
// two charts per tick (each chart 10 times a second), only those with something new and only
// while the panel is visible: one QXYSeries::replace per line,
// each with at most ~2 points per pixel of the plot's width, so the redraw cost does not grow
// with the sample rate or the run's length.
//
// A cluster (the lab run as N instances) adds a line per instance, from each instance's own
// /metrics (addInstanceFigures, once a second): the window's samples only see its in-process
// lab, instance 1, so a balancer that starves one instance shows nowhere else. Instance lines
// are added on first sight, in the order seen (LiveChartWidget cannot remove a line), and
// share the time axis and window; an instance that did not answer is a gap. While they come,
// "requests/s" and "hit rate %" are hidden: they are instance 1 again, under another name.
// clearInstances() (the lab alone again) hides the instance lines and shows those two again.
//
// Line names (for series()): "p50" "p90" "p99" "max" | "requests/s" "5xx errors/s"
// "client responses/s" "client errors/s" "all instances" "instance N" |
// "hit rate %" "instance N" | "slow queries/s" | "in flight" "queue depth" "pool in use"
// "pool waiters" | "identity" "gzip".
#pragma once

#include "engine/load/LoadSnapshot.h"
#include "engine/metrics/Sample.h"
#include "ui/live/LiveChartWidget.h"
#include "ui/live/SeriesBuffer.h"

#include <QJsonObject>
#include <QTimer>
#include <QWidget>

#include <array>
#include <bitset>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <optional>

class QCheckBox;
class QComboBox;
class QGridLayout;
class QLineSeries;

namespace perflab::ui {

class LiveChartsPanel final : public QWidget
{
    Q_OBJECT
public:
    enum class ChartKind { Latency, Throughput, CacheHitRate, SlowQueries, Concurrency, BytesOut };
    Q_ENUM(ChartKind)
    static constexpr int kChartCount = 6;
    enum class Window { LastMinute, LastFiveMinutes, WholeRun };
    Q_ENUM(Window)
    // Which charts get the room; after the two groups, one chart alone (ChartKind order).
    enum class View {
        AllCharts,
        LatencyAndThroughput,
        Latency,
        Throughput,
        CacheHitRate,
        SlowQueries,
        Concurrency,
        BytesOut
    };
    Q_ENUM(View)
    // One cluster member's figures over the last interval, from its own /metrics.
    struct InstanceFigures
    {
        QString instance;        // "1", "2", ...
        bool answered = false;   // false: the instance did not answer (killed): its lines get a gap
        double requestsPerS = 0; // its own requests/s
        double hitRatePercent = std::numeric_limits<double>::quiet_NaN(); // NaN: no cache lookups
    };
    // Per-route latency: the cumulative statistics of the run now, nullopt when there is none.
    using RouteSnapshotSource = std::function<std::optional<load::LoadSnapshot>()>;
    static constexpr qsizetype kMaxMarkers = 500;
    // Two of the six charts per tick (see onTimer): each chart redraws every 99 ms.
    static constexpr int kRedrawIntervalMs = 33;
    static constexpr int kChartsPerTick = 2;

    explicit LiveChartsPanel(const metrics::SampleSchema &serverSchema, QWidget *parent = nullptr);
    ~LiveChartsPanel() override;

    LiveChartWidget *chart(ChartKind kind) const { return m_charts.at(std::size_t(kind)); }
    // The line `name` of chart `kind` (its first segment), nullptr when there is none.
    QLineSeries *series(ChartKind kind, const QString &name) const;
    qsizetype markerCount() const { return qsizetype(m_markers.size()); }
    Window window() const { return m_window; }
    bool uncorrected() const { return m_uncorrected; }
    bool clientAttached() const { return m_clientAttached; }
    View view() const { return m_view; }
    bool latencyLogScale() const;
    QString latencyRoute() const { return m_route; }
    // The routes seen so far (the "Route" box's choices after "All routes").
    QStringList knownRoutes() const;
    // File-name stem of a chart: "latency", "throughput", "cache-hit-rate", "slow-queries",
    // "concurrency", "bytes-out".
    static QString chartName(ChartKind kind);
    // "cache.enabled = true, db.poolSize = 4" for a settings patch (nested objects flattened).
    static QString settingsLabel(const QJsonObject &patch);

    // PNG or SVG by suffix (draws pending data first); nullopt on success, else an error.
    std::optional<QString> saveChart(ChartKind kind, const QString &path);

Q_SIGNALS:
    void viewChanged(perflab::ui::LiveChartsPanel::View view);
    void latencyRouteChanged(const QString &routeOrEmpty);

public Q_SLOTS:
    void addServerSample(const perflab::metrics::Sample &sample);
    // A load run starts: its Sampler's schema (load::loadSamplerSpecs()). The client lines
    // and the client latency show until detachClient().
    void attachClient(const perflab::metrics::SampleSchema &clientSchema);
    void detachClient();
    void addClientSample(const perflab::metrics::Sample &sample);
    void addMarker(qint64 timestampMs, const QString &label);
    void addSettingsMarker(qint64 timestampMs, const QJsonObject &patch);
    void setWindow(perflab::ui::LiveChartsPanel::Window window);
    void setUncorrected(bool uncorrected);
    void setView(perflab::ui::LiveChartsPanel::View view);
    // The latency chart on a log axis (the default: p50 and max differ by 10x and more).
    void setLatencyLogScale(bool log);
    // The latency chart's route, by its request mix name; empty: all routes.
    void setLatencyRoute(const QString &routeOrEmpty);
    // Read at each client sample while a client is attached (the window hands it the run's
    // load engine); an empty function stops it.
    void setRouteSnapshotSource(perflab::ui::LiveChartsPanel::RouteSnapshotSource source);
    // The cluster's members' figures at `timestampMs` (ms since the epoch), one entry per
    // member; shows their lines (and hides the two that are instance 1's) until clearInstances().
    void addInstanceFigures(qint64 timestampMs,
                            const QList<perflab::ui::LiveChartsPanel::InstanceFigures> &figures);
    // Not a cluster any more (the lab restarted alone): the instance lines are hidden and their
    // points dropped; "requests/s" and "hit rate %" show again.
    void clearInstances();
    // A new run: drops every point and marker (instance lines stay); the next sample is time 0.
    void clear();
    // Redraws now whatever the timer and visibility (tests, exports, timing).
    void redrawNow();

private:
    // Indexes into m_buffers.
    enum Buffer {
        ServerP50,
        ServerP90,
        ServerP99,
        ServerMax,
        ClientP50,
        ClientP90,
        ClientP99,
        ClientMax,
        UncorrectedP50,
        UncorrectedP90,
        UncorrectedP99,
        UncorrectedMax,
        ServerRequests,
        ServerErrors,
        ClientRequests,
        ClientErrors,
        HitRate,
        SlowQueries,
        InFlight,
        QueueDepth,
        PoolInUse,
        PoolWaiters,
        BytesIdentity,
        BytesGzip,
        BufferCount
    };
    struct ServerColumns
    {
        qsizetype requests, errors, latencyCount, p50, p90, p99, max, inFlight, queueDepth, poolInUse,
            poolWaiters, slowQueries, cacheHits, cacheMisses, bytesIdentity, bytesGzip;
    };
    struct ClientColumns
    {
        qsizetype requests = -1, errors = -1, count = -1, p50 = -1, p90 = -1, p99 = -1, max = -1,
                  uncorrectedCount = -1, uncorrectedP50 = -1, uncorrectedP90 = -1, uncorrectedP99 = -1,
                  uncorrectedMax = -1;
    };
    struct Marker
    {
        double x = 0;
        QString label;
    };

    void buildCharts();
    void onTimer();
    double xOf(qint64 timestampMs);
    void append(Buffer buffer, double x, double y) { m_buffers[buffer].append(x, y); }
    // The x range the window shows now.
    std::pair<double, double> visibleRange() const;
    void drawLine(ChartKind kind, int line, Buffer buffer, double fromX, double toX);
    void drawBytes(double fromX, double toX);
    void redrawChart(ChartKind kind, double fromX, double toX, const QList<LiveChartWidget::Marker> &markers);
    QList<LiveChartWidget::Marker> visibleMarkers(double fromX, double toX) const;
    void updateLatencyTitle();
    void layoutCharts();
    void addRouteSamples(double x);
    void addRouteChoice(const QString &route);
    bool chartShown(int kind) const;

    ServerColumns m_server{};
    ClientColumns m_client;
    std::array<SeriesBuffer, BufferCount> m_buffers;
    std::array<LiveChartWidget *, kChartCount> m_charts{};
    std::deque<Marker> m_markers;
    QComboBox *m_windowBox = nullptr;
    QCheckBox *m_uncorrectedBox = nullptr;
    QComboBox *m_viewBox = nullptr;
    QComboBox *m_routeBox = nullptr;
    QCheckBox *m_logBox = nullptr;
    QGridLayout *m_grid = nullptr;
    View m_view = View::AllCharts;
    QString m_route;
    RouteSnapshotSource m_routeSource;
    std::optional<load::LoadSnapshot> m_lastRouteSnapshot;
    // Per route: p50, p90, p99, max corrected, then the same uncorrected.
    std::map<QString, std::array<SeriesBuffer, 8>> m_routeBuffers;
    // One cluster member's lines (indexes in the throughput and hit rate charts) and points.
    struct InstanceSeries
    {
        int requestsLine = -1;
        int hitRateLine = -1;
        SeriesBuffer requests;
        SeriesBuffer hitRate;
        bool shown = false; // a member of the cluster now (its lines shown)
    };
    void showInstanceLines(bool shown);
    std::map<QString, InstanceSeries> m_instances; // by instance name
    int m_allInstancesLine = -1;                   // "all instances", once a cluster was seen
    SeriesBuffer m_allInstances;
    bool m_instancesShown = false; // instance lines shown, instance 1's server lines hidden
    QTimer m_redraw;
    Window m_window = Window::LastFiveMinutes;
    qint64 m_originMs = 0;
    bool m_hasOrigin = false;
    double m_latestX = 0;
    bool m_uncorrected = false;
    bool m_clientAttached = false;
    std::bitset<kChartCount> m_dirty;           // charts with something new to draw
    int m_nextChart = 0;                        // round robin of onTimer
    static constexpr int kIdleRedrawEvery = 10; // server samples (100 ms) between idle redraws
    int m_idleSamples = 0;                      // server samples in a row without requests
};

} // namespace perflab::ui

Q_DECLARE_METATYPE(perflab::ui::LiveChartsPanel::InstanceFigures)

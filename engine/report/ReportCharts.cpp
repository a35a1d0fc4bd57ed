// ReportCharts: see the header.
#include "engine/report/ReportCharts.h"

#include <QJsonDocument>

#include <algorithm>
#include <cmath>
#include <functional>

namespace perflab::report {

namespace {

double secondsSinceStart(const RunReport &report, qint64 timestampMs)
{
    return double(timestampMs - report.startedMs) / 1000.0;
}

using ValueOf = std::function<double(const metrics::Sample &)>;

std::vector<ChartPoint> pointsOf(const RunReport &report, const SeriesTable &table, const ValueOf &valueOf)
{
    std::vector<ChartPoint> points;
    points.reserve(table.samples.size());
    qint64 previousMs = 0;
    for (const metrics::Sample &sample : table.samples) {
        // Missing samples (a stalled sampler, a gap in the series) break the line rather than
        // draw a straight segment over time nobody measured.
        const double gapLimitMs = std::max(sample.intervalS, 0.001) * 1000.0 * 1.5;
        if (!points.empty() &&
            double(sample.timestampMs - sample.intervalS * 1000.0 - previousMs) > gapLimitMs)
            points.push_back({secondsSinceStart(report, previousMs) + sample.intervalS, std::nan("")});
        points.push_back({secondsSinceStart(report, sample.timestampMs), valueOf(sample)});
        previousMs = sample.timestampMs;
    }
    return points;
}

bool hasColumns(const SeriesTable &table, std::initializer_list<const char *> columns)
{
    for (const char *column : columns) {
        if (!table.columns.contains(QLatin1String(column)))
            return false;
    }
    return true;
}

ChartSpec baseSpec(const RunReport &report, const QString &id, const QString &title, const QString &yLabel)
{
    ChartSpec spec;
    spec.id = id;
    spec.title = title;
    spec.yLabel = yLabel;
    spec.xMin = 0;
    spec.xMax = std::max(secondsSinceStart(report, report.finishedMs), 0.0);
    for (const PhaseReport &phase : report.phases)
        spec.phases.push_back(
            {phase.name, secondsSinceStart(report, phase.startMs), secondsSinceStart(report, phase.endMs)});
    for (const metrics::TimeSeriesEvent &event : report.events) {
        spec.markers.push_back(
            {secondsSinceStart(report, event.timestampMs), event.kind,
             QString::fromUtf8(QJsonDocument(event.detail).toJson(QJsonDocument::Compact))});
    }
    return spec;
}

// A latency column, NaN where the interval had no samples (a 0 ms "latency" would lie).
void addLatencyLine(ChartSpec &spec, const RunReport &report, const QString &column,
                    const QString &countColumn, const QString &label, const char *colour, bool dashed)
{
    if (!report.client.columns.contains(column))
        return;
    spec.lines.push_back(
        {label, QLatin1String(colour), dashed, clientLatencyPoints(report, column, countColumn)});
}

void addRateLine(ChartSpec &spec, const RunReport &report, const SeriesTable &table, const QString &column,
                 const QString &label, const char *colour)
{
    if (!table.columns.contains(column))
        return;
    spec.lines.push_back({label, QLatin1String(colour), false, ratePoints(report, table, column)});
}

ChartSpec latencyChart(const RunReport &report)
{
    ChartSpec spec = baseSpec(report, QStringLiteral("latency"),
                              QStringLiteral("Latency (client, corrected)"), QStringLiteral("latency (ms)"));
    spec.yUnit = QStringLiteral("ms");
    spec.logY = true;
    const QString count = QStringLiteral("latency_count");
    addLatencyLine(spec, report, QStringLiteral("latency_p50_ms"), count, QStringLiteral("p50"),
                   Palette::Blue, false);
    addLatencyLine(spec, report, QStringLiteral("latency_p90_ms"), count, QStringLiteral("p90"),
                   Palette::Green, false);
    addLatencyLine(spec, report, QStringLiteral("latency_p99_ms"), count, QStringLiteral("p99"),
                   Palette::Orange, false);
    addLatencyLine(spec, report, QStringLiteral("latency_max_ms"), count, QStringLiteral("max"),
                   Palette::Vermillion, false);
    addLatencyLine(spec, report, QStringLiteral("latency_uncorrected_p99_ms"),
                   QStringLiteral("latency_uncorrected_count"), QStringLiteral("p99 uncorrected"),
                   Palette::Orange, true);
    return spec;
}

ChartSpec throughputChart(const RunReport &report)
{
    ChartSpec spec =
        baseSpec(report, QStringLiteral("throughput"), QStringLiteral("Throughput and errors (client)"),
                 QStringLiteral("per second (1/s)"));
    spec.yUnit = QStringLiteral("/s");
    addRateLine(spec, report, report.client, QStringLiteral("requests"), QStringLiteral("requests/s"),
                Palette::Blue);
    addRateLine(spec, report, report.client, QStringLiteral("errors"), QStringLiteral("errors/s"),
                Palette::Vermillion);
    return spec;
}

ChartSpec cacheHitRateChart(const RunReport &report)
{
    ChartSpec spec = baseSpec(report, QStringLiteral("cache-hit-rate"),
                              QStringLiteral("Cache hit rate (server)"), QStringLiteral("hit rate (%)"));
    spec.yUnit = QStringLiteral("%");
    spec.yMax = 100;
    const qsizetype hits = report.server.columns.indexOf(QStringLiteral("cache_hits"));
    const qsizetype misses = report.server.columns.indexOf(QStringLiteral("cache_misses"));
    const auto value = [hits, misses](const metrics::Sample &s) {
        const double lookups = s.value(hits) + s.value(misses);
        return lookups > 0 ? 100.0 * s.value(hits) / lookups : std::nan("");
    };
    spec.lines.push_back({QStringLiteral("hit rate"), QLatin1String(Palette::Green), false,
                          pointsOf(report, report.server, value)});
    return spec;
}

ChartSpec slowQueriesChart(const RunReport &report)
{
    ChartSpec spec = baseSpec(report, QStringLiteral("slow-queries"), QStringLiteral("Slow queries (server)"),
                              QStringLiteral("slow queries per second (1/s)"));
    spec.yUnit = QStringLiteral("/s");
    addRateLine(spec, report, report.server, QStringLiteral("slow_queries"), QStringLiteral("slow queries/s"),
                Palette::Purple);
    return spec;
}

} // namespace

std::vector<ChartPoint> clientLatencyPoints(const RunReport &report, const QString &column,
                                            const QString &countColumn)
{
    const SeriesTable &client = report.client;
    const qsizetype index = client.columns.indexOf(column);
    if (index < 0)
        return {};
    const qsizetype countIndex = client.columns.indexOf(countColumn);
    const auto value = [index, countIndex](const metrics::Sample &s) {
        return countIndex >= 0 && s.value(countIndex) <= 0 ? std::nan("") : s.value(index);
    };
    return pointsOf(report, client, value);
}

std::vector<ChartPoint> ratePoints(const RunReport &report, const SeriesTable &table, const QString &column)
{
    const qsizetype index = table.columns.indexOf(column);
    if (index < 0)
        return {};
    const auto value = [index](const metrics::Sample &s) { return s.perSecond(index); };
    return pointsOf(report, table, value);
}

std::vector<NamedChart> reportCharts(const RunReport &report)
{
    std::vector<NamedChart> charts;
    charts.push_back({QStringLiteral("latency.svg"), latencyChart(report)});
    charts.push_back({QStringLiteral("throughput.svg"), throughputChart(report)});
    if (hasColumns(report.server, {"cache_hits", "cache_misses"}))
        charts.push_back({QStringLiteral("cache-hit-rate.svg"), cacheHitRateChart(report)});
    if (hasColumns(report.server, {"slow_queries"}))
        charts.push_back({QStringLiteral("slow-queries.svg"), slowQueriesChart(report)});
    return charts;
}

} // namespace perflab::report

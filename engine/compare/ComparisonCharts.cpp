// ComparisonCharts: see the header.
#include "engine/compare/ComparisonCharts.h"

#include "engine/compare/RunComparison.h"
#include "engine/report/ReportStats.h"

#include <QSet>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace perflab::compare {

namespace {

constexpr double kSpectrumStep = 0.02; // decades of 1/(1 − p)
constexpr int kMaxDecades = 6;         // 99.9999 %

using report::ChartLine;
using report::ChartSpec;

std::vector<report::ChartTick> percentileTicks(int decades)
{
    static const char *const labels[] = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};
    std::vector<report::ChartTick> ticks;
    for (int d = 0; d <= decades; ++d)
        ticks.push_back({double(d), QString::fromLatin1(labels[d])});
    return ticks;
}

ChartSpec spectrumChart(const QString &id, const QString &phase, const std::optional<RouteFigures> &a,
                        const std::optional<RouteFigures> &b)
{
    ChartSpec spec;
    spec.id = id;
    spec.title = QStringLiteral("Latency by percentile: phase '%1', all routes (corrected)").arg(phase);
    spec.yLabel = QStringLiteral("latency (ms)");
    spec.yUnit = QStringLiteral("ms");
    spec.xLabel = QStringLiteral("percentile (axis: 1/(1 − p), log)");
    spec.logY = true;
    double maxX = 1, maxY = 0;
    for (const auto &[side, label, colour] :
         {std::tuple{&a, "A", report::Palette::Blue}, std::tuple{&b, "B", report::Palette::Orange}}) {
        if (!*side)
            continue;
        ChartLine line{QLatin1String(label), QLatin1String(colour), false,
                       spectrumPoints((*side)->corrected)};
        for (const report::ChartPoint &p : line.points) {
            maxX = std::max(maxX, p.x);
            maxY = std::max(maxY, p.y);
        }
        spec.lines.push_back(std::move(line));
    }
    const int decades = std::clamp(int(std::ceil(maxX - 1e-9)), 1, kMaxDecades);
    spec.xMin = 0;
    spec.xMax = decades;
    spec.xTicks = percentileTicks(decades);
    // The whole spectrum, max included: the tail is what this chart is for, so no clipping.
    if (maxY > 0)
        spec.yMax = maxY;
    return spec;
}

bool samePhases(const SavedRun &a, const SavedRun &b)
{
    if (a.phases.size() != b.phases.size())
        return false;
    for (std::size_t i = 0; i < a.phases.size(); ++i) {
        if (a.phases[i].name != b.phases[i].name)
            return false;
    }
    return true;
}

ChartSpec timeChart(const SavedRun &a, const SavedRun &b, const QString &id, const QString &title,
                    const QString &yLabel, const QString &yUnit)
{
    ChartSpec spec;
    spec.id = id;
    spec.title = title;
    spec.yLabel = yLabel;
    spec.yUnit = yUnit;
    spec.xLabel = QStringLiteral("time since each run's start (s)");
    spec.xMin = 0;
    spec.xMax = std::max({a.durationS, b.durationS, 0.0});
    if (samePhases(a, b)) {
        for (const SavedPhase &phase : a.phases)
            spec.phases.push_back({phase.name, phase.startS, phase.endS});
    }
    return spec;
}

} // namespace

std::vector<report::ChartPoint> spectrumPoints(const metrics::LatencyHistogram &histogram)
{
    std::vector<report::ChartPoint> points;
    const std::uint64_t count = histogram.totalCount();
    if (count == 0)
        return points;
    const double lastX = count > 1 ? std::log10(double(count)) : 0.0;
    for (int i = 0; double(i) * kSpectrumStep <= lastX + 1e-9; ++i) {
        const double x = double(i) * kSpectrumStep;
        const double percentile = 100.0 * (1.0 - std::pow(10.0, -x));
        points.push_back({x, double(histogram.valueAtPercentile(percentile)) / 1000.0});
    }
    points.push_back({lastX, double(histogram.max()) / 1000.0});
    return points;
}

std::vector<report::NamedChart> comparisonCharts(const SavedRun &a, const SavedRun &b)
{
    std::vector<report::NamedChart> charts;
    QSet<QString> slugs;
    for (const ComparisonRow &row : compareRuns(a, b)) {
        if (row.route != QLatin1String("all"))
            continue;
        // Unique file names: phases whose names differ only in punctuation share a slug.
        const QString base = report::slugify(row.phase);
        QString slug = base.isEmpty() ? QStringLiteral("phase") : base;
        for (int n = 2; slugs.contains(slug); ++n)
            slug = QStringLiteral("%1-%2").arg(base).arg(n);
        slugs.insert(slug);
        const QString id = QStringLiteral("spectrum-") + slug;
        charts.push_back({id + QStringLiteral(".svg"), spectrumChart(id, row.phase, row.a, row.b)});
    }

    ChartSpec throughput =
        timeChart(a, b, QStringLiteral("throughput"), QStringLiteral("Throughput (client): A and B"),
                  QStringLiteral("requests per second (1/s)"), QStringLiteral("/s"));
    throughput.lines.push_back(
        {QStringLiteral("A requests/s"), QLatin1String(report::Palette::Blue), false, a.requestsPerS});
    throughput.lines.push_back(
        {QStringLiteral("B requests/s"), QLatin1String(report::Palette::Orange), false, b.requestsPerS});
    charts.push_back({QStringLiteral("throughput.svg"), std::move(throughput)});

    ChartSpec p99 =
        timeChart(a, b, QStringLiteral("p99"), QStringLiteral("p99 latency (client, corrected): A and B"),
                  QStringLiteral("p99 latency (ms)"), QStringLiteral("ms"));
    p99.logY = true;
    p99.lines.push_back({QStringLiteral("A p99"), QLatin1String(report::Palette::Blue), false, a.p99Ms});
    p99.lines.push_back({QStringLiteral("B p99"), QLatin1String(report::Palette::Orange), false, b.p99Ms});
    charts.push_back({QStringLiteral("p99.svg"), std::move(p99)});
    return charts;
}

} // namespace perflab::compare

// See SweepCharts.h.
#include "engine/knee/SweepCharts.h"

#include <algorithm>

namespace perflab::knee {

namespace {

report::ChartLine line(const QString &label, const char *colour, bool dashed = false)
{
    report::ChartLine line;
    line.label = label;
    line.colour = QLatin1String(colour);
    line.dashed = dashed;
    return line;
}

} // namespace

std::vector<report::NamedChart> sweepCharts(const KneeResult &result)
{
    std::vector<const KneeStep *> steps;
    for (const KneeStep &step : result.steps)
        steps.push_back(&step);
    std::stable_sort(steps.begin(), steps.end(),
                     [](const KneeStep *a, const KneeStep *b) { return a->concurrency < b->concurrency; });
    const double measuredMax = steps.empty() ? 1.0 : double(steps.back()->concurrency);
    double xMax = measuredMax;
    if (result.usl && result.usl->peakConcurrency && *result.usl->peakConcurrency <= 2 * measuredMax)
        xMax = std::max(xMax, *result.usl->peakConcurrency);

    report::ChartSpec throughput;
    throughput.id = QStringLiteral("sweep-throughput");
    throughput.title = QStringLiteral("Throughput against concurrency (closed loop)");
    throughput.xLabel = QStringLiteral("clients");
    throughput.yLabel = QStringLiteral("throughput (req/s)");
    throughput.yUnit = QStringLiteral("/s");
    throughput.xMin = 0;
    throughput.xMax = xMax;
    report::ChartLine measured = line(QStringLiteral("measured"), report::Palette::Blue);
    for (const KneeStep *step : steps)
        measured.points.push_back({double(step->concurrency), step->achievedRps});
    throughput.lines.push_back(measured);
    if (result.usl) {
        report::ChartLine fitted = line(QStringLiteral("USL fit"), report::Palette::Orange, true);
        constexpr int kSamples = 200; // a smooth curve at any chart width
        for (int i = 0; i <= kSamples; ++i) {
            const double n = 1 + (xMax - 1) * double(i) / kSamples;
            fitted.points.push_back({n, result.usl->throughputAt(n)});
        }
        throughput.lines.push_back(fitted);
    }

    report::ChartSpec latency;
    latency.id = QStringLiteral("sweep-latency");
    latency.title = QStringLiteral("Latency against concurrency (closed loop)");
    latency.xLabel = QStringLiteral("clients");
    latency.yLabel = QStringLiteral("latency (ms)");
    latency.yUnit = QStringLiteral("ms");
    latency.logY = true;
    latency.xMin = 0;
    latency.xMax = xMax;
    report::ChartLine p50 = line(QStringLiteral("p50"), report::Palette::Blue);
    report::ChartLine p99 = line(QStringLiteral("p99"), report::Palette::Vermillion);
    for (const KneeStep *step : steps) {
        p50.points.push_back({double(step->concurrency), step->p50Ms});
        p99.points.push_back({double(step->concurrency), step->p99Ms});
    }
    latency.lines = {p50, p99};

    return {{QStringLiteral("sweep-throughput.svg"), throughput},
            {QStringLiteral("sweep-latency.svg"), latency}};
}

} // namespace perflab::knee

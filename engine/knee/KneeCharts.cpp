// See KneeCharts.h.
#include "engine/knee/KneeCharts.h"

#include "engine/knee/KneeText.h"
#include "engine/knee/SweepCharts.h"

#include <algorithm>

namespace perflab::knee {

namespace {

std::vector<const KneeStep *> byOfferedRate(const KneeResult &result)
{
    std::vector<const KneeStep *> steps;
    for (const KneeStep &step : result.steps)
        steps.push_back(&step);
    std::stable_sort(steps.begin(), steps.end(),
                     [](const KneeStep *a, const KneeStep *b) { return a->offeredRps < b->offeredRps; });
    return steps;
}

report::ChartLine line(const QString &label, const char *colour, bool dashed = false)
{
    report::ChartLine line;
    line.label = label;
    line.colour = QLatin1String(colour);
    line.dashed = dashed;
    return line;
}

// The axis and bands both charts share.
report::ChartSpec frame(const KneeResult &result, double xMax)
{
    report::ChartSpec spec;
    spec.xLabel = QStringLiteral("offered rate (req/s)");
    spec.xMin = 0;
    spec.xMax = xMax;
    if (result.capacityStep && result.capacityRps > 0) {
        spec.phases.push_back(
            {QStringLiteral("sustained, up to %1 req/s").arg(formatRate(result.capacityRps)), 0,
             result.capacityRps});
        if (result.capacityRps < xMax)
            spec.phases.push_back({QStringLiteral("past the knee"), result.capacityRps, xMax});
    }
    return spec;
}

} // namespace

std::vector<report::NamedChart> kneeCharts(const KneeResult &result)
{
    if (result.search.concurrencySweep)
        return sweepCharts(result);
    const std::vector<const KneeStep *> steps = byOfferedRate(result);
    const double xMax = steps.empty() ? 1.0 : steps.back()->offeredRps;

    report::ChartSpec rate = frame(result, xMax);
    rate.id = QStringLiteral("knee-rate");
    rate.title = QStringLiteral("Achieved against offered rate");
    rate.yLabel = QStringLiteral("achieved (req/s)");
    rate.yUnit = QStringLiteral("/s");
    report::ChartLine achieved = line(QStringLiteral("achieved"), report::Palette::Blue);
    report::ChartLine offered = line(QStringLiteral("offered (y = x)"), report::Palette::Orange, true);
    offered.points = {{0, 0}, {xMax, xMax}};
    for (const KneeStep *step : steps)
        achieved.points.push_back({step->offeredRps, step->achievedRps});
    rate.lines = {achieved, offered};

    report::ChartSpec latency = frame(result, xMax);
    latency.id = QStringLiteral("knee-latency");
    latency.title = QStringLiteral("Latency against offered rate (corrected for coordinated omission)");
    latency.yLabel = QStringLiteral("latency (ms)");
    latency.yUnit = QStringLiteral("ms");
    latency.logY = true;
    report::ChartLine p50 = line(QStringLiteral("p50"), report::Palette::Blue);
    report::ChartLine p99 = line(QStringLiteral("p99"), report::Palette::Vermillion);
    const double bound = result.search.bounds.p99Ms;
    report::ChartLine limit =
        line(QStringLiteral("p99 bound (%1 ms)").arg(bound), report::Palette::Orange, true);
    limit.points = {{0, bound}, {xMax, bound}};
    for (const KneeStep *step : steps) {
        p50.points.push_back({step->offeredRps, step->p50Ms});
        p99.points.push_back({step->offeredRps, step->p99Ms});
    }
    latency.lines = {p50, p99, limit};
    // Headroom over the bound and the highest p99: on a log axis whose top is the next nice
    // number, a bound of 200 ms would otherwise sit on the frame's edge.
    double highest = bound;
    for (const KneeStep *step : steps)
        highest = std::max(highest, step->p99Ms);
    latency.yMax = highest * 1.5;

    return {{QStringLiteral("knee-rate.svg"), rate}, {QStringLiteral("knee-latency.svg"), latency}};
}

} // namespace perflab::knee

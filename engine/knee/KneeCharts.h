// KneeCharts: the two charts of a capacity search, as the report's chart descriptions
// (report::ChartSpec), so the SVG writer, knee.html and the PNG renderer of the UI library
// draw them as they draw a run's charts. The x axis is the offered rate, each step one point
// (steps in rate order, refinements included):
//   knee-rate     achieved against offered, with the line y = x (dashed) that a service
//                 keeping up follows
//   knee-latency  (log y) p50 and p99 against offered, the p99 bound dashed
// The capacity splits both into two bands, "sustained" and "past the knee". A concurrency
// sweep has its own two charts instead (SweepCharts).
#pragma once

#include "engine/knee/KneeResult.h"
#include "engine/report/ReportCharts.h"

#include <vector>

namespace perflab::knee {

// File names "knee-rate.svg" and "knee-latency.svg" (charts/ in the output folder); a
// sweep's "sweep-throughput.svg" and "sweep-latency.svg".
std::vector<report::NamedChart> kneeCharts(const KneeResult &result);

} // namespace perflab::knee

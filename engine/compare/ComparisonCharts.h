// ComparisonCharts: the charts of a comparison folder (charts/*.svg and *.png, inlined in
// comparison.html, drawn in comparison.pdf), as report::ChartSpecs so the SVG (engine) and the
// QtCharts PNG/PDF (ui) are drawn from one description:
//   spectrum-<phase>   per phase, the "all" row's percentile spectra of A and B overlaid on
//                      HdrHistogram's own axis: x = log10(1/(1 − p)), so 90 %, 99 %, 99.9 % are
//                      equal steps and the tail gets as much room as the median; y the corrected
//                      latency in ms on a log axis (p50 and the max differ by 10x and more, and a
//                      halving reads the same at any height). Each line stops where its sample
//                      count runs out (1 − 1/count): beyond it a "99.999 %" is the max again.
//   throughput         requests per second of A and B over time since each run's start
//   p99                the corrected p99 of A and B over time (log y)
// A is blue and B orange (Okabe-Ito: apart without colour vision too). The time charts show the
// phases as bands when both runs have the same phases in the same order (A's timing), else
// none: bands of one run would mislabel the other.
#pragma once

#include "engine/compare/SavedRun.h"
#include "engine/report/ReportCharts.h"

#include <vector>

namespace perflab::compare {

// The spectrum of one histogram: x = log10(1/(1 − p)) in steps of 0.02 (50 points a decade)
// up to log10(count), then the max; y in ms. Empty for an empty histogram.
std::vector<report::ChartPoint> spectrumPoints(const metrics::LatencyHistogram &histogram);

std::vector<report::NamedChart> comparisonCharts(const SavedRun &a, const SavedRun &b);

} // namespace perflab::compare

// SweepCharts: the charts of a concurrency sweep, as report chart descriptions like
// KneeCharts', against the number of clients:
//   sweep-throughput  the measured throughput, and the fitted USL curve (dashed) over the
//                     sweep's range, on to its predicted peak when that lies within twice it
//   sweep-latency     (log y) p50 and p99
#pragma once

#include "engine/knee/KneeResult.h"
#include "engine/report/ReportCharts.h"

#include <vector>

namespace perflab::knee {

// File names "sweep-throughput.svg" and "sweep-latency.svg".
std::vector<report::NamedChart> sweepCharts(const KneeResult &result);

} // namespace perflab::knee

// ReportCharts: the charts of a run (charts/*.svg, inlined in report.html), built from the
// RunReport's time series: which columns, colours and transforms make each chart.
//   latency          (log y axis) client latency_p50/p90/p99/max_ms (corrected) and
//                    latency_uncorrected_p99_ms dashed; intervals without responses
//                    (latency_count 0) are gaps, not zeros
//   throughput       client requests and errors per second
//   cache-hit-rate   server cache_hits / (cache_hits + cache_misses) in %, only when the server
//                    series has both columns (gaps where there was no lookup)
//   slow-queries     server slow_queries per second, only when the server series has it
// Missing samples (more than half an interval between one sample and the next) break the
// lines. Every chart carries the phases and the events (markers with the detail as JSON).
#pragma once

#include "engine/report/RunReport.h"
#include "engine/report/SvgChart.h"

#include <vector>

namespace perflab::report {

struct NamedChart
{
    QString fileName; // "latency.svg"
    ChartSpec spec;
};

std::vector<NamedChart> reportCharts(const RunReport &report);

// The points of one line as these charts draw it, x in seconds since the run's start, NaN where
// samples are missing (and, for a latency column, where `countColumn` says the interval had no
// responses): the lines a comparison of two saved runs overlays. Empty without the column.
std::vector<ChartPoint> clientLatencyPoints(const RunReport &report, const QString &column,
                                            const QString &countColumn);
// A counter column per second (Sample::perSecond).
std::vector<ChartPoint> ratePoints(const RunReport &report, const SeriesTable &table, const QString &column);

} // namespace perflab::report

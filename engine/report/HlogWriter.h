// HlogWriter: latency.hlog, the run's interval histograms as an HdrHistogram interval log
// (format version 1.3, what HdrHistogram Java's HistogramLogWriter writes and every
// HdrHistogram library's log reader reads): a comment saying what it holds, the
// #[StartTime: …] and #[BaseTime: …] lines (both the run's start, in seconds since the epoch
// with ms), the legend, then one line per interval, in time order:
//   Tag=<phase>/<route>,<start s after BaseTime>,<length s>,<max ms>,<base64 V2 compressed>
// The histograms are the corrected ones (coordinated omission, as the report's figures), in
// integer µs; Interval_Max is divided by 1000 (HdrHistogram's "max value unit ratio"), so it
// reads in ms as everywhere else in the report. Tags: report/HlogTag.h.
#pragma once

#include "engine/report/RunReport.h"

#include <QByteArray>

namespace perflab::report {

inline constexpr double kHlogMaxValueUnitRatio = 1000.0; // µs -> ms for Interval_Max

QByteArray hlogText(const RunReport &report);

} // namespace perflab::report

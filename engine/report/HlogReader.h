// HlogReader: reads an HdrHistogram interval log (.hlog) back: perflab's latency.hlog
// (HlogWriter.h) and what other HdrHistogram writers produce (Java's HistogramLogWriter,
// hdr-histogram-js, wrk2-style tools). It accepts what HdrHistogram Java's HistogramLogReader
// accepts: comment lines ("#..."), the #[StartTime: …] and #[BaseTime: …] lines, the legend
// ("StartTimestamp"... or the older "Timestamp"...), blank lines, interval lines with or
// without "Tag=", fields split at commas (spaces around them ignored).
// Times: with a BaseTime the interval starts are relative to it; without one, as in Java, a
// start more than a year before StartTime is taken as relative to StartTime, else absolute.
// Histograms in any HdrHistogram layout are re-recorded into LatencyHistogram's (decodeHdrV2).
//
// Never crashes on a damaged file: the first fault is an error naming its line (1-based) and
// what was wrong ("line 7: Interval_Length: expected a number, got \"x\"").
#pragma once

#include "engine/metrics/LatencyHistogram.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <variant>
#include <vector>

namespace perflab::report {

// An interval keeps its histogram encoded (checked to decode when read): a LatencyHistogram
// takes 184 KiB, a 10-minute log of 5 routes has 3000 intervals.
struct HlogInterval
{
    double startS = 0; // seconds since the epoch (or since an unknown origin: no StartTime/BaseTime)
    double lengthS = 0;
    double maxField = 0;         // Interval_Max as written (perflab's: ms)
    std::uint64_t count = 0;     // the histogram's total count
    QByteArray encodedHistogram; // HdrHistogram V2 (compressed or not), base64-decoded

    // In the writer's unit (perflab's: µs), re-recorded into LatencyHistogram's layout.
    metrics::LatencyHistogram histogram() const;
};

struct HlogTagIntervals
{
    QByteArray tag;                      // as in the file, still encoded; "" for lines without "Tag="
    std::vector<HlogInterval> intervals; // in file order

    metrics::LatencyHistogram merged() const; // every interval added
};

struct HlogLog
{
    double startTimeS = 0;              // #[StartTime: …], 0 when absent
    std::vector<HlogTagIntervals> tags; // in order of first appearance
};

std::variant<HlogLog, QString> readHlog(QByteArrayView text);

} // namespace perflab::report

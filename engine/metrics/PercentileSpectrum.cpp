// LatencyHistogram::percentileSpectrum(): the .hgrm text of wrk2 and HdrHistogram.
//
// A line-for-line port of HdrHistogram_c's percentile iterator (hdr_iter_percentile_init /
// percentile_iter_next) and hdr_percentiles_print(CLASSIC), with the same printf formats, so
// the output is byte-identical to the C library's for the same counts and can be fed to the
// usual plotting tools (HdrHistogram's plotFiles.html, wrk2 comparisons). Two deviations, both
// where the C code has no sensible answer: an empty histogram prints 0 (not NaN) for mean and
// standard deviation; the total is the sum of the counts read (self-consistent on a live
// histogram).
#include "engine/metrics/LatencyHistogram.h"

#include <QString>
#include <QTextStream>

#include <cinttypes>
#include <cmath>
#include <cstdio>

namespace perflab::metrics {

namespace {

// State of HdrHistogram's struct hdr_iter with its percentile specifics.
struct PercentileIterator
{
    const LatencyHistogram &histogram;
    std::uint64_t totalCount;
    int ticksPerHalfDistance;
    int lastIndex;

    int countsIndex = -1;
    std::uint64_t count = 0;
    std::uint64_t cumulativeCount = 0;
    std::int64_t highestEquivalentValue = 0;
    bool seenLastValue = false;
    bool started = false; // the C iterator's counts_index == -1: no bucket visited yet
    double percentileToIterateTo = 0.0;
    double percentile = 0.0;

    bool hasNext() const { return cumulativeCount < totalCount; }

    // move_next(); indexes past lastIndex are all zero and never reached while hasNext().
    bool moveNext()
    {
        ++countsIndex;
        if (countsIndex >= LatencyHistogram::kCountsLength)
            return false;
        count = countsIndex <= lastIndex ? histogram.countAtIndex(countsIndex) : 0;
        cumulativeCount += count;
        const std::int64_t value = LatencyHistogram::valueAtIndex(countsIndex);
        highestEquivalentValue = LatencyHistogram::highestEquivalentValue(value);
        return true;
    }

    bool basicNext()
    {
        if (!hasNext() || countsIndex >= LatencyHistogram::kCountsLength)
            return false;
        moveNext();
        return true;
    }

    bool next()
    {
        if (!hasNext()) {
            if (seenLastValue)
                return false;
            seenLastValue = true;
            percentile = 100.0;
            return true;
        }
        if (!started) {
            started = true;
            if (!basicNext())
                return false;
        }
        do {
            const double currentPercentile =
                (100.0 * static_cast<double>(cumulativeCount)) / static_cast<double>(totalCount);
            if (count != 0 && percentileToIterateTo <= currentPercentile) {
                percentile = percentileToIterateTo;
                const auto temp =
                    static_cast<std::int64_t>(std::log(100 / (100.0 - percentileToIterateTo)) / std::log(2)) +
                    1;
                const auto halfDistance = static_cast<std::int64_t>(std::pow(2, static_cast<double>(temp)));
                const std::int64_t reportingTicks = ticksPerHalfDistance * halfDistance;
                percentileToIterateTo += 100.0 / static_cast<double>(reportingTicks);
                return true;
            }
        } while (basicNext());
        return true;
    }
};

void print(QTextStream &out, const char *format, auto... args)
{
    char line[256];
    const int length = std::snprintf(line, sizeof line, format, args...);
    if (length > 0)
        out << QLatin1String(line, std::min<int>(length, sizeof line - 1));
}

} // namespace

void LatencyHistogram::percentileSpectrum(QTextStream &out, int ticksPerHalfDistance, double unitScale) const
{
    const int first = firstIndex();
    const int last = lastIndex();
    std::uint64_t total = 0;
    for (int i = first; i <= last; ++i)
        total += countAtIndex(i);

    print(out, "%12s %12s %12s %12s\n\n", "Value", "Percentile", "TotalCount", "1/(1-Percentile)");

    PercentileIterator iterator{*this, total, ticksPerHalfDistance, last};
    // Indexes below firstIndex() are zero: the first step goes straight there (the iterator only
    // reports non-zero buckets, so this changes nothing but the time taken). The step itself
    // stays inside next(), as in C: taken before it, a histogram whose samples all share one
    // bucket lost its 0 % line (hdr-histogram-js's output showed it).
    if (total != 0)
        iterator.countsIndex = first - 1;
    while (iterator.next()) {
        const double value = static_cast<double>(iterator.highestEquivalentValue) / unitScale;
        const double percentile = iterator.percentile / 100.0;
        const double invertedPercentile = 1.0 / (1.0 - percentile);
        print(out, "%12.3f %12f %12" PRIu64 " %12.2f\n", value, percentile, iterator.cumulativeCount,
              invertedPercentile);
    }

    const std::int64_t maxValue = max() == 0 ? 0 : highestEquivalentValue(max());
    print(out,
          "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n"
          "#[Max     = %12.3f, Total count    = %12" PRIu64 "]\n"
          "#[Buckets = %12d, SubBuckets     = %12d]\n",
          hdrMean() / unitScale, stddev() / unitScale, static_cast<double>(maxValue) / unitScale, total,
          kBucketCount, kSubBucketCount);
}

} // namespace perflab::metrics

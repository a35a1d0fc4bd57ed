// Helpers of the HdrHistogram V2 tests: the percentile rule of HdrHistogram's Java and JS
// libraries, and the histograms both suites encode.
#pragma once

#include "engine/metrics/LatencyHistogram.h"

#include <QString>

#include <cstdint>
#include <functional>
#include <vector>

namespace perflab::metrics::test {

// HdrHistogram's Java and JS libraries (getValueAtPercentile()) take the sample of rank
// ceil(p/100 * n), less one ulp so that a product which floating point puts a hair above an
// integer is not rounded past it; the C library and LatencyHistogram::valueAtPercentile() take
// round(p/100 * n). Both then answer the highest value equivalent to that sample's bucket. The
// ranks differ when the fraction of p/100 * n is below one half (n = 190, p = 99: 188.1 gives
// 189 against 188).
std::uint64_t percentileRankRoundedUp(double percentile, std::uint64_t totalCount);
// LatencyHistogram::valueAtPercentile() asked for the percentile whose rounded rank is the
// rounded-up rank above: what hdr-histogram-js answers for the same counts.
std::int64_t valueAtPercentileRoundedUp(const LatencyHistogram &histogram, double percentile);

struct NamedHistogram
{
    QString name;
    std::function<void(LatencyHistogram &)> fill;
};
// Empty, one value, the layout's edges, 10^6 values over 1 µs .. 1 h, large counts (their
// total below 2^53, where JavaScript's numbers are still exact), long runs of zeros, a
// coordinated-omission correction, and 190 values where the two percentile rules disagree.
std::vector<NamedHistogram> variedHistograms();

} // namespace perflab::metrics::test

#include "HdrTestSupport.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

using namespace Qt::StringLiterals;

namespace perflab::metrics::test {

std::uint64_t percentileRankRoundedUp(double percentile, std::uint64_t totalCount)
{
    const double exact = std::min(percentile, 100.0) / 100.0 * static_cast<double>(totalCount);
    const double ulp = std::nextafter(exact, std::numeric_limits<double>::infinity()) - exact;
    return std::max<std::uint64_t>(static_cast<std::uint64_t>(std::ceil(exact - ulp)), 1);
}

std::int64_t valueAtPercentileRoundedUp(const LatencyHistogram &histogram, double percentile)
{
    const std::uint64_t total = histogram.totalCount();
    if (total == 0)
        return 0;
    const std::uint64_t rank = std::min(percentileRankRoundedUp(percentile, total), total);
    return histogram.valueAtPercentile(100.0 * static_cast<double>(rank) / static_cast<double>(total));
}

std::vector<NamedHistogram> variedHistograms()
{
    constexpr std::int64_t hour = LatencyHistogram::kHighestTrackableUs;
    return {
        {u"empty"_s, [](LatencyHistogram &) {}},
        {u"one value"_s, [](LatencyHistogram &h) { h.record(1234); }},
        {u"only zero"_s, [](LatencyHistogram &h) { h.record(0, 5); }},
        {u"one hour"_s, [](LatencyHistogram &h) { h.record(hour); }},
        {u"layout edges"_s,
         [](LatencyHistogram &h) {
             for (std::int64_t value :
                  {std::int64_t{0}, std::int64_t{1}, std::int64_t{1023}, std::int64_t{1024},
                   std::int64_t{2047}, std::int64_t{2048}, std::int64_t{2049}, hour - 1, hour})
                 h.record(value);
         }},
        {u"10^6 values over 1 us to 1 h"_s,
         [](LatencyHistogram &h) {
             std::mt19937_64 random(20261204);
             std::uniform_real_distribution<double> exponent(0.0, std::log(static_cast<double>(hour)));
             for (int i = 0; i < 1'000'000; ++i)
                 h.record(static_cast<std::int64_t>(std::exp(exponent(random))));
         }},
        {u"large counts"_s,
         [](LatencyHistogram &h) {
             h.record(1000, std::uint64_t{1} << 40);
             h.record(250'000, (std::uint64_t{1} << 45) + 12'345);
             h.record(hour, std::uint64_t{1} << 50);
             h.record(7);
         }},
        {u"long zero runs"_s,
         [](LatencyHistogram &h) {
             h.record(3);
             h.record(5);
             h.record(40'000'000);
             h.record(hour);
         }},
        {u"corrected stall"_s,
         [](LatencyHistogram &h) {
             for (int i = 0; i < 10'000; ++i)
                 h.recordCorrected(1'000, 10'000);
             h.recordCorrected(100'000'000, 10'000);
         }},
        {u"190 values (percentile rules differ)"_s,
         [](LatencyHistogram &h) {
             for (std::int64_t value = 1; value <= 190; ++value)
                 h.record(value);
         }},
    };
}

} // namespace perflab::metrics::test

// Helpers shared by the metrics tests: sample distributions, exact percentiles, golden files.
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace perflab::metrics::test {

enum class Distribution { Uniform, Exponential, Bimodal };

// `count` values in microseconds, reproducible for a given seed.
std::vector<std::int64_t> generate(Distribution distribution, std::size_t count, std::uint64_t seed = 42);

// The exact value of rank round(p/100 * n) (at least 1) in the sorted values: the rank that
// HdrHistogram's valueAtPercentile uses.
std::int64_t exactPercentile(const std::vector<std::int64_t> &sorted, double percentile);

// Compares `actual` with the golden file `name` under tests/data/metrics. On mismatch the
// message holds a `diff -u`. With PERFLAB_UPDATE_GOLDEN=1 in the environment the golden file
// is rewritten instead. Returns an empty string on success.
QString compareWithGolden(const QString &actual, const QString &name);

} // namespace perflab::metrics::test

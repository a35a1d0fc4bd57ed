// Helpers shared by the metrics tests.
#include "MetricsTestSupport.h"

#include "GoldenFile.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>
#include <random>

using namespace Qt::StringLiterals;

namespace perflab::metrics::test {

std::vector<std::int64_t> generate(Distribution distribution, std::size_t count, std::uint64_t seed)
{
    std::mt19937_64 random(seed);
    std::vector<std::int64_t> values;
    values.reserve(count);
    std::uniform_int_distribution<std::int64_t> uniform(1, 1'000'000);
    std::exponential_distribution<double> exponential(1.0 / 5'000.0); // mean 5 ms
    std::normal_distribution<double> fast(2'000.0, 200.0);            // 2 ms ± 0.2
    std::normal_distribution<double> slow(200'000.0, 20'000.0);       // 200 ms ± 20
    std::bernoulli_distribution isSlow(0.1);
    for (std::size_t i = 0; i < count; ++i) {
        double value = 0;
        switch (distribution) {
        case Distribution::Uniform:
            value = static_cast<double>(uniform(random));
            break;
        case Distribution::Exponential:
            value = 1.0 + exponential(random);
            break;
        case Distribution::Bimodal:
            value = isSlow(random) ? slow(random) : fast(random);
            break;
        }
        values.push_back(std::max<std::int64_t>(1, std::llround(value)));
    }
    return values;
}

std::int64_t exactPercentile(const std::vector<std::int64_t> &sorted, double percentile)
{
    auto rank = static_cast<std::size_t>(percentile / 100.0 * static_cast<double>(sorted.size()) + 0.5);
    rank = std::clamp<std::size_t>(rank, 1, sorted.size());
    return sorted[rank - 1];
}

QString compareWithGolden(const QString &actual, const QString &name)
{
    return perflab::test::compareWithGoldenFile(
        actual, QDir(QStringLiteral(PERFLAB_METRICS_GOLDEN_DIR)).filePath(name));
}

} // namespace perflab::metrics::test

// Helpers shared by the metrics tests.
#include "MetricsTestSupport.h"

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
    const QString path = QDir(QStringLiteral(PERFLAB_METRICS_GOLDEN_DIR)).filePath(name);
    if (qEnvironmentVariableIntValue("PERFLAB_UPDATE_GOLDEN") == 1) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile out(path);
        if (!out.open(QIODevice::WriteOnly) || out.write(actual.toUtf8()) < 0)
            return u"cannot write golden file %1"_s.arg(path);
        return {};
    }
    QFile golden(path);
    if (!golden.open(QIODevice::ReadOnly))
        return u"cannot read golden file %1 (PERFLAB_UPDATE_GOLDEN=1 writes it)"_s.arg(path);
    const QString expected = QString::fromUtf8(golden.readAll());
    if (expected == actual)
        return {};

    QTemporaryDir dir;
    const QString actualPath = dir.filePath(name);
    QFile out(actualPath);
    if (out.open(QIODevice::WriteOnly))
        out.write(actual.toUtf8());
    out.close();
    QProcess diff;
    diff.start(u"diff"_s, {u"-u"_s, path, actualPath});
    diff.waitForFinished(10'000);
    QString report = QString::fromUtf8(diff.readAllStandardOutput());
    if (report.isEmpty())
        report = u"--- expected\n"_s + expected + u"\n+++ actual\n"_s + actual;
    return u"output differs from golden file %1 (PERFLAB_UPDATE_GOLDEN=1 rewrites it):\n%2"_s.arg(path,
                                                                                                  report);
}

} // namespace perflab::metrics::test

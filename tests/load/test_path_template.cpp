// PathTemplate: literal copying, the uniform / Zipf / seq generators (bounds, frequencies
// against the exact distribution with a fixed seed, order, wrap and sharing), parse errors
// naming the path and what was expected, and expansion into a reserved buffer without
// reallocation.
#include "engine/load/PathTemplate.h"
#include "engine/load/ZipfSampler.h"

#include <QTest>

#include <cmath>
#include <map>

using namespace perflab::load;

namespace {

PathTemplate parsed(const QString &path)
{
    auto result = PathTemplate::parse(path);
    if (auto *error = std::get_if<QString>(&result))
        qFatal("unexpected parse error: %s", qPrintable(*error));
    return std::get<PathTemplate>(std::move(result));
}

// The number in the expansion of "/{gen}" (the generator alone after a slash).
std::int64_t number(const PathTemplate &path, std::mt19937_64 &rng)
{
    return path.expand(rng).mid(1).toLongLong();
}

// Exact Zipf pmf over ranks 1..n with exponent s.
std::vector<double> zipfPmf(std::int64_t n, double s)
{
    std::vector<double> pmf(std::size_t(n) + 1, 0.0);
    double norm = 0;
    for (std::int64_t k = 1; k <= n; ++k) {
        pmf[std::size_t(k)] = std::pow(double(k), -s);
        norm += pmf[std::size_t(k)];
    }
    for (double &p : pmf)
        p /= norm;
    return pmf;
}

// |observed - expected| within `sigmas` binomial standard deviations.
bool withinSigmas(std::uint64_t observed, std::uint64_t samples, double p, double sigmas)
{
    const double expected = double(samples) * p;
    const double sd = std::sqrt(double(samples) * p * (1 - p));
    return std::abs(double(observed) - expected) <= sigmas * sd;
}

} // namespace

class TestPathTemplate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void literalPathsAreCopiedAsTheyAre_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("root") << QStringLiteral("/");
        QTest::newRow("query") << QStringLiteral("/with-timeout?work=10&timeout=5");
        QTest::newRow("lone closing brace") << QStringLiteral("/a}b");
        QTest::newRow("percent-encoded") << QStringLiteral("/search?q=a%20b");
    }
    void literalPathsAreCopiedAsTheyAre()
    {
        QFETCH(QString, path);
        const PathTemplate t = parsed(path);
        QVERIFY(t.isStatic());
        std::mt19937_64 rng(1);
        QCOMPARE(t.expand(rng), path.toUtf8());
        QCOMPARE(t.maxExpandedSize(), path.toUtf8().size());
    }

    void generatorsAnywhereBetweenLiterals()
    {
        const PathTemplate t = parsed(QStringLiteral("/u/{seq:1..2}/o?x={seq:10..11}&y={uniform:7..7}"));
        QVERIFY(!t.isStatic());
        std::mt19937_64 rng(1);
        QCOMPARE(t.expand(rng), QByteArray("/u/1/o?x=10&y=7"));
        QCOMPARE(t.expand(rng), QByteArray("/u/2/o?x=11&y=7"));
        QCOMPARE(t.expand(rng), QByteArray("/u/1/o?x=10&y=7"));
    }

    void uniformStaysInBoundsAndIsRoughlyFlat()
    {
        const PathTemplate t = parsed(QStringLiteral("/{uniform:1..10}"));
        std::mt19937_64 rng(42);
        std::map<std::int64_t, int> counts;
        constexpr int samples = 100'000;
        for (int i = 0; i < samples; ++i)
            ++counts[number(t, rng)];
        QCOMPARE(counts.size(), std::size_t(10));
        QCOMPARE(counts.begin()->first, std::int64_t(1));
        QCOMPARE(counts.rbegin()->first, std::int64_t(10));
        for (const auto &[value, count] : counts)
            QVERIFY2(withinSigmas(std::uint64_t(count), samples, 0.1, 5), qPrintable(QString::number(value)));
    }

    void uniformWideAndNegativeRanges_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<qint64>("low");
        QTest::addColumn<qint64>("high");
        QTest::newRow("negative") << QStringLiteral("/{uniform:-5..-3}") << qint64(-5) << qint64(-3);
        QTest::newRow("single") << QStringLiteral("/{uniform:9..9}") << qint64(9) << qint64(9);
        QTest::newRow("1e9") << QStringLiteral("/{uniform:0..1000000000}") << qint64(0)
                             << qint64(1'000'000'000);
        QTest::newRow("zipf 1e9") << QStringLiteral("/{zipf:1..1000000000}") << qint64(1)
                                  << qint64(1'000'000'000);
        QTest::newRow("zipf offset") << QStringLiteral("/{zipf:-2..2}") << qint64(-2) << qint64(2);
        QTest::newRow("limits") << QStringLiteral("/{uniform:-1000000000000000..1000000000000000}")
                                << qint64(-1'000'000'000'000'000) << qint64(1'000'000'000'000'000);
    }
    void uniformWideAndNegativeRanges()
    {
        QFETCH(QString, path);
        QFETCH(qint64, low);
        QFETCH(qint64, high);
        const PathTemplate t = parsed(path);
        std::mt19937_64 rng(7);
        for (int i = 0; i < 10'000; ++i) {
            const std::int64_t v = number(t, rng);
            QVERIFY2(v >= low && v <= high, qPrintable(QString::number(v)));
        }
    }

    void zipfFollowsTheExactPmf()
    {
        constexpr std::int64_t n = 10'000;
        const std::vector<double> pmf = zipfPmf(n, 1.1);
        const PathTemplate t = parsed(QStringLiteral("/{zipf:1..10000}"));
        std::mt19937_64 rng(20240601);
        constexpr std::uint64_t samples = 200'000;
        std::map<std::int64_t, std::uint64_t> counts;
        for (std::uint64_t i = 0; i < samples; ++i) {
            const std::int64_t v = number(t, rng);
            QVERIFY(v >= 1 && v <= n);
            ++counts[v];
        }
        for (const std::int64_t rank : {1, 2, 3, 10, 100}) {
            const QString what = QStringLiteral("rank %1: %2 samples, expected %3")
                                     .arg(rank)
                                     .arg(counts[rank])
                                     .arg(double(samples) * pmf[std::size_t(rank)]);
            QVERIFY2(withinSigmas(counts[rank], samples, pmf[std::size_t(rank)], 5), qPrintable(what));
        }
        // The tail too: ranks above 1000 together.
        std::uint64_t tail = 0;
        double tailP = 0;
        for (std::int64_t k = 1001; k <= n; ++k) {
            tail += counts[k];
            tailP += pmf[std::size_t(k)];
        }
        QVERIFY2(withinSigmas(tail, samples, tailP, 5), qPrintable(QString::number(tail)));
    }

    void zipfSmallRangeWithOffsetMatchesEveryValue()
    {
        // Ranks 1..5 map onto 11..15: 11 the most frequent.
        const std::vector<double> pmf = zipfPmf(5, 1.1);
        const PathTemplate t = parsed(QStringLiteral("/{zipf:11..15}"));
        std::mt19937_64 rng(3);
        constexpr std::uint64_t samples = 100'000;
        std::map<std::int64_t, std::uint64_t> counts;
        for (std::uint64_t i = 0; i < samples; ++i)
            ++counts[number(t, rng)];
        QCOMPARE(counts.size(), std::size_t(5));
        for (std::int64_t rank = 1; rank <= 5; ++rank)
            QVERIFY2(withinSigmas(counts[10 + rank], samples, pmf[std::size_t(rank)], 5),
                     qPrintable(QString::number(rank)));
    }

    void zipfHugeRangeKeepsTheHeadRatio()
    {
        // P(1)/P(2) = 2^1.1 whatever n: checks the sampler at n = 1e9 without summing 1e9 terms.
        ZipfSampler sampler(1'000'000'000, 1.1);
        std::mt19937_64 rng(11);
        std::uint64_t ones = 0, twos = 0;
        for (int i = 0; i < 200'000; ++i) {
            const std::int64_t k = sampler.sample(rng);
            QVERIFY(k >= 1 && k <= 1'000'000'000);
            ones += k == 1;
            twos += k == 2;
        }
        const double ratio = double(ones) / double(twos);
        QVERIFY2(std::abs(ratio - std::pow(2.0, 1.1)) < 0.15, qPrintable(QString::number(ratio)));
    }

    void seqWrapsAndIsSharedByCopies()
    {
        const PathTemplate original = parsed(QStringLiteral("/items/{seq:3..5}"));
        const PathTemplate copy = original; // e.g. another connection of the same run
        std::mt19937_64 rng(1);
        QCOMPARE(original.expand(rng), QByteArray("/items/3"));
        QCOMPARE(copy.expand(rng), QByteArray("/items/4"));
        QCOMPARE(original.expand(rng), QByteArray("/items/5"));
        QCOMPARE(copy.expand(rng), QByteArray("/items/3"));
        // A template parsed anew has a sequence of its own.
        const PathTemplate other = parsed(QStringLiteral("/items/{seq:3..5}"));
        QCOMPARE(other.expand(rng), QByteArray("/items/3"));
    }

    void parseErrorsNameThePathAndWhatWasExpected_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown generator")
            << QStringLiteral("/u/{normal:1..5}") << QStringLiteral("unknown generator 'normal'");
        QTest::newRow("a > b") << QStringLiteral("/u/{zipf:9..1}")
                               << QStringLiteral("expected a..b with a <= b, got '{zipf:9..1}'");
        QTest::newRow("not integers")
            << QStringLiteral("/u/{uniform:a..b}") << QStringLiteral("integers a and b");
        QTest::newRow("fraction") << QStringLiteral("/u/{uniform:1.5..3}")
                                  << QStringLiteral("integers a and b");
        QTest::newRow("no dots") << QStringLiteral("/u/{seq:1-5}") << QStringLiteral("integers a and b");
        QTest::newRow("missing bound")
            << QStringLiteral("/u/{seq:1..}") << QStringLiteral("integers a and b");
        QTest::newRow("too large") << QStringLiteral("/u/{seq:1..99999999999999999999}")
                                   << QStringLiteral("10^15");
        QTest::newRow("unclosed brace")
            << QStringLiteral("/u/{zipf:1..5") << QStringLiteral("unclosed '{' at offset 3");
        QTest::newRow("no generator")
            << QStringLiteral("/u/{id}") << QStringLiteral("expected {generator:a..b}");
        QTest::newRow("space") << QStringLiteral("/u/a b") << QStringLiteral("no spaces");
    }
    void parseErrorsNameThePathAndWhatWasExpected()
    {
        QFETCH(QString, path);
        QFETCH(QString, expected);
        const auto result = PathTemplate::parse(path);
        QVERIFY(std::holds_alternative<QString>(result));
        const QString error = std::get<QString>(result);
        QVERIFY2(error.startsWith(QStringLiteral("path '%1': ").arg(path)), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void expandIntoAReservedBufferDoesNotReallocate()
    {
        const PathTemplate t =
            parsed(QStringLiteral("/users/{zipf:1..1000000}?page={uniform:1..100000}&n={seq:1..9}"));
        QByteArray out;
        out.reserve(t.maxExpandedSize());
        const char *storage = out.constData();
        const qsizetype capacity = out.capacity();
        std::mt19937_64 rng(5);
        for (int i = 0; i < 10'000; ++i) {
            out.truncate(0);
            t.expandInto(out, rng);
            QVERIFY(out.startsWith("/users/"));
            QVERIFY(out.constData() == storage); // pointers, not strings
        }
        QCOMPARE(out.capacity(), capacity);
    }
};

QTEST_GUILESS_MAIN(TestPathTemplate)
#include "test_path_template.moc"

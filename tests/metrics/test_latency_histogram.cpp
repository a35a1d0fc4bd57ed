// LatencyHistogram: HdrHistogram layout, percentiles against exact ones, merging, deltas,
// clamping, coordinated-omission correction, Prometheus-style counts and the .hgrm text.
#include "MetricsTestSupport.h"

#include "engine/metrics/LatencyHistogram.h"

#include <QTest>

#include <QTextStream>
#include <memory>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace Qt::StringLiterals;
using perflab::metrics::LatencyHistogram;
using namespace perflab::metrics::test;

Q_DECLARE_METATYPE(perflab::metrics::test::Distribution)

namespace {

LatencyHistogram histogramOf(const std::vector<std::int64_t> &values)
{
    LatencyHistogram histogram;
    for (std::int64_t value : values)
        histogram.record(value);
    return histogram;
}

// hdr_record_corrected_values() as the C library writes it: one value at a time.
void recordCorrectedNaively(LatencyHistogram &histogram, std::int64_t value, std::int64_t interval)
{
    histogram.record(value);
    if (interval <= 0 || value <= interval)
        return;
    for (std::int64_t missing = value - interval; missing >= interval; missing -= interval)
        histogram.record(missing);
}

QString spectrumText(const LatencyHistogram &histogram, int ticks = 5, double scale = 1000.0)
{
    QString text;
    QTextStream stream(&text);
    histogram.percentileSpectrum(stream, ticks, scale);
    stream.flush();
    return text;
}

// HdrHistogram_c's test fixture (hdr_histogram_test.c, load_histograms): 10'000 samples of
// 1 ms at a 10 ms interval, then one 100 s stall.
void loadHdrExample(LatencyHistogram &raw, LatencyHistogram &corrected)
{
    for (int i = 0; i < 10'000; ++i) {
        raw.record(1'000);
        corrected.recordCorrected(1'000, 10'000);
    }
    raw.record(100'000'000);
    corrected.recordCorrected(100'000'000, 10'000);
}

bool withinRelative(double actual, double expected, double tolerance)
{
    return std::abs(actual - expected) <= std::abs(expected) * tolerance;
}

} // namespace

class TestLatencyHistogram : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void layoutMatchesHdrHistogram();
    void indexRoundTrip();
    void percentilesMatchExact_data();
    void percentilesMatchExact();
    void meanAndStddev_data();
    void meanAndStddev();
    void mergeIsExact_data();
    void mergeIsExact();
    void deltaIsTheIntervalBetweenSnapshots_data();
    void deltaIsTheIntervalBetweenSnapshots();
    void clampsOutOfRangeValues_data();
    void clampsOutOfRangeValues();
    void recordCorrectedHdrExample_data();
    void recordCorrectedHdrExample();
    void recordCorrectedEqualsNaiveLoop_data();
    void recordCorrectedEqualsNaiveLoop();
    void countAtOrBelow_data();
    void countAtOrBelow();
    void emptyHistogram();
    void copyAndResetReuseStorage();
    void spectrumMatchesGolden_data();
    void spectrumMatchesGolden();
};

void TestLatencyHistogram::layoutMatchesHdrHistogram()
{
    // hdr_init(1, 3'600'000'000, 3): the numbers HdrHistogram_c's own tests expect.
    QCOMPARE(LatencyHistogram::kSubBucketCount, 2048);
    QCOMPARE(LatencyHistogram::kSubBucketHalfCount, 1024);
    QCOMPARE(LatencyHistogram::kBucketCount, 22);
    QCOMPARE(LatencyHistogram::kCountsLength, 23'552);
    QCOMPARE(LatencyHistogram::countsIndexFor(0), 0);
    QCOMPARE(LatencyHistogram::countsIndexFor(2047), 2047);
    QCOMPARE(LatencyHistogram::countsIndexFor(2048), 2048);
    QCOMPARE(LatencyHistogram::countsIndexFor(2049), 2048);
    QCOMPARE(LatencyHistogram::countsIndexFor(4096), 3072);
    QCOMPARE(LatencyHistogram::lowestEquivalentValue(10'007), 10'000);
    QCOMPARE(LatencyHistogram::highestEquivalentValue(10'007), 10'007);
    QCOMPARE(LatencyHistogram::sizeOfEquivalentRange(10'007), 8);
    QCOMPARE(LatencyHistogram::medianEquivalentValue(10'007), 10'004);
}

void TestLatencyHistogram::indexRoundTrip()
{
    for (int index = 0; index < LatencyHistogram::kCountsLength; ++index) {
        const std::int64_t low = LatencyHistogram::valueAtIndex(index);
        const std::int64_t high = LatencyHistogram::highestEquivalentValue(low);
        QCOMPARE(LatencyHistogram::countsIndexFor(low), index);
        QCOMPARE(LatencyHistogram::countsIndexFor(high), index);
        if (index + 1 < LatencyHistogram::kCountsLength)
            QCOMPARE(LatencyHistogram::valueAtIndex(index + 1), high + 1);
        // 3 significant digits: a bucket is at most 1/1024 of its values wide.
        if (low >= 2048)
            QVERIFY(static_cast<double>(high - low + 1) / static_cast<double>(low) <= 1.0 / 1024);
    }
}

void TestLatencyHistogram::percentilesMatchExact_data()
{
    QTest::addColumn<Distribution>("distribution");
    QTest::newRow("uniform 1..1'000'000 us") << Distribution::Uniform;
    QTest::newRow("exponential, mean 5 ms") << Distribution::Exponential;
    QTest::newRow("bimodal 90% 2 ms / 10% 200 ms") << Distribution::Bimodal;
}

void TestLatencyHistogram::percentilesMatchExact()
{
    QFETCH(Distribution, distribution);
    std::vector<std::int64_t> values = generate(distribution, 200'000);
    const LatencyHistogram histogram = histogramOf(values);
    std::sort(values.begin(), values.end());

    QCOMPARE(histogram.totalCount(), values.size());
    QCOMPARE(histogram.min(), values.front());
    QCOMPARE(histogram.max(), values.back());
    for (double percentile : {0.1, 1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0}) {
        const std::int64_t exact = exactPercentile(values, percentile);
        const std::int64_t measured = histogram.valueAtPercentile(percentile);
        const double error = std::abs(static_cast<double>(measured - exact)) / static_cast<double>(exact);
        QVERIFY2(error <= 0.001,
                 qPrintable(u"p%1: histogram %2 us, exact %3 us, relative error %4"_s.arg(percentile)
                                .arg(measured)
                                .arg(exact)
                                .arg(error)));
        // HdrHistogram reports the highest value of the bucket: never below the exact value.
        QVERIFY(measured >= exact);
    }
}

void TestLatencyHistogram::meanAndStddev_data()
{
    percentilesMatchExact_data();
}

void TestLatencyHistogram::meanAndStddev()
{
    QFETCH(Distribution, distribution);
    const std::vector<std::int64_t> values = generate(distribution, 100'000);
    const LatencyHistogram histogram = histogramOf(values);
    const double sum = std::accumulate(values.begin(), values.end(), 0.0);
    const double mean = sum / static_cast<double>(values.size());
    double squares = 0;
    for (std::int64_t value : values)
        squares += (static_cast<double>(value) - mean) * (static_cast<double>(value) - mean);
    const double stddev = std::sqrt(squares / static_cast<double>(values.size()));

    QCOMPARE(histogram.sumUs(), static_cast<std::uint64_t>(sum));
    QVERIFY(withinRelative(histogram.mean(), mean, 1e-12)); // exact: from the sum
    QVERIFY2(withinRelative(histogram.stddev(), stddev, 0.001),
             qPrintable(u"stddev %1, exact %2"_s.arg(histogram.stddev()).arg(stddev)));
}

void TestLatencyHistogram::mergeIsExact_data()
{
    percentilesMatchExact_data();
}

void TestLatencyHistogram::mergeIsExact()
{
    QFETCH(Distribution, distribution);
    const std::vector<std::int64_t> values = generate(distribution, 100'000, 7);
    LatencyHistogram all;
    LatencyHistogram a;
    LatencyHistogram b;
    LatencyHistogram c;
    for (std::size_t i = 0; i < values.size(); ++i) {
        all.record(values[i]);
        (i % 3 == 0 ? a : (i % 3 == 1 ? b : c)).record(values[i]);
    }
    LatencyHistogram merged;
    merged.add(a);
    merged.add(b);
    merged.add(c);
    QVERIFY(merged == all);
    for (int index = 0; index < LatencyHistogram::kCountsLength; ++index)
        QCOMPARE(merged.countAtIndex(index), all.countAtIndex(index));
    QCOMPARE(merged.min(), all.min());
    QCOMPARE(merged.max(), all.max());
    QCOMPARE(merged.sumUs(), all.sumUs());
    QCOMPARE(merged.valueAtPercentile(99.9), all.valueAtPercentile(99.9));

    // Merging is order-independent and empty histograms change nothing.
    LatencyHistogram reversed;
    reversed.add(LatencyHistogram());
    reversed.add(c);
    reversed.add(b);
    reversed.add(a);
    QVERIFY(reversed == all);
}

void TestLatencyHistogram::deltaIsTheIntervalBetweenSnapshots_data()
{
    percentilesMatchExact_data();
}

void TestLatencyHistogram::deltaIsTheIntervalBetweenSnapshots()
{
    QFETCH(Distribution, distribution);
    const std::vector<std::int64_t> before = generate(distribution, 50'000, 1);
    const std::vector<std::int64_t> during = generate(Distribution::Bimodal, 20'000, 2);

    LatencyHistogram cumulative = histogramOf(before);
    const LatencyHistogram earlier = cumulative; // a reader's copy
    for (std::int64_t value : during)
        cumulative.record(value);
    const LatencyHistogram later = cumulative;

    const LatencyHistogram interval = LatencyHistogram::delta(later, earlier);
    const LatencyHistogram expected = histogramOf(during);
    QCOMPARE(interval.totalCount(), expected.totalCount());
    QCOMPARE(interval.sumUs(), expected.sumUs());
    for (int index = 0; index < LatencyHistogram::kCountsLength; ++index)
        QCOMPARE(interval.countAtIndex(index), expected.countAtIndex(index));
    for (double percentile : {50.0, 90.0, 99.0, 99.9, 100.0})
        QCOMPARE(interval.valueAtPercentile(percentile), expected.valueAtPercentile(percentile));
    QCOMPARE(interval.mean(), expected.mean());
    // min and max of a delta are at bucket resolution.
    QCOMPARE(interval.min(), LatencyHistogram::lowestEquivalentValue(expected.min()));
    QCOMPARE(interval.max(), LatencyHistogram::highestEquivalentValue(expected.max()));

    // In place, into reused storage, and a snapshot minus itself.
    LatencyHistogram reused;
    reused.record(123);
    LatencyHistogram::delta(later, earlier, reused);
    QCOMPARE(reused.totalCount(), expected.totalCount());
    QCOMPARE(reused.countAtIndex(LatencyHistogram::countsIndexFor(123)),
             expected.countAtIndex(LatencyHistogram::countsIndexFor(123)));
    LatencyHistogram nothing = later;
    nothing.subtract(later);
    QVERIFY(nothing.isEmpty());
    QCOMPARE(nothing.valueAtPercentile(99), 0);
    QCOMPARE(nothing.max(), 0);
}

void TestLatencyHistogram::clampsOutOfRangeValues_data()
{
    QTest::addColumn<qint64>("value");
    QTest::addColumn<qint64>("recordedAs");
    QTest::newRow("just above 1 h") << qint64{LatencyHistogram::kHighestTrackableUs + 1}
                                    << qint64{LatencyHistogram::kHighestTrackableUs};
    QTest::newRow("a day") << qint64{86'400'000'000} << qint64{LatencyHistogram::kHighestTrackableUs};
    QTest::newRow("INT64_MAX") << qint64{INT64_MAX} << qint64{LatencyHistogram::kHighestTrackableUs};
    QTest::newRow("exactly 1 h") << qint64{LatencyHistogram::kHighestTrackableUs}
                                 << qint64{LatencyHistogram::kHighestTrackableUs};
    QTest::newRow("negative") << qint64{-5} << qint64{0};
    QTest::newRow("zero") << qint64{0} << qint64{0};
}

void TestLatencyHistogram::clampsOutOfRangeValues()
{
    QFETCH(qint64, value);
    QFETCH(qint64, recordedAs);
    LatencyHistogram histogram;
    histogram.record(value);
    histogram.record(1000);
    QCOMPARE(histogram.totalCount(), 2u);
    QCOMPARE(histogram.countAtIndex(LatencyHistogram::countsIndexFor(recordedAs)), 1u);
    QCOMPARE(histogram.sumUs(), static_cast<std::uint64_t>(recordedAs + 1000));
    QCOMPARE(histogram.max(), std::max<qint64>(recordedAs, 1000));
    QCOMPARE(histogram.min(), std::min<qint64>(recordedAs, 1000));
    QCOMPARE(histogram.valueAtPercentile(100),
             LatencyHistogram::highestEquivalentValue(std::max<qint64>(recordedAs, 1000)));
}

void TestLatencyHistogram::recordCorrectedHdrExample_data()
{
    // Expectations of HdrHistogram_c's test_percentiles, within its 0.1 % tolerance.
    QTest::addColumn<bool>("corrected");
    QTest::addColumn<double>("percentile");
    QTest::addColumn<double>("expected");
    QTest::newRow("raw p30") << false << 30.0 << 1000.0;
    QTest::newRow("raw p99") << false << 99.0 << 1000.0;
    QTest::newRow("raw p99.99") << false << 99.99 << 1000.0;
    QTest::newRow("raw p99.999") << false << 99.999 << 100000000.0;
    QTest::newRow("raw p100") << false << 100.0 << 100000000.0;
    QTest::newRow("corrected p30") << true << 30.0 << 1000.0;
    QTest::newRow("corrected p50") << true << 50.0 << 1000.0;
    QTest::newRow("corrected p75") << true << 75.0 << 50000000.0;
    QTest::newRow("corrected p90") << true << 90.0 << 80000000.0;
    QTest::newRow("corrected p99") << true << 99.0 << 98000000.0;
    QTest::newRow("corrected p99.999") << true << 99.999 << 100000000.0;
    QTest::newRow("corrected p100") << true << 100.0 << 100000000.0;
}

void TestLatencyHistogram::recordCorrectedHdrExample()
{
    QFETCH(bool, corrected);
    QFETCH(double, percentile);
    QFETCH(double, expected);
    LatencyHistogram raw;
    LatencyHistogram correctedHistogram;
    loadHdrExample(raw, correctedHistogram);

    QCOMPARE(raw.totalCount(), 10'001u); // test_total_count
    QCOMPARE(correctedHistogram.totalCount(), 20'000u);
    QCOMPARE(raw.min(), 1000); // test_get_min_value
    QCOMPARE(correctedHistogram.min(), 1000);
    QCOMPARE(LatencyHistogram::lowestEquivalentValue(correctedHistogram.max()), // test_get_max_value
             LatencyHistogram::lowestEquivalentValue(100'000'000));
    // Means as HdrHistogram's tests state them (0.1 %).
    QVERIFY(withinRelative(raw.mean(), (10000.0 * 1000 + 100000000.0) / 10001, 0.001));
    QVERIFY(withinRelative(correctedHistogram.mean(), (1000.0 + 50000000.0) / 2, 0.001));

    const LatencyHistogram &histogram = corrected ? correctedHistogram : raw;
    const std::int64_t value = histogram.valueAtPercentile(percentile);
    QVERIFY2(withinRelative(static_cast<double>(value), expected, 0.001),
             qPrintable(u"value at p%1 is %2, expected %3"_s.arg(percentile).arg(value).arg(expected)));
}

void TestLatencyHistogram::recordCorrectedEqualsNaiveLoop_data()
{
    QTest::addColumn<qint64>("value");
    QTest::addColumn<qint64>("interval");
    QTest::newRow("no stall") << qint64{900} << qint64{1000};
    QTest::newRow("equal to interval") << qint64{1000} << qint64{1000};
    QTest::newRow("two intervals") << qint64{2000} << qint64{1000};
    QTest::newRow("fine resolution") << qint64{1500} << qint64{7};
    QTest::newRow("HdrHistogram stall") << qint64{100'000'000} << qint64{10'000};
    QTest::newRow("1 us interval, 3 s stall") << qint64{3'000'000} << qint64{1};
    QTest::newRow("odd interval, 1 h stall") << qint64{3'600'000'000} << qint64{997};
    QTest::newRow("clamped value") << qint64{5'000'000'000} << qint64{1'000'000};
    QTest::newRow("interval 0 is no correction") << qint64{5000} << qint64{0};
}

void TestLatencyHistogram::recordCorrectedEqualsNaiveLoop()
{
    QFETCH(qint64, value);
    QFETCH(qint64, interval);
    LatencyHistogram batched;
    LatencyHistogram naive;
    batched.recordCorrected(value, interval);
    recordCorrectedNaively(naive, LatencyHistogram::clampValue(value), interval);
    QVERIFY(batched == naive);
}

void TestLatencyHistogram::countAtOrBelow_data()
{
    QTest::addColumn<qint64>("bound");
    QTest::addColumn<quint64>("expected");
    // One sample at each of 1..10'000 us. Below 2048 us buckets are 1 us wide (exact); above,
    // the whole bucket holding the bound counts.
    QTest::newRow("below everything") << qint64{0} << quint64{0};
    QTest::newRow("500 us") << qint64{500} << quint64{500};
    QTest::newRow("1 ms") << qint64{1000} << quint64{1000};
    QTest::newRow("2.5 ms: bucket 2500..2501") << qint64{2500} << quint64{2501};
    QTest::newRow("5 ms: bucket 5000..5003") << qint64{5000} << quint64{5003};
    QTest::newRow("10 ms: bucket 10000..10007, 10000 recorded") << qint64{10'000} << quint64{10'000};
    QTest::newRow("above everything") << qint64{10'000'000} << quint64{10'000};
    QTest::newRow("negative") << qint64{-1} << quint64{0};
}

void TestLatencyHistogram::countAtOrBelow()
{
    QFETCH(qint64, bound);
    QFETCH(quint64, expected);
    LatencyHistogram histogram;
    for (std::int64_t value = 1; value <= 10'000; ++value)
        histogram.record(value);
    QCOMPARE(histogram.countAtOrBelow(bound), expected);
}

void TestLatencyHistogram::emptyHistogram()
{
    const LatencyHistogram histogram;
    QVERIFY(histogram.isEmpty());
    QCOMPARE(histogram.min(), 0);
    QCOMPARE(histogram.max(), 0);
    QCOMPARE(histogram.mean(), 0.0);
    QCOMPARE(histogram.stddev(), 0.0);
    QCOMPARE(histogram.valueAtPercentile(50), 0);
    QCOMPARE(histogram.countAtOrBelow(1'000'000), 0u);
    QVERIFY(histogram.firstIndex() > histogram.lastIndex());
}

void TestLatencyHistogram::copyAndResetReuseStorage()
{
    LatencyHistogram source = histogramOf(generate(Distribution::Exponential, 1000));
    LatencyHistogram target = histogramOf({5, 3'000'000'000});
    target.copyFrom(source);
    QVERIFY(target == source);
    QCOMPARE(target.countAtIndex(LatencyHistogram::countsIndexFor(3'000'000'000)), 0u);

    target.reset();
    QVERIFY(target.isEmpty());
    for (int index = 0; index < LatencyHistogram::kCountsLength; ++index)
        QCOMPARE(target.countAtIndex(index), 0u);
    target.record(42);
    QCOMPARE(target.valueAtPercentile(50), 42);

    LatencyHistogram moved = std::move(source);
    QCOMPARE(moved.totalCount(), 1000u);
    source = moved; // a moved-from histogram can be assigned again
    QVERIFY(source == moved);
}

void TestLatencyHistogram::spectrumMatchesGolden_data()
{
    QTest::addColumn<QString>("golden");
    QTest::addColumn<int>("ticks");
    QTest::newRow("small: 1..10 ms (i times i ms) and a 1 s outlier") << u"spectrum_small.hgrm"_s << 5;
    QTest::newRow("HdrHistogram corrected example") << u"spectrum_hdr_corrected.hgrm"_s << 5;
    QTest::newRow("small, 2 ticks per half distance") << u"spectrum_small_ticks2.hgrm"_s << 2;
    QTest::newRow("empty") << u"spectrum_empty.hgrm"_s << 5;
}

void TestLatencyHistogram::spectrumMatchesGolden()
{
    QFETCH(QString, golden);
    QFETCH(int, ticks);
    LatencyHistogram histogram;
    if (golden.startsWith(u"spectrum_small"_s)) {
        for (int i = 1; i <= 10; ++i)
            histogram.record(i * 1000, static_cast<std::uint64_t>(i));
        histogram.record(1'000'000);
    } else if (golden == u"spectrum_hdr_corrected.hgrm"_s) {
        LatencyHistogram raw;
        loadHdrExample(raw, histogram);
    }
    const QString text = spectrumText(histogram, ticks);
    QVERIFY(text.startsWith(u"       Value   Percentile   TotalCount 1/(1-Percentile)\n\n"_s));
    const QString mismatch = compareWithGolden(text, golden);
    if (!mismatch.isEmpty())
        QFAIL(qPrintable(mismatch));
}

std::unique_ptr<QObject> createLatencyHistogramTests()
{
    return std::make_unique<TestLatencyHistogram>();
}

#include "test_latency_histogram.moc"

// Counter, Gauge and HistogramSeries under concurrent recording: exact totals, monotonic
// reads, more threads than slots.
#include "MetricsTestSupport.h"

#include "engine/metrics/Counter.h"
#include "engine/metrics/HistogramSeries.h"
#include "engine/metrics/ThreadSlot.h"

#include <QTest>

#include <memory>

#include <atomic>
#include <barrier>
#include <latch>
#include <thread>
#include <vector>

using namespace perflab::metrics;
using namespace perflab::metrics::test;

namespace {

// Runs body(threadIndex) on `threads` threads started together; joins them.
template <typename Body> void runConcurrently(int threads, Body body)
{
    std::latch start(threads);
    std::vector<std::thread> workers;
    workers.reserve(static_cast<std::size_t>(threads));
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            start.arrive_and_wait();
            body(t);
        });
    }
    for (std::thread &worker : workers)
        worker.join();
}

} // namespace

class TestShardedMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void counterSumsExactly_data();
    void counterSumsExactly();
    void counterReadsAreMonotonic();
    void gaugeAddSubAcrossThreads_data();
    void gaugeAddSubAcrossThreads();
    void gaugeSet();
    void histogramSeriesMergesExactly();
    void moreThreadsThanSlots();
    void slotsAreReusedAfterThreadExit();
};

void TestShardedMetrics::counterSumsExactly_data()
{
    QTest::addColumn<int>("threads");
    QTest::addColumn<int>("increments");
    QTest::newRow("1 thread") << 1 << 200'000;
    QTest::newRow("4 threads") << 4 << 500'000;
    QTest::newRow("4 threads, steps of 3") << 4 << 100'000;
}

void TestShardedMetrics::counterSumsExactly()
{
    QFETCH(int, threads);
    QFETCH(int, increments);
    const std::uint64_t step = QByteArray(QTest::currentDataTag()).endsWith("3") ? 3 : 1;
    Counter counter;
    runConcurrently(threads, [&](int) {
        for (int i = 0; i < increments; ++i)
            counter.inc(step);
    });
    QCOMPARE(counter.value(), static_cast<std::uint64_t>(threads) * increments * step);
}

void TestShardedMetrics::counterReadsAreMonotonic()
{
    Counter counter;
    std::atomic<bool> done{false};
    std::atomic<bool> wentBackwards{false};
    std::thread reader([&] {
        std::uint64_t last = 0;
        while (!done.load()) {
            const std::uint64_t now = counter.value();
            if (now < last)
                wentBackwards = true;
            last = now;
        }
    });
    runConcurrently(4, [&](int) {
        for (int i = 0; i < 300'000; ++i)
            counter.inc();
    });
    done = true;
    reader.join();
    QVERIFY(!wentBackwards.load());
    QCOMPARE(counter.value(), 1'200'000u);
}

void TestShardedMetrics::gaugeAddSubAcrossThreads_data()
{
    QTest::addColumn<bool>("decrementElsewhere");
    QTest::newRow("inc and dec on the same thread") << false;
    QTest::newRow("inc on one thread, dec on another") << true;
}

void TestShardedMetrics::gaugeAddSubAcrossThreads()
{
    QFETCH(bool, decrementElsewhere);
    Gauge inFlight;
    Gauge queued;
    constexpr int kRounds = 200'000;
    runConcurrently(4, [&](int t) {
        const bool incrementer = !decrementElsewhere || t % 2 == 0;
        const bool decrementer = !decrementElsewhere || t % 2 == 1;
        for (int i = 0; i < kRounds; ++i) {
            if (incrementer)
                inFlight.inc();
            if (decrementer)
                inFlight.dec();
            queued.add(t + 1); // 1 + 2 + 3 + 4 per round
        }
        if (t == 0)
            queued.sub(5);
    });
    QCOMPARE(inFlight.value(), 0);
    QCOMPARE(queued.value(), std::int64_t{10} * kRounds - 5);
}

void TestShardedMetrics::gaugeSet()
{
    Gauge gauge;
    gauge.add(7);
    std::thread([&] { gauge.add(100); }).join();
    QCOMPARE(gauge.value(), 107);
    gauge.set(10);
    QCOMPARE(gauge.value(), 10);
    std::thread([&] { gauge.add(5); }).join();
    QCOMPARE(gauge.value(), 15);
    std::thread([&] { gauge.set(-3); }).join();
    QCOMPARE(gauge.value(), -3);
    gauge.dec();
    QCOMPARE(gauge.value(), -4);
}

void TestShardedMetrics::histogramSeriesMergesExactly()
{
    HistogramSeries series;
    constexpr int kThreads = 4;
    std::vector<std::vector<std::int64_t>> perThread;
    LatencyHistogram expected;
    for (int t = 0; t < kThreads; ++t) {
        perThread.push_back(generate(t % 2 ? Distribution::Bimodal : Distribution::Exponential, 50'000,
                                     static_cast<std::uint64_t>(t)));
        for (std::int64_t value : perThread.back())
            expected.record(value);
    }
    LatencyHistogram midway; // a reader merging while the writers run
    std::atomic<bool> done{false};
    std::thread reader([&] {
        while (!done.load())
            series.snapshotInto(midway);
    });
    runConcurrently(kThreads, [&](int t) {
        for (std::int64_t value : perThread[static_cast<std::size_t>(t)])
            series.recordMicros(value);
    });
    done = true;
    reader.join();
    QVERIFY(midway.totalCount() <= expected.totalCount());

    QCOMPARE(series.totalCount(), expected.totalCount());
    const LatencyHistogram merged = series.cumulative();
    QVERIFY(merged == expected);
    // Unchanged since the last merge: the cached merge is returned as is.
    QVERIFY(series.cumulative() == expected);
    series.record(std::chrono::milliseconds(3));
    QCOMPARE(series.cumulative().totalCount(), expected.totalCount() + 1);
}

void TestShardedMetrics::moreThreadsThanSlots()
{
    // All alive at once: the threads beyond the cap share the last slot.
    constexpr int kThreads = kMaxThreadSlots + 16;
    Counter counter;
    Gauge gauge;
    HistogramSeries series;
    std::barrier allHaveSlots(kThreads);
    runConcurrently(kThreads, [&](int t) {
        counter.inc();
        allHaveSlots.arrive_and_wait();
        for (int i = 0; i < 1000; ++i) {
            counter.inc();
            gauge.inc();
            series.recordMicros(100 + t);
        }
        gauge.sub(500);
    });
    QCOMPARE(counter.value(), std::uint64_t{kThreads} * 1001);
    QCOMPARE(gauge.value(), std::int64_t{kThreads} * 500);
    const LatencyHistogram merged = series.cumulative();
    QCOMPARE(merged.totalCount(), std::uint64_t{kThreads} * 1000);
    for (int t = 0; t < kThreads; ++t)
        QCOMPARE(merged.countAtIndex(LatencyHistogram::countsIndexFor(100 + t)), 1000u);
}

void TestShardedMetrics::slotsAreReusedAfterThreadExit()
{
    (void)currentThreadSlot();
    const int before = ownedThreadSlotCount();
    Counter counter;
    for (int round = 0; round < 3 * kMaxThreadSlots; ++round)
        std::thread([&] { counter.inc(2); }).join();
    QCOMPARE(ownedThreadSlotCount(), before);
    QCOMPARE(counter.value(), std::uint64_t{6} * kMaxThreadSlots);
}

std::unique_ptr<QObject> createShardedMetricsTests()
{
    return std::make_unique<TestShardedMetrics>();
}

#include "test_sharded_metrics.moc"

// The hot path does not allocate: counts operator new calls on this thread around loops of
// record()/inc()/add(). The test binary links the counting operator new of AllocationCounter.
#include "AllocationCounter.h"

#include "engine/metrics/Counter.h"
#include "engine/metrics/HistogramSeries.h"
#include "engine/metrics/LatencyHistogram.h"
#include "engine/metrics/Registry.h"

#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace perflab::metrics;

using perflab::test::allocationsOnThisThread;

class TestNoAllocation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void counterIsWorking();
    void hotPathDoesNotAllocate();
};

void TestNoAllocation::init()
{
    if (!perflab::test::kAllocationsCounted)
        QSKIP("operator new is not counted under AddressSanitizer");
}

void TestNoAllocation::counterIsWorking()
{
    static int *volatile probe = nullptr; // volatile: the allocation cannot be elided
    const std::size_t before = allocationsOnThisThread();
    probe = new int(1);
    delete probe;
    QCOMPARE(allocationsOnThisThread(), before + 1);
}

void TestNoAllocation::hotPathDoesNotAllocate()
{
    LatencyHistogram histogram;
    Registry registry;
    Counter *counter = registry.counterFamily(u"n_total"_s, u"N."_s, {u"k"_s}).withLabels({u"v"_s});
    Gauge *gauge = registry.gaugeFamily(u"g"_s, u"G."_s).series();
    HistogramSeries *series = registry.histogramFamily(u"h_seconds"_s, u"H."_s).series();
    series->recordMicros(1); // this thread's first record creates its histogram

    const std::size_t before = allocationsOnThisThread();
    for (std::int64_t i = 0; i < 100'000; ++i) {
        histogram.record(i * 37 % 5'000'000);
        histogram.recordCorrected(i % 50'000, 1'000);
        counter->inc();
        gauge->add(i % 3 - 1);
        series->recordMicros(i % 100'000);
    }
    gauge->set(0);
    const std::size_t allocations = allocationsOnThisThread() - before;
    QCOMPARE(allocations, 0u);
    QCOMPARE(counter->value(), 100'000u);
    QCOMPARE(series->totalCount(), 100'001u);
}

std::unique_ptr<QObject> createNoAllocationTests()
{
    return std::make_unique<TestNoAllocation>();
}

#include "test_no_allocation.moc"

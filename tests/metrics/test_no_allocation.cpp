// The hot path does not allocate: counts operator new calls on this thread around loops of
// record()/inc()/add(). This file replaces the global operator new/delete of the test binary
// (forwarding to malloc/free) to count them.
#include "engine/metrics/Counter.h"
#include "engine/metrics/HistogramSeries.h"
#include "engine/metrics/LatencyHistogram.h"
#include "engine/metrics/Registry.h"

#include <QTest>

#include <memory>

#include <cstdlib>
#include <new>

using namespace Qt::StringLiterals;
using namespace perflab::metrics;

namespace {

thread_local std::size_t t_allocations = 0;

void *countedAllocate(std::size_t size, std::size_t alignment)
{
    ++t_allocations;
    void *memory = alignment > alignof(std::max_align_t)
                       ? std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment)
                       : std::malloc(size == 0 ? 1 : size);
    if (!memory)
        throw std::bad_alloc();
    return memory;
}

} // namespace

void *operator new(std::size_t size)
{
    return countedAllocate(size, 0);
}
void *operator new[](std::size_t size)
{
    return countedAllocate(size, 0);
}
void *operator new(std::size_t size, std::align_val_t alignment)
{
    return countedAllocate(size, static_cast<std::size_t>(alignment));
}
void *operator new[](std::size_t size, std::align_val_t alignment)
{
    return countedAllocate(size, static_cast<std::size_t>(alignment));
}
void operator delete(void *memory) noexcept
{
    std::free(memory);
}
void operator delete[](void *memory) noexcept
{
    std::free(memory);
}
void operator delete(void *memory, std::size_t) noexcept
{
    std::free(memory);
}
void operator delete[](void *memory, std::size_t) noexcept
{
    std::free(memory);
}
void operator delete(void *memory, std::align_val_t) noexcept
{
    std::free(memory);
}
void operator delete[](void *memory, std::align_val_t) noexcept
{
    std::free(memory);
}
void operator delete(void *memory, std::size_t, std::align_val_t) noexcept
{
    std::free(memory);
}
void operator delete[](void *memory, std::size_t, std::align_val_t) noexcept
{
    std::free(memory);
}

class TestNoAllocation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void counterIsWorking();
    void hotPathDoesNotAllocate();
};

void TestNoAllocation::counterIsWorking()
{
    static int *volatile probe = nullptr; // volatile: the allocation cannot be elided
    const std::size_t before = t_allocations;
    probe = new int(1);
    delete probe;
    QCOMPARE(t_allocations, before + 1);
}

void TestNoAllocation::hotPathDoesNotAllocate()
{
    LatencyHistogram histogram;
    Registry registry;
    Counter *counter = registry.counterFamily(u"n_total"_s, u"N."_s, {u"k"_s}).withLabels({u"v"_s});
    Gauge *gauge = registry.gaugeFamily(u"g"_s, u"G."_s).series();
    HistogramSeries *series = registry.histogramFamily(u"h_seconds"_s, u"H."_s).series();
    series->recordMicros(1); // this thread's first record creates its histogram

    const std::size_t before = t_allocations;
    for (std::int64_t i = 0; i < 100'000; ++i) {
        histogram.record(i * 37 % 5'000'000);
        histogram.recordCorrected(i % 50'000, 1'000);
        counter->inc();
        gauge->add(i % 3 - 1);
        series->recordMicros(i % 100'000);
    }
    gauge->set(0);
    const std::size_t allocations = t_allocations - before;
    QCOMPARE(allocations, 0u);
    QCOMPARE(counter->value(), 100'000u);
    QCOMPARE(series->totalCount(), 100'001u);
}

std::unique_ptr<QObject> createNoAllocationTests()
{
    return std::make_unique<TestNoAllocation>();
}

#include "test_no_allocation.moc"

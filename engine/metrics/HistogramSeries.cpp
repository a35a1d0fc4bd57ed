// HistogramSeries: per-thread histogram creation, the shared overflow slot, cached merge.
#include "engine/metrics/HistogramSeries.h"

namespace perflab::metrics {

HistogramSeries::~HistogramSeries()
{
    for (auto &slot : m_perThread)
        delete slot.load(std::memory_order_acquire);
}

LatencyHistogram *HistogramSeries::createForSlot(int slot)
{
    const std::scoped_lock lock(m_createMutex);
    auto &cell = m_perThread[static_cast<std::size_t>(slot)];
    LatencyHistogram *histogram = cell.load(std::memory_order_acquire);
    if (!histogram) {
        histogram = new LatencyHistogram;
        cell.store(histogram, std::memory_order_release);
    }
    return histogram;
}

void HistogramSeries::recordShared(std::int64_t us, std::uint64_t n)
{
    LatencyHistogram *shared = m_perThread[kSharedThreadSlot].load(std::memory_order_acquire);
    if (!shared)
        shared = createForSlot(kSharedThreadSlot);
    const std::scoped_lock lock(m_sharedSlotMutex);
    shared->record(us, n);
}

void HistogramSeries::addHistogram(const LatencyHistogram &other)
{
    const int slot = currentThreadSlot();
    LatencyHistogram *target = m_perThread[static_cast<std::size_t>(slot)].load(std::memory_order_acquire);
    if (!target)
        target = createForSlot(slot);
    if (slot == kSharedThreadSlot) {
        const std::scoped_lock lock(m_sharedSlotMutex);
        target->add(other);
    } else {
        target->add(other);
    }
}

void HistogramSeries::refreshMergedLocked() const
{
    std::array<std::uint64_t, kMaxThreadSlots> totals{};
    bool changed = false;
    for (std::size_t slot = 0; slot < m_perThread.size(); ++slot) {
        if (const LatencyHistogram *histogram = m_perThread[slot].load(std::memory_order_acquire)) {
            totals[slot] = histogram->totalCount();
            changed = changed || totals[slot] != m_mergedTotals[slot];
        }
    }
    if (!changed)
        return;
    m_merged.reset();
    for (const auto &slot : m_perThread) {
        if (const LatencyHistogram *histogram = slot.load(std::memory_order_acquire))
            m_merged.add(*histogram);
    }
    // The totals were read before the counts: anything recorded in between is merged now and
    // merely makes the next refresh redo the merge.
    m_mergedTotals = totals;
}

void HistogramSeries::snapshotInto(LatencyHistogram &out) const
{
    const std::scoped_lock lock(m_mergeMutex);
    refreshMergedLocked();
    out.copyFrom(m_merged);
}

void HistogramSeries::addCumulativeTo(LatencyHistogram &out) const
{
    const std::scoped_lock lock(m_mergeMutex);
    refreshMergedLocked();
    out.add(m_merged);
}

LatencyHistogram HistogramSeries::cumulative() const
{
    const std::scoped_lock lock(m_mergeMutex);
    refreshMergedLocked();
    return m_merged;
}

std::uint64_t HistogramSeries::totalCount() const
{
    std::uint64_t total = 0;
    for (const auto &slot : m_perThread) {
        if (const LatencyHistogram *histogram = slot.load(std::memory_order_acquire))
            total += histogram->totalCount();
    }
    return total;
}

} // namespace perflab::metrics

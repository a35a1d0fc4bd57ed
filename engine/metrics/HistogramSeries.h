// HistogramSeries: one labelled latency series, recorded into per-thread LatencyHistograms
// and merged on read.
//
// Each recording thread gets its own LatencyHistogram (created on that thread's first record,
// which locks and allocates once; after that record() takes no lock and does not allocate).
// Threads beyond the slot cap (ThreadSlot.h) share one histogram under a mutex. Readers get
// the merged cumulative histogram; the merge is cached and redone only when some thread's
// total count has changed, and each merge touches only the non-empty index range of each
// per-thread histogram.
#pragma once

#include "engine/metrics/LatencyHistogram.h"
#include "engine/metrics/ThreadSlot.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace perflab::metrics {

class HistogramSeries
{
public:
    HistogramSeries() = default;
    ~HistogramSeries();
    HistogramSeries(const HistogramSeries &) = delete;
    HistogramSeries &operator=(const HistogramSeries &) = delete;

    void recordMicros(std::int64_t us, std::uint64_t n = 1)
    {
        const int slot = currentThreadSlot();
        if (slot != kSharedThreadSlot) [[likely]] {
            LatencyHistogram *own =
                m_perThread[static_cast<std::size_t>(slot)].load(std::memory_order_acquire);
            if (!own) [[unlikely]]
                own = createForSlot(slot);
            own->record(us, n);
        } else {
            recordShared(us, n);
        }
    }
    template <typename Rep, typename Period> void record(std::chrono::duration<Rep, Period> duration)
    {
        recordMicros(std::chrono::round<std::chrono::microseconds>(duration).count());
    }

    // Adds a whole histogram recorded elsewhere (another process's interval, decoded), as if
    // this thread had recorded each of its values: merges of remote figures stay exact.
    void addHistogram(const LatencyHistogram &other);

    // The merged cumulative histogram: into `out` (reusing its storage), added to `out`, or
    // as a new copy.
    void snapshotInto(LatencyHistogram &out) const;
    void addCumulativeTo(LatencyHistogram &out) const;
    LatencyHistogram cumulative() const;
    // Sum of the per-thread totals, without merging.
    std::uint64_t totalCount() const;

private:
    LatencyHistogram *createForSlot(int slot);
    void recordShared(std::int64_t us, std::uint64_t n);
    // Brings m_merged up to date; m_mergeMutex must be held.
    void refreshMergedLocked() const;

    std::array<std::atomic<LatencyHistogram *>, kMaxThreadSlots> m_perThread{};
    std::mutex m_createMutex;
    std::mutex m_sharedSlotMutex; // serialises the writers of the shared-slot histogram

    mutable std::mutex m_mergeMutex; // readers only: never taken by record()
    mutable LatencyHistogram m_merged;
    mutable std::array<std::uint64_t, kMaxThreadSlots> m_mergedTotals{};
};

} // namespace perflab::metrics

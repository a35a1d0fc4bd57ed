// Counter and Gauge: hot-path metrics sharded per thread (see ThreadSlot.h).
//
// Each thread updates its own cache-line-padded cell with a relaxed load+store (one writer
// per cell: no lock prefix, no lock, no allocation); a read sums the cells. Threads beyond the
// slot cap share the last cell and update it with an atomic add instead. Memory: 64 cells of
// 64 bytes = 4 KiB per series.
#pragma once

#include "engine/metrics/ThreadSlot.h"

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>

namespace perflab::metrics {

namespace detail {

// One cache line per thread slot, so that two threads never write the same line.
struct alignas(kCacheLineSize) ShardCell
{
    std::atomic<std::uint64_t> value{0};
};

class ShardedSum
{
public:
    void add(std::uint64_t delta) noexcept
    {
        const int slot = currentThreadSlot();
        std::atomic<std::uint64_t> &cell = m_cells[static_cast<std::size_t>(slot)].value;
        if (slot != kSharedThreadSlot) [[likely]]
            cell.store(cell.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
        else
            cell.fetch_add(delta, std::memory_order_relaxed);
    }
    // Sum of all cells (modulo 2^64, so that gauge cells may go "negative").
    std::uint64_t sum() const noexcept
    {
        std::uint64_t total = 0;
        for (const ShardCell &cell : m_cells)
            total += cell.value.load(std::memory_order_relaxed);
        return total;
    }

private:
    std::array<ShardCell, kMaxThreadSlots> m_cells{};
};

} // namespace detail

// A monotonically increasing count (Prometheus counter). Read by one reader thread, the value
// never goes down between two reads.
class Counter
{
public:
    Counter() = default;
    Counter(const Counter &) = delete;
    Counter &operator=(const Counter &) = delete;

    void inc(std::uint64_t n = 1) noexcept { m_sum.add(n); }
    std::uint64_t value() const noexcept { return m_sum.sum(); }

private:
    detail::ShardedSum m_sum;
};

// A value that goes up and down (in-flight requests, queue depth, pool connections). add()
// and sub() may come from any threads in any mix (an increment on one thread and the matching
// decrement on another still sum to zero). set() makes the value v: it reads the current sum
// and moves a base by the difference, under a mutex that serialises set() calls only, so an
// add() racing a set() counts as having happened just after it.
class Gauge
{
public:
    Gauge() = default;
    Gauge(const Gauge &) = delete;
    Gauge &operator=(const Gauge &) = delete;

    void add(std::int64_t delta) noexcept { m_sum.add(static_cast<std::uint64_t>(delta)); }
    void sub(std::int64_t delta) noexcept { m_sum.add(std::uint64_t{0} - static_cast<std::uint64_t>(delta)); }
    void inc() noexcept { add(1); }
    void dec() noexcept { add(-1); }
    void set(std::int64_t v) noexcept
    {
        const std::scoped_lock lock(m_setMutex);
        m_base.fetch_add(static_cast<std::uint64_t>(v) - rawValue(), std::memory_order_relaxed);
    }
    std::int64_t value() const noexcept { return static_cast<std::int64_t>(rawValue()); }

private:
    std::uint64_t rawValue() const noexcept { return m_base.load(std::memory_order_relaxed) + m_sum.sum(); }

    detail::ShardedSum m_sum;
    std::atomic<std::uint64_t> m_base{0};
    std::mutex m_setMutex;
};

} // namespace perflab::metrics

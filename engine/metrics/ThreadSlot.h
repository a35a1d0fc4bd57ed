// Per-thread slot numbers for the sharded hot-path metrics (Counter, Gauge, HistogramSeries).
//
// Each recording thread owns one slot index for as long as it lives, so a metric can keep one
// cache-line-padded cell per slot and update it with a plain relaxed load+store: one writer
// per cell, no lock prefix, no lock. A slot is given back when its thread exits and is then
// reused by the next new thread; the values already in the slot stay (they are totals, not
// per-thread state), and the slot allocator's mutex orders the old owner's writes before the
// new owner's.
//
// Cap: kMaxThreadSlots - 1 = 63 threads can own a slot at once. Threads beyond that all share
// the last slot, kSharedThreadSlot, which metrics update with atomic read-modify-write
// (Counter, Gauge) or under a mutex (HistogramSeries): slower, never wrong.
#pragma once

namespace perflab::metrics {

inline constexpr int kMaxThreadSlots = 64;
inline constexpr int kSharedThreadSlot = kMaxThreadSlots - 1;
inline constexpr int kCacheLineSize = 64;

namespace detail {
// Trivially constructed, so reading it is one TLS load (no init guard on the hot path).
inline thread_local int t_threadSlot = -1;
int acquireThreadSlot();
} // namespace detail

// The calling thread's slot; the first call on a thread takes a slot (a mutex, and glibc
// registers the thread-exit hook, which may allocate once).
inline int currentThreadSlot()
{
    const int slot = detail::t_threadSlot;
    return slot >= 0 ? slot : detail::acquireThreadSlot();
}

// Number of exclusive slots currently owned by live threads (diagnostics and tests).
int ownedThreadSlotCount();

} // namespace perflab::metrics

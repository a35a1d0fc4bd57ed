// Slot allocator behind currentThreadSlot(): a bitmap of exclusive slots under one mutex.
#include "engine/metrics/ThreadSlot.h"

#include <bit>
#include <cstdint>
#include <mutex>

namespace perflab::metrics {

namespace {

static_assert(kMaxThreadSlots <= 64, "the slot bitmap is one 64-bit word");

std::mutex g_slotMutex;         // constant-initialised: usable from any thread at any time
std::uint64_t g_ownedSlots = 0; // bit i set: exclusive slot i has a live owner

void releaseThreadSlot(int slot)
{
    const std::scoped_lock lock(g_slotMutex);
    g_ownedSlots &= ~(std::uint64_t{1} << slot);
}

// Gives the slot back when the thread exits. Anything this thread records later, from other
// thread_local destructors, goes to the shared slot, whose updates are atomic RMW.
struct SlotReleaser
{
    int slot = -1;
    ~SlotReleaser()
    {
        if (slot >= 0 && slot != kSharedThreadSlot) {
            detail::t_threadSlot = kSharedThreadSlot;
            releaseThreadSlot(slot);
        }
    }
};

} // namespace

int detail::acquireThreadSlot()
{
    int slot = kSharedThreadSlot;
    {
        const std::scoped_lock lock(g_slotMutex);
        const std::uint64_t exclusiveMask = (std::uint64_t{1} << kSharedThreadSlot) - 1;
        const std::uint64_t freeSlots = ~g_ownedSlots & exclusiveMask;
        if (freeSlots != 0) {
            slot = std::countr_zero(freeSlots);
            g_ownedSlots |= std::uint64_t{1} << slot;
        }
    }
    static thread_local SlotReleaser releaser;
    releaser.slot = slot;
    t_threadSlot = slot;
    return slot;
}

int ownedThreadSlotCount()
{
    const std::scoped_lock lock(g_slotMutex);
    return std::popcount(g_ownedSlots);
}

} // namespace perflab::metrics

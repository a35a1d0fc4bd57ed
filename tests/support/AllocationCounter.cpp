// See AllocationCounter.h.
#include "AllocationCounter.h"

#include <cstdlib>
#include <new>

namespace {
thread_local std::size_t t_allocations = 0;
} // namespace

std::size_t perflab::test::allocationsOnThisThread()
{
    return t_allocations;
}

#if !defined(__SANITIZE_ADDRESS__)
namespace {

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
#endif

// Counts the global operator new calls of this thread, for tests that prove a hot path does not
// allocate. AllocationCounter.cpp replaces the global operator new/delete (forwarding to
// malloc/free): it is an object library of its own, linked only into the executables that count,
// because a replaced operator new must be defined exactly once per executable. Qt's byte arrays
// take their storage from malloc directly and are not seen.
#pragma once

#include <cstddef>

namespace perflab::test {

// AddressSanitizer replaces operator new itself and reports Qt's inline new paired with our
// delete as a mismatch: under it nothing is replaced or counted, and counting tests skip.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAllocationsCounted = false;
#else
inline constexpr bool kAllocationsCounted = true;
#endif

// The operator new calls made on this thread so far (always 0 when not counted).
std::size_t allocationsOnThisThread();

} // namespace perflab::test

// The load client's clock: CLOCK_MONOTONIC in nanoseconds, the clock timerfd wakes on, so
// that intended send times, timer deadlines and measured latencies share one time line.
#pragma once

#include <cstdint>
#include <ctime>

namespace perflab::load {

inline std::int64_t monotonicNowNs()
{
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace perflab::load

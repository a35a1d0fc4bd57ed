// Cancellation vocabulary shared by every async primitive: the Cancelled outcome, the
// "no timeout" constant and the helper that turns a stop request into that outcome.
#pragma once

#include <chrono>
#include <exception>
#include <stop_token>

namespace perflab::async {

// Cancellation is cooperative and uses C++20 std::stop_source / std::stop_token, so that
// plain threads, QThreadPool jobs and coroutines all speak the same language.
//
// How a primitive reports that it was stopped depends on whether the caller has a useful
// value to fall back on (failure is reported as a value; exceptions only for the exceptional):
//  - waits that already report "did not happen" return it: Semaphore::acquire -> false,
//    BoundedQueue::push -> false, BoundedQueue::pop -> std::nullopt, withTimeout -> nullopt;
//  - operations with nothing to return (sleep(), and user work noticing a stop request)
//    throw Cancelled, so that a cancelled step does not look like a completed one and the
//    code after it is skipped. gatherSettled() reports it like any other per-task error.
class Cancelled : public std::exception
{
public:
    const char *what() const noexcept override;
};

// Means "wait without a deadline" wherever a std::chrono::milliseconds timeout is taken.
inline constexpr std::chrono::milliseconds forever = std::chrono::milliseconds::max();

// For work that checks its token between steps, so that a long job can be cancelled at its
// next step: throws Cancelled once stop has been requested.
void throwIfStopRequested(const std::stop_token &stop);

} // namespace perflab::async

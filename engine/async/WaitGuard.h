// The two ways a wait can end early — its deadline passing or a stop request — armed around
// one suspension and disarmed when the waiting coroutine resumes.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>

class QTimer;

namespace perflab::async::detail {

// Lives in the waiting coroutine's frame, so it is created and destroyed on the waiter's
// thread: the timer runs on that thread's event loop and can never fire after the guard is
// gone. The stop callback can run on any thread (whoever calls request_stop()), and inline
// in the constructor when stop was already requested; the callbacks must therefore be
// thread-safe and must not expect the caller to hold any lock. Destroying the guard waits
// for a stop callback that is running concurrently (std::stop_callback semantics), so the
// callbacks may safely refer to state that the coroutine destroys after resuming.
class WaitGuard
{
public:
    // timeout == forever arms no timer; a timeout <= 0 fires on the next event loop pass.
    WaitGuard(std::chrono::milliseconds timeout, std::function<void()> onTimeout, const std::stop_token &stop,
              std::function<void()> onStop);
    ~WaitGuard();
    WaitGuard(const WaitGuard &) = delete;
    WaitGuard &operator=(const WaitGuard &) = delete;

private:
    std::unique_ptr<QTimer> m_timer;
    std::unique_ptr<std::stop_callback<std::function<void()>>> m_stopCallback;
};

} // namespace perflab::async::detail

// One suspension of one coroutine that any thread may complete, exactly once, with a value;
// the coroutine is then resumed on its own thread. Every waiting primitive is built on it.
#pragma once

#include "engine/async/ThreadExecutor.h"

#include <QtGlobal>

#include <coroutine>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace perflab::async::detail {

// A waiter can be woken by several racing parties — a release() on another thread, its own
// timeout timer, a stop request — and must be resumed once. The first wake() wins and
// stores the value; later ones return false and change nothing, so each party can tell
// whether it is the one that decided the outcome (e.g. whether a permit was handed over).
//
// wake() may come before the coroutine has suspended (a stop callback firing inline, a
// permit freed in between): the coroutine then does not suspend at all.
template <typename T> class WakeSlot
{
public:
    // Any thread. Returns true if this call decided the outcome.
    bool wake(T value)
    {
        std::coroutine_handle<> parked;
        std::shared_ptr<ThreadExecutor> home;
        {
            std::lock_guard lock(m_mutex);
            if (m_woken)
                return false;
            m_woken = true;
            m_value.emplace(std::move(value));
            parked = std::exchange(m_parked, nullptr);
            home = std::move(m_home);
        }
        if (parked && !home->post([parked] { parked.resume(); }))
            qWarning("perflab::async: a coroutine waits on a thread that has exited; it is leaked");
        return true;
    }

    bool isWoken() const
    {
        std::lock_guard lock(m_mutex);
        return m_woken;
    }

    // co_await slot->wait() suspends until wake() and yields its value. One wait per slot.
    auto wait()
    {
        struct Awaiter
        {
            WakeSlot &slot;
            bool await_ready() const noexcept { return false; }
            bool await_suspend(std::coroutine_handle<> awaiting) { return slot.park(awaiting); }
            T await_resume() { return slot.take(); }
        };
        return Awaiter{*this};
    }

private:
    // Under the lock although the resumption was posted after the value was stored: the
    // ordering then does not depend on how the event queue synchronises.
    T take()
    {
        std::lock_guard lock(m_mutex);
        return std::move(*m_value);
    }

    // Returns false (do not suspend) when the outcome is already decided.
    bool park(std::coroutine_handle<> awaiting)
    {
        auto home = ThreadExecutor::current(); // outside the lock: may create the executor
        std::lock_guard lock(m_mutex);
        if (m_woken)
            return false;
        m_parked = awaiting;
        m_home = std::move(home);
        return true;
    }

    mutable std::mutex m_mutex;
    bool m_woken = false;
    std::optional<T> m_value;
    std::coroutine_handle<> m_parked;
    std::shared_ptr<ThreadExecutor> m_home;
};

} // namespace perflab::async::detail

// Shared machinery of gather() and gatherSettled(): watching many eager tasks and waking
// the gathering coroutine when the last result (or, for gather, the first error) arrives.
#pragma once

#include "engine/async/Settled.h"
#include "engine/async/WakeSlot.h"

#include <QCoro/QCoroTask>

#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <utility>

namespace perflab::async::detail {

// The watched tasks may be resumed on other threads than the gatherer's, so results land
// here under a mutex and the gatherer is woken through a WakeSlot (which resumes it on its
// own thread). The state is shared with the watchers: after gather() returned early on an
// error, the remaining tasks keep running detached and still write here harmlessly.
template <typename Results> class Gathering
{
public:
    // `results` arrives pre-sized when it is a container.
    explicit Gathering(std::size_t count, Results results = {})
        : m_results(std::move(results)), m_remaining(count)
    {
        if (count == 0)
            m_finished.wake(nullptr);
    }

    // `store(results)` runs under the lock; the gatherer is woken after the last one.
    template <typename Store> void arrived(Store &&store)
    {
        bool last = false;
        {
            std::lock_guard lock(m_mutex);
            store(m_results);
            last = --m_remaining == 0;
        }
        if (last)
            m_finished.wake(nullptr);
    }

    // Wakes the gatherer with `error` unless it was woken already: the first error by
    // completion time wins.
    void failed(std::exception_ptr error) { m_finished.wake(std::move(error)); }

    // co_await: null once every task arrived, otherwise the first error.
    auto finished() { return m_finished.wait(); }

    Results takeResults()
    {
        std::lock_guard lock(m_mutex);
        return std::move(m_results);
    }

private:
    std::mutex m_mutex;
    Results m_results;
    std::size_t m_remaining;
    WakeSlot<std::exception_ptr> m_finished;
};

// Runs `task` to completion and hands its outcome to `report`. The returned Task is dropped
// by the caller, so this coroutine is detached: it owns `task` and `report` and frees
// itself at the end (QCoro 0.8 semantics), however long the task outlives the gatherer.
template <typename T, typename Report> QCoro::Task<> settle(QCoro::Task<T> task, Report report)
{
    std::optional<Settled<T>> outcome;
    try {
        if constexpr (std::is_void_v<T>) {
            co_await task;
            outcome.emplace(Settled<T>::success({}));
        } else {
            auto value = co_await task;
            outcome.emplace(Settled<T>::success(std::move(value)));
        }
    } catch (...) {
        outcome.emplace(Settled<T>::failure(std::current_exception()));
    }
    report(std::move(*outcome));
}

} // namespace perflab::async::detail

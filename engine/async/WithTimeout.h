// withTimeout(): race a piece of stoppable work against a deadline; when the deadline wins
// the caller moves on at once and the work is told to stop.
#pragma once

#include "engine/async/Settled.h"
#include "engine/async/WaitGuard.h"
#include "engine/async/WakeSlot.h"

#include <QCoro/QCoroTask>

#include <chrono>
#include <concepts>
#include <memory>
#include <optional>
#include <stop_token>
#include <type_traits>

namespace perflab::async {

// A callable such as std::function<QCoro::Task<T>(std::stop_token)>, or a lambda of that
// shape. It receives the token that is stopped when the deadline passes first.
template <typename F>
concept StoppableWork = std::invocable<F &, std::stop_token> &&
    QCoro::detail::isTask_v<std::invoke_result_t<F &, std::stop_token>>;

template <StoppableWork F> using WorkResult = typename std::invoke_result_t<F &, std::stop_token>::value_type;

namespace detail {

// nullopt: the deadline won.
template <typename T> using Race = WakeSlot<std::optional<Settled<T>>>;

// Owns `work` for as long as the coroutine it returns runs: a lambda coroutine's captures
// live in the lambda object, and after a timeout nobody else is left to keep it alive.
template <typename T, typename F>
QCoro::Task<> runRacing(F work, std::stop_token stop, std::shared_ptr<Race<T>> race)
{
    std::optional<Settled<T>> outcome;
    try {
        if constexpr (std::is_void_v<T>) {
            co_await work(stop);
            outcome.emplace(Settled<T>::success({}));
        } else {
            auto value = co_await work(std::move(stop));
            outcome.emplace(Settled<T>::success(std::move(value)));
        }
    } catch (...) {
        outcome.emplace(Settled<T>::failure(std::current_exception()));
    }
    race->wake(std::move(outcome)); // ignored when the deadline already won
}

// nullopt when the deadline won; otherwise the work's value or exception.
template <typename T, typename F>
QCoro::Task<std::optional<Settled<T>>> raceDeadline(F work, std::chrono::milliseconds timeout)
{
    auto race = std::make_shared<Race<T>>();
    std::stop_source stopWork;
    runRacing<T>(std::move(work), stopWork.get_token(), race); // eager: may even finish here
    const WaitGuard deadline(timeout,
                             [race, stopWork]() mutable {
                                 if (race->wake(std::nullopt)) // the work has not finished: it lost
                                     stopWork.request_stop();
                             },
                             {}, {});
    co_return co_await race->wait();
}

} // namespace detail

// Starts work(token) and resumes, on the caller's thread, with its result — or with
// std::nullopt as soon as `timeout` passes, without waiting for the work to notice; the
// work's token is then stopped and its eventual outcome dropped. An exception thrown by the
// work before the deadline propagates. `work` is kept alive until its coroutine finishes.
//
// On GCC 12, name a capturing lambda before the co_await: see the note in RunBlocking.h.
template <StoppableWork F>
requires(!std::is_void_v<WorkResult<F>>) QCoro::Task<std::optional<WorkResult<F>>> withTimeout(
    F work, std::chrono::milliseconds timeout)
{
    auto outcome = co_await detail::raceDeadline<WorkResult<F>>(std::move(work), timeout);
    if (!outcome)
        co_return std::nullopt;
    co_return std::move(*outcome).value();
}

// The void-work form: true when the work finished in time.
template <StoppableWork F>
requires std::is_void_v<WorkResult<F>> QCoro::Task<bool> withTimeout(F work,
                                                                     std::chrono::milliseconds timeout)
{
    auto outcome = co_await detail::raceDeadline<void>(std::move(work), timeout);
    if (!outcome)
        co_return false;
    outcome->value(); // rethrows the work's exception
    co_return true;
}

} // namespace perflab::async

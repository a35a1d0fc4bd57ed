// gather(): await many tasks concurrently and collect their results in argument order,
// failing fast on the first error, as asyncio.gather does.
#pragma once

#include "engine/async/Gathering.h"
#include "engine/async/Settled.h"

#include <QCoro/QCoroTask>

#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <vector>

namespace perflab::async {

namespace detail {

template <typename T, typename State, typename Slot>
void gatherOne(QCoro::Task<T> task, std::shared_ptr<State> state, Slot slot)
{
    settle(std::move(task), [state, slot](Settled<T> outcome) {
        if (!outcome.ok()) {
            state->failed(outcome.error());
            return;
        }
        state->arrived([&](auto &results) { slot(results)->emplace(std::move(outcome).value()); });
    });
}

template <typename... Ts, std::size_t... I>
QCoro::Task<std::tuple<ValueOf<Ts>...>> gatherTuple(std::index_sequence<I...>, QCoro::Task<Ts>... tasks)
{
    using Results = std::tuple<std::optional<ValueOf<Ts>>...>;
    auto state = std::make_shared<Gathering<Results>>(sizeof...(Ts));
    (gatherOne(std::move(tasks), state, [](Results &results) { return &std::get<I>(results); }), ...);
    if (auto error = co_await state->finished())
        std::rethrow_exception(error);
    [[maybe_unused]] auto results = state->takeResults(); // unused for an empty pack
    co_return std::tuple<ValueOf<Ts>...>(std::move(*std::get<I>(results))...);
}

template <typename T> QCoro::Task<std::vector<ValueOf<T>>> gatherVector(std::vector<QCoro::Task<T>> tasks)
{
    using Results = std::vector<std::optional<ValueOf<T>>>;
    auto state = std::make_shared<Gathering<Results>>(tasks.size(), Results(tasks.size()));
    for (std::size_t i = 0; i < tasks.size(); ++i)
        gatherOne(std::move(tasks[i]), state, [i](Results &results) { return &results[i]; });
    if (auto error = co_await state->finished())
        std::rethrow_exception(error);
    std::vector<ValueOf<T>> values;
    values.reserve(tasks.size());
    for (auto &value : state->takeResults())
        values.push_back(std::move(*value));
    co_return values;
}

} // namespace detail

// All tasks run concurrently (they are eager: each has already started when passed in).
// Resumes, on the caller's thread, with every result in argument order; a Task<void>
// contributes std::monostate. The first task to fail — by completion time, not by position —
// makes gather throw its exception at once; the other tasks keep running detached and their
// outcomes are dropped. To stop them, give them a std::stop_token and request stop.
template <typename... Ts> QCoro::Task<std::tuple<ValueOf<Ts>...>> gather(QCoro::Task<Ts>... tasks)
{
    return detail::gatherTuple(std::index_sequence_for<Ts...>{}, std::move(tasks)...);
}

// The homogeneous form, for a number of tasks known at run time.
template <typename T>
requires(!std::is_void_v<T>) QCoro::Task<std::vector<T>> gather(std::vector<QCoro::Task<T>> tasks)
{
    return detail::gatherVector<T>(std::move(tasks));
}

// Void tasks have no values to collect: this resumes when all have finished, or throws
// the first error.
inline QCoro::Task<> gather(std::vector<QCoro::Task<>> tasks)
{
    co_await detail::gatherVector<void>(std::move(tasks));
}

} // namespace perflab::async

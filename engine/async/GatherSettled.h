// gatherSettled(): await many tasks concurrently and report each one's value or error,
// never failing as a whole (asyncio.gather(..., return_exceptions=True)).
#pragma once

#include "engine/async/Gathering.h"
#include "engine/async/Settled.h"

#include <QCoro/QCoroTask>

#include <memory>
#include <optional>
#include <tuple>
#include <vector>

namespace perflab::async {

namespace detail {

template <typename T, typename State, typename Slot>
void settleOne(QCoro::Task<T> task, std::shared_ptr<State> state, Slot slot)
{
    settle(std::move(task), [state, slot](Settled<T> outcome) {
        state->arrived([&](auto &results) { slot(results)->emplace(std::move(outcome)); });
    });
}

template <typename... Ts, std::size_t... I>
QCoro::Task<std::tuple<Settled<Ts>...>> gatherSettledTuple(std::index_sequence<I...>,
                                                           QCoro::Task<Ts>... tasks)
{
    using Results = std::tuple<std::optional<Settled<Ts>>...>;
    auto state = std::make_shared<Gathering<Results>>(sizeof...(Ts));
    (settleOne(std::move(tasks), state, [](Results &results) { return &std::get<I>(results); }), ...);
    // Never an error here: every outcome, failures included, was stored.
    co_await state->finished();
    [[maybe_unused]] auto results = state->takeResults(); // unused for an empty pack
    co_return std::tuple<Settled<Ts>...>(std::move(*std::get<I>(results))...);
}

} // namespace detail

// Resumes, on the caller's thread, once every task has finished, with one Settled per task
// in argument order. A task's exception (Cancelled included) is reported in its Settled.
template <typename... Ts> QCoro::Task<std::tuple<Settled<Ts>...>> gatherSettled(QCoro::Task<Ts>... tasks)
{
    return detail::gatherSettledTuple(std::index_sequence_for<Ts...>{}, std::move(tasks)...);
}

// The homogeneous form, for a number of tasks known at run time.
template <typename T> QCoro::Task<std::vector<Settled<T>>> gatherSettled(std::vector<QCoro::Task<T>> tasks)
{
    using Results = std::vector<std::optional<Settled<T>>>;
    auto state = std::make_shared<detail::Gathering<Results>>(tasks.size(), Results(tasks.size()));
    for (std::size_t i = 0; i < tasks.size(); ++i)
        detail::settleOne(std::move(tasks[i]), state, [i](Results &results) { return &results[i]; });
    co_await state->finished();
    std::vector<Settled<T>> outcomes;
    outcomes.reserve(tasks.size());
    for (auto &outcome : state->takeResults())
        outcomes.push_back(std::move(*outcome));
    co_return outcomes;
}

} // namespace perflab::async

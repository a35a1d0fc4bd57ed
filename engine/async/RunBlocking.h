// runBlocking(): move a blocking call (file I/O, a synchronous driver, heavy parsing) off
// the event loop onto a bounded thread pool and co_await its result.
#pragma once

#include "engine/async/Settled.h"
#include "engine/async/WakeSlot.h"

#include <QCoro/QCoroTask>
#include <QRunnable>
#include <QThreadPool>

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace perflab::async {

// The process-wide pool for runBlocking(): 40 threads at most, Starlette's default for its
// threadpool, so a burst of blocking handlers queues up instead of spawning hundreds of
// threads. Change it with blockingPool().setMaxThreadCount(n). It is separate from
// QThreadPool::globalInstance() so that other users of that pool cannot starve it.
QThreadPool &blockingPool();

namespace detail {

// A hand-written QRunnable rather than QThreadPool::start(std::function): the callable may
// be move-only.
template <typename F, typename R> class BlockingJob final : public QRunnable
{
public:
    BlockingJob(F function, std::shared_ptr<WakeSlot<Settled<R>>> done)
        : m_function(std::move(function)), m_done(std::move(done))
    {
    }

    void run() override
    {
        try {
            if constexpr (std::is_void_v<R>) {
                m_function();
                m_done->wake(Settled<R>::success({}));
            } else {
                m_done->wake(Settled<R>::success(m_function()));
            }
        } catch (...) {
            m_done->wake(Settled<R>::failure(std::current_exception()));
        }
    }

private:
    F m_function;
    std::shared_ptr<WakeSlot<Settled<R>>> m_done;
};

} // namespace detail

// Runs f() on `pool` (queued while all its threads are busy) and resumes the awaiting
// coroutine on its own thread with f's result, or rethrows what f threw. f must not touch
// QObjects of the calling thread. There is no way to interrupt f once it runs; pass it a
// std::stop_token of your own if it can check one.
//
// GCC 12 caveat (all coroutines, not just this API): a capturing lambda, or any aggregate
// temporary with a destructor, in the same full-expression as a co_await is destroyed twice
// (a double free; see equeim/tremotesf2#551). Name the lambda first:
//     auto job = [path] { return readFile(path); };
//     auto bytes = co_await runBlocking(std::move(job));
template <typename F, typename R = std::invoke_result_t<F &>>
QCoro::Task<R> runBlocking(F f, QThreadPool &pool = blockingPool())
{
    auto done = std::make_shared<detail::WakeSlot<Settled<R>>>();
    pool.start(new detail::BlockingJob<F, R>(std::move(f), done)); // the pool deletes it
    auto outcome = co_await done->wait();
    if constexpr (std::is_void_v<R>)
        outcome.value();
    else
        co_return std::move(outcome).value();
}

} // namespace perflab::async

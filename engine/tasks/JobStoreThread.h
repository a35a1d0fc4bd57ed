// The one thread that talks to the job queue's SQLite file. A QSqlDatabase connection belongs
// to the thread that opened it, and SQLite takes one writer at a time anyway, so every
// statement is run here — never on an HTTP worker's event loop — and coroutines co_await it.
#pragma once

#include "engine/async/RunBlocking.h"
#include "engine/tasks/JobStore.h"

#include <QCoro/QCoroTask>
#include <QThreadPool>

#include <exception>
#include <future>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace perflab::tasks {

class JobStoreThread
{
public:
    // A pool of exactly one thread that never expires: the same thread for the store's life.
    JobStoreThread();
    // Closes the store if it is open, on its thread.
    ~JobStoreThread();
    JobStoreThread(const JobStoreThread &) = delete;
    JobStoreThread &operator=(const JobStoreThread &) = delete;

    // Opens the store on the thread; nullopt on success, else what went wrong. Blocks.
    std::optional<QString> open(const QString &filePath);
    // Destroys the store on the thread. Blocks; calls made afterwards throw JobStoreError.
    void close();

    // Runs f(store) on the thread and resumes the awaiting coroutine on its own thread with f's
    // result, or rethrows what f threw (JobStoreError when a statement failed).
    template <typename F, typename R = std::invoke_result_t<F &, JobStore &>> QCoro::Task<R> call(F f)
    {
        auto job = [this, f = std::move(f)]() mutable -> R { return f(openStore()); };
        if constexpr (std::is_void_v<R>)
            co_await async::runBlocking(std::move(job), m_thread);
        else
            co_return co_await async::runBlocking(std::move(job), m_thread);
    }

    // The same for a caller without an event loop to resume on (start and stop): blocks.
    template <typename F, typename R = std::invoke_result_t<F &, JobStore &>> R callSync(F f)
    {
        std::packaged_task<R()> task([this, &f]() -> R { return f(openStore()); });
        std::future<R> result = task.get_future();
        m_thread.start([&task] { task(); });
        return result.get();
    }

private:
    JobStore &openStore(); // on the thread only

    QThreadPool m_thread;
    std::unique_ptr<JobStore> m_store; // touched on the thread only
};

} // namespace perflab::tasks

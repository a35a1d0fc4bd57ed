// One database connection and the thread it lives on. A QSqlDatabase belongs to the thread
// that opened it, so each connection gets a one-thread QThreadPool (as JobStoreThread does)
// and every statement is sent there; coroutines co_await the result.
#pragma once

#include "engine/async/RunBlocking.h"
#include "engine/db/DatabaseUrl.h"
#include "engine/db/QueryObserver.h"

#include <QCoro/QCoroTask>
#include <QSqlDatabase>
#include <QThreadPool>

#include <chrono>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

namespace perflab::db {

class DbConnection
{
public:
    using Clock = std::chrono::steady_clock;

    // `observer` (may be null) hears of every statement run through run().
    explicit DbConnection(DatabaseUrl url, std::shared_ptr<QueryObserver> observer = {});
    // Closes the connection on its thread and waits for it (a local file or one network
    // message): the thread must not outlive its QSqlDatabase. Never destroy it from inside
    // one of its own run() jobs (it would wait for itself).
    ~DbConnection();
    DbConnection(const DbConnection &) = delete;
    DbConnection &operator=(const DbConnection &) = delete;

    // (Re)opens on the thread; nullopt on success, else the driver's message. `serial`
    // numbers opens across the pool so that "opened before" can be told apart.
    QCoro::Task<std::optional<QString>> open(quint64 serial);
    // SELECT 1; false when the connection is unusable.
    QCoro::Task<bool> ping();

    // Runs f(QSqlDatabase &) on the connection's thread and resumes the awaiting coroutine
    // on its own thread with the result (or rethrows what f threw).
    template <typename F, typename R = std::invoke_result_t<F &, QSqlDatabase &>> QCoro::Task<R> run(F f)
    {
        auto job = [this, f = std::move(f)]() mutable -> R {
            ScopedQueryObserver observing(m_observer.get());
            return f(m_database);
        };
        if constexpr (std::is_void_v<R>)
            co_await async::runBlocking(std::move(job), m_thread);
        else
            co_return co_await async::runBlocking(std::move(job), m_thread);
    }

    bool isOpen() const { return m_open; }
    quint64 serial() const { return m_serial; }
    Clock::time_point openedAt() const { return m_openedAt; }

private:
    void closeOnThread(); // on the thread only

    DatabaseUrl m_url;
    std::shared_ptr<QueryObserver> m_observer;
    QThreadPool m_thread;
    QSqlDatabase m_database;  // touched on the thread only
    QString m_connectionName; // touched on the thread only
    // Written by open() on the coroutine's thread; the pool hands the connection between
    // threads under its mutex.
    bool m_open = false;
    quint64 m_serial = 0;
    Clock::time_point m_openedAt;
};

} // namespace perflab::db

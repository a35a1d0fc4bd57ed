// A connection checked out of a ConnectionPool: run statements on it, and it goes back to
// the pool when destroyed (or release()d), whatever path the holder leaves by.
#pragma once

#include "engine/db/DbConnection.h"
#include "engine/db/QueryResult.h"

#include <QCoro/QCoroTask>

#include <memory>
#include <type_traits>
#include <utility>

namespace perflab::db {

namespace detail {
class PoolCore;
}

class PooledConnection
{
public:
    PooledConnection() = default;
    ~PooledConnection();
    PooledConnection(PooledConnection &&other) noexcept = default;
    PooledConnection &operator=(PooledConnection &&other) noexcept;

    // run(), query() and serial() need a non-empty object (not moved from, not released).
    explicit operator bool() const { return m_connection != nullptr; }

    // Runs f(QSqlDatabase &) on the connection's own thread; the awaiting coroutine resumes
    // on its own thread with f's result. The connection must stay checked out until then.
    template <typename F, typename R = std::invoke_result_t<F &, QSqlDatabase &>> QCoro::Task<R> run(F f)
    {
        return m_connection->run(std::move(f));
    }
    // One statement with positional (`?`) values.
    QCoro::Task<QueryResult> query(QString sql, QVariantList values = {});

    // Numbers the opens of the pool: a reopened connection gets a new serial.
    quint64 serial() const { return m_connection->serial(); }

    // Checks the connection in now; the object is then empty.
    void release();

private:
    friend class ConnectionPool;
    PooledConnection(std::shared_ptr<detail::PoolCore> core, std::unique_ptr<DbConnection> connection);

    std::shared_ptr<detail::PoolCore> m_core;
    std::unique_ptr<DbConnection> m_connection;
};

} // namespace perflab::db

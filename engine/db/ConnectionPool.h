// A database connection pool with SQLAlchemy QueuePool semantics over QtSql (guide chapter 4):
// connections open lazily, at most pool_size are kept idle, up to max_overflow more are
// opened under load and closed on check-in, checkout waits at most pool_timeout_s, and
// recycle and pre-ping are checked at checkout. Each connection lives on its own thread.
//
//     ConnectionPool pool(url, options, registry);
//     auto outcome = co_await pool.checkout();
//     if (auto *error = std::get_if<PoolError>(&outcome)) -> 503 {"detail": error->message}
//     auto &connection = std::get<PooledConnection>(outcome);
//     QueryResult rows = co_await connection.query(u"SELECT name FROM users WHERE id = ?"_s, {id});
#pragma once

#include "engine/db/DatabaseUrl.h"
#include "engine/db/PoolCore.h"
#include "engine/db/PoolOptions.h"
#include "engine/db/PooledConnection.h"
#include "engine/db/QueryObserver.h"

#include <QCoro/QCoroTask>

#include <memory>
#include <variant>

namespace perflab::metrics {
class Registry;
}

namespace perflab::db {

struct PoolError
{
    enum class Kind {
        Exhausted,     // no connection within pool_timeout_s (HTTP 503)
        ConnectFailed, // the database refused or could not be reached
        BadUrl,
        Closed, // the pool was destroyed while this checkout waited
    };
    Kind kind;
    // Exhausted: exactly "database pool exhausted: size N overflow M, waited T s".
    // Otherwise the URL with its password masked and the driver's message.
    QString message;
};

class ConnectionPool
{
public:
    // Opens nothing yet. `registry` must outlive the pool and its checked-out connections.
    // A URL that does not parse makes every checkout fail with Kind::BadUrl.
    ConnectionPool(const QString &url, PoolOptions options, metrics::Registry &registry);
    // Closes the idle connections; checked-out ones close when they come back.
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool &) = delete;
    ConnectionPool &operator=(const ConnectionPool &) = delete;

    // A connection that answered SELECT 1 (with pre-ping) and is younger than pool_recycle_s,
    // or an error. Resumes on the calling thread, which needs an event loop.
    QCoro::Task<std::variant<PooledConnection, PoolError>> checkout();

    // Every statement run on connections opened from now on is reported to `observer`
    // (the slow-query log). Set it before the first checkout.
    void setQueryObserver(std::shared_ptr<QueryObserver> observer);

    // Live changes: a larger capacity wakes waiters at once; a smaller pool_size closes
    // surplus idle connections now and surplus in-use ones when they come back.
    void setOptions(const PoolOptions &options);
    PoolOptions options() const;
    PoolFigures figures() const;
    // The URL with its password masked.
    QString maskedUrl() const;

private:
    std::shared_ptr<detail::PoolCore> m_core;
    QString m_urlError;
};

// "database pool exhausted: size N overflow M, waited T s", T with one decimal.
QString poolExhaustedMessage(const PoolOptions &options, double waitedS);

} // namespace perflab::db

// Checkout: wait for a permit, take an idle connection or open one, recycle and pre-ping.
// See ConnectionPool.h.
#include "engine/db/ConnectionPool.h"

#include <chrono>
#include <cmath>

namespace perflab::db {

namespace {

std::chrono::milliseconds toTimeout(double seconds)
{
    return std::chrono::milliseconds(std::llround(std::max(seconds, 0.0) * 1000.0));
}

QString connectFailedMessage(const DatabaseUrl &url, const QString &driverMessage)
{
    return QStringLiteral("cannot connect to %1: %2").arg(url.masked(), driverMessage);
}

DatabaseUrl parsedOrEmpty(const std::variant<DatabaseUrl, QString> &parsed, const QString &url)
{
    if (const auto *ok = std::get_if<DatabaseUrl>(&parsed))
        return *ok;
    DatabaseUrl none;
    none.original = url;
    return none;
}

} // namespace

QString poolExhaustedMessage(const PoolOptions &options, double waitedS)
{
    return QStringLiteral("database pool exhausted: size %1 overflow %2, waited %3 s")
        .arg(options.poolSize)
        .arg(options.maxOverflow)
        .arg(waitedS, 0, 'f', 1);
}

ConnectionPool::ConnectionPool(const QString &url, PoolOptions options, metrics::Registry &registry)
{
    const auto parsed = parseDatabaseUrl(url);
    if (const auto *error = std::get_if<QString>(&parsed))
        m_urlError = *error;
    m_core = std::make_shared<detail::PoolCore>(parsedOrEmpty(parsed, url), options, registry);
}

ConnectionPool::~ConnectionPool()
{
    m_core->shutDown();
}

QCoro::Task<std::variant<PooledConnection, PoolError>> ConnectionPool::checkout()
{
    if (!m_urlError.isEmpty())
        co_return PoolError{PoolError::Kind::BadUrl, m_urlError};
    auto core = m_core; // checked-out connections may outlive the pool
    const PoolOptions options = core->options();
    const auto started = std::chrono::steady_clock::now();
    bool permitted = core->capacity.tryAcquire();
    if (!permitted) {
        core->metrics.waiters->inc();
        permitted = co_await core->capacity.acquire(toTimeout(options.poolTimeoutS));
        core->metrics.waiters->dec();
    }
    const std::chrono::duration<double> waited = std::chrono::steady_clock::now() - started;
    core->metrics.waitSeconds->record(waited);
    if (!permitted)
        co_return PoolError{PoolError::Kind::Exhausted, poolExhaustedMessage(options, waited.count())};

    // A permit is held from here on: every failure path gives it back through checkIn().
    bool closed = false;
    std::unique_ptr<DbConnection> connection = core->takeIdle(closed);
    if (closed) {
        core->checkIn(nullptr);
        co_return PoolError{PoolError::Kind::Closed, QStringLiteral("the database pool is closed")};
    }
    if (!connection)
        connection = std::make_unique<DbConnection>(core->url, core->observer);
    bool needsOpen = !connection->isOpen() || core->isStale(*connection);
    if (!needsOpen && options.poolPrePing) {
        const bool alive = co_await connection->ping();
        if (!alive) {
            // As SQLAlchemy: the database probably restarted, so the connections opened
            // before this one are as dead; they are reopened at their next checkout.
            core->invalidateThrough(connection->serial());
            needsOpen = true;
        }
    }
    if (needsOpen) {
        const quint64 serial = core->nextSerial();
        const std::optional<QString> error = co_await connection->open(serial);
        if (error) {
            core->checkIn(std::move(connection));
            co_return PoolError{PoolError::Kind::ConnectFailed, connectFailedMessage(core->url, *error)};
        }
        core->countOpened();
    }
    co_return PooledConnection(std::move(core), std::move(connection));
}

void ConnectionPool::setQueryObserver(std::shared_ptr<QueryObserver> observer)
{
    m_core->observer = std::move(observer);
}

void ConnectionPool::setOptions(const PoolOptions &options)
{
    m_core->setOptions(options);
}

PoolOptions ConnectionPool::options() const
{
    return m_core->options();
}

PoolFigures ConnectionPool::figures() const
{
    return m_core->figures();
}

QString ConnectionPool::maskedUrl() const
{
    return m_core->url.masked();
}

} // namespace perflab::db

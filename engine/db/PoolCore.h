// The state a ConnectionPool shares with its checked-out connections, so that either may
// go first. Internal to engine/db; all members thread-safe.
#pragma once

#include "engine/async/Semaphore.h"
#include "engine/db/DatabaseUrl.h"
#include "engine/db/DbConnection.h"
#include "engine/db/PoolMetrics.h"
#include "engine/db/PoolOptions.h"
#include "engine/db/QueryObserver.h"

#include <deque>
#include <memory>
#include <mutex>

namespace perflab::db {

struct PoolFigures
{
    int inUse = 0;
    int idle = 0;
    int overflow = 0; // open connections beyond pool_size
    int open = 0;     // in use + idle
    int waiters = 0;
    quint64 opened = 0; // connections opened so far, including reopens
    quint64 closed = 0; // closed on check-in, shrink or shutdown (a reopen counts as opened only)
};

namespace detail {

class PoolCore
{
public:
    PoolCore(DatabaseUrl url, PoolOptions options, metrics::Registry &registry);

    const DatabaseUrl url;
    PoolMetrics metrics;
    // pool_size + max_overflow permits; a checkout holds one until check-in. A connection
    // is opened only when none is idle, so open connections never exceed the permits.
    // FIFO, waited on for at most pool_timeout_s.
    async::Semaphore capacity;

    // Given to each connection the pool creates; set before the first checkout.
    std::shared_ptr<QueryObserver> observer;

    PoolOptions options() const;
    void setOptions(const PoolOptions &options);
    PoolFigures figures() const;

    // With a permit held: the oldest idle connection, or nullptr (open a new one).
    // nullptr too, with `closed` set, once the pool has shut down (the permit is then kept
    // until checkIn(nullptr)).
    std::unique_ptr<DbConnection> takeIdle(bool &closed);
    // Opened before the last failed ping, or older than pool_recycle_s.
    bool isStale(const DbConnection &connection) const;
    // A ping failed: this connection and every one opened before it are stale.
    void invalidateThrough(quint64 serial);
    quint64 nextSerial();
    void countOpened();
    // Back from a checkout: kept idle while fewer than pool_size are, else closed; the
    // permit is returned either way. `connection` may be null (a checkout that failed).
    void checkIn(std::unique_ptr<DbConnection> connection);
    // The pool is going away: close the idle connections; later check-ins close theirs.
    void shutDown();

private:
    void publishLocked();
    void countClosed(int n);

    mutable std::mutex m_mutex;
    PoolOptions m_options;
    std::deque<std::unique_ptr<DbConnection>> m_idle;
    int m_inUse = 0;
    quint64 m_lastSerial = 0;
    quint64 m_staleThrough = 0;
    quint64 m_opened = 0;
    quint64 m_closed = 0;
    bool m_shutDown = false;
};

} // namespace detail
} // namespace perflab::db

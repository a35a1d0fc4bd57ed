// The pool's shared bookkeeping: see PoolCore.h.
#include "engine/db/PoolCore.h"

#include <algorithm>
#include <vector>

namespace perflab::db::detail {

PoolCore::PoolCore(DatabaseUrl url_, PoolOptions options, metrics::Registry &registry)
    : url(std::move(url_)), metrics(registry), capacity(options.capacity()), m_options(options)
{
    std::lock_guard lock(m_mutex);
    publishLocked();
}

PoolOptions PoolCore::options() const
{
    std::lock_guard lock(m_mutex);
    return m_options;
}

void PoolCore::setOptions(const PoolOptions &options)
{
    std::vector<std::unique_ptr<DbConnection>> surplus;
    {
        std::lock_guard lock(m_mutex);
        m_options = options;
        while (static_cast<int>(m_idle.size()) > std::max(options.poolSize, 0)) {
            surplus.push_back(std::move(m_idle.back()));
            m_idle.pop_back();
        }
        publishLocked();
    }
    capacity.setLimit(options.capacity());
    // `surplus` is closed on leaving, outside the lock: closing waits for the connection's thread.
    countClosed(static_cast<int>(surplus.size()));
}

PoolFigures PoolCore::figures() const
{
    std::lock_guard lock(m_mutex);
    PoolFigures figures;
    figures.inUse = m_inUse;
    figures.idle = static_cast<int>(m_idle.size());
    figures.open = figures.inUse + figures.idle;
    figures.overflow = std::max(0, figures.open - m_options.poolSize);
    figures.waiters = capacity.waiting();
    figures.opened = m_opened;
    figures.closed = m_closed;
    return figures;
}

std::unique_ptr<DbConnection> PoolCore::takeIdle(bool &closed)
{
    std::lock_guard lock(m_mutex);
    ++m_inUse;
    closed = m_shutDown;
    std::unique_ptr<DbConnection> connection;
    if (!m_idle.empty()) {
        connection = std::move(m_idle.front());
        m_idle.pop_front();
    }
    publishLocked();
    return connection;
}

bool PoolCore::isStale(const DbConnection &connection) const
{
    std::lock_guard lock(m_mutex);
    if (connection.serial() <= m_staleThrough)
        return true;
    if (m_options.poolRecycleS < 0)
        return false;
    const std::chrono::duration<double> age = DbConnection::Clock::now() - connection.openedAt();
    return age.count() > m_options.poolRecycleS;
}

void PoolCore::invalidateThrough(quint64 serial)
{
    std::lock_guard lock(m_mutex);
    m_staleThrough = std::max(m_staleThrough, serial);
}

quint64 PoolCore::nextSerial()
{
    std::lock_guard lock(m_mutex);
    return ++m_lastSerial;
}

void PoolCore::countOpened()
{
    metrics.opened->inc();
    std::lock_guard lock(m_mutex);
    ++m_opened;
}

void PoolCore::countClosed(int n)
{
    std::lock_guard lock(m_mutex);
    m_closed += static_cast<quint64>(n);
}

void PoolCore::checkIn(std::unique_ptr<DbConnection> connection)
{
    {
        std::lock_guard lock(m_mutex);
        --m_inUse;
        const bool keep = connection && connection->isOpen() && !m_shutDown &&
                          connection->serial() > m_staleThrough &&
                          static_cast<int>(m_idle.size()) < m_options.poolSize;
        if (keep)
            m_idle.push_back(std::move(connection));
        publishLocked();
    }
    if (connection) {
        const bool wasOpen = connection->isOpen();
        connection.reset(); // closes it, outside the lock
        if (wasOpen)
            countClosed(1);
    }
    capacity.release(); // after closing, so that open connections never exceed the capacity
}

void PoolCore::shutDown()
{
    std::deque<std::unique_ptr<DbConnection>> idle;
    {
        std::lock_guard lock(m_mutex);
        m_shutDown = true;
        idle.swap(m_idle);
        publishLocked();
    }
    countClosed(static_cast<int>(idle.size()));
}

void PoolCore::publishLocked()
{
    const int idle = static_cast<int>(m_idle.size());
    metrics.inUse->set(m_inUse);
    metrics.idle->set(idle);
    metrics.overflow->set(std::max(0, m_inUse + idle - m_options.poolSize));
}

} // namespace perflab::db::detail

// One connection on its own thread: see DbConnection.h.
#include "engine/db/DbConnection.h"

#include "engine/db/SqliteBusyWait.h"

#include <QSqlError>
#include <QSqlQuery>

#include <atomic>
#include <future>

namespace perflab::db {

namespace {

// How long a statement waits for another connection's SQLite lock before failing.
constexpr std::chrono::milliseconds sqliteBusyTimeout{5000};

QString nextConnectionName()
{
    static std::atomic<quint64> counter{0};
    return QStringLiteral("perflab-db-%1").arg(++counter);
}

} // namespace

DbConnection::DbConnection(DatabaseUrl url, std::shared_ptr<QueryObserver> observer)
    : m_url(std::move(url)), m_observer(std::move(observer))
{
    m_thread.setMaxThreadCount(1);
    m_thread.setExpiryTimeout(-1);
}

DbConnection::~DbConnection()
{
    std::promise<void> closed;
    m_thread.start([this, &closed] {
        closeOnThread();
        closed.set_value();
    });
    closed.get_future().wait();
    m_thread.waitForDone();
}

void DbConnection::closeOnThread()
{
    if (m_connectionName.isEmpty())
        return;
    m_database.close();
    m_database = QSqlDatabase(); // removeDatabase() wants no copy left
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

QCoro::Task<std::optional<QString>> DbConnection::open(quint64 serial)
{
    m_open = false;
    auto job = [this]() -> std::optional<QString> {
        closeOnThread();
        m_connectionName = nextConnectionName();
        m_database = QSqlDatabase::addDatabase(m_url.driver, m_connectionName);
        m_database.setDatabaseName(m_url.databaseName);
        if (m_url.isSqlite()) {
            // Several connections share one file: wait for a writer instead of failing. The
            // driver's timeout is the fallback; installSqliteBusyWait below replaces its sleeps.
            m_database.setConnectOptions(
                QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(sqliteBusyTimeout.count()));
        } else {
            m_database.setHostName(m_url.host);
            m_database.setPort(m_url.port);
            m_database.setUserName(m_url.userName);
            m_database.setPassword(m_url.password);
            m_database.setConnectOptions(QStringLiteral("connect_timeout=5"));
        }
        if (!m_database.open()) {
            QString message = m_database.lastError().text();
            closeOnThread();
            return message.isEmpty() ? QStringLiteral("cannot open the database") : message;
        }
        if (m_url.isSqlite()) {
            static std::atomic<bool> warned{false};
            if (!installSqliteBusyWait(m_database, sqliteBusyTimeout) && !warned.exchange(true))
                qWarning("perflab: SQLite's own busy handler stays: waits for a lock may oversleep");
            // WAL lets readers on other connections go on while one connection writes.
            QSqlQuery pragma(m_database);
            pragma.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
            // The schema's foreign keys mean the same on both databases (SQLite leaves them
            // unchecked unless asked, per connection).
            pragma.exec(QStringLiteral("PRAGMA foreign_keys=ON"));
        }
        return std::nullopt;
    };
    std::optional<QString> error = co_await async::runBlocking(std::move(job), m_thread);
    if (!error) {
        m_open = true;
        m_serial = serial;
        m_openedAt = Clock::now();
    }
    co_return error;
}

QCoro::Task<bool> DbConnection::ping()
{
    auto job = [this] {
        if (!m_database.isOpen())
            return false;
        QSqlQuery query(m_database);
        return query.exec(QStringLiteral("SELECT 1")) && query.next();
    };
    const bool alive = co_await async::runBlocking(std::move(job), m_thread);
    if (!alive)
        m_open = false;
    co_return alive;
}

} // namespace perflab::db

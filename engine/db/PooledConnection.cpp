// Returning a checked-out connection: see PooledConnection.h.
#include "engine/db/PooledConnection.h"

#include "engine/db/PoolCore.h"

namespace perflab::db {

PooledConnection::PooledConnection(std::shared_ptr<detail::PoolCore> core,
                                   std::unique_ptr<DbConnection> connection)
    : m_core(std::move(core)), m_connection(std::move(connection))
{
}

PooledConnection::~PooledConnection()
{
    release();
}

PooledConnection &PooledConnection::operator=(PooledConnection &&other) noexcept
{
    if (this != &other) {
        release();
        m_core = std::move(other.m_core);
        m_connection = std::move(other.m_connection);
    }
    return *this;
}

void PooledConnection::release()
{
    if (m_core)
        std::exchange(m_core, nullptr)->checkIn(std::move(m_connection));
}

QCoro::Task<QueryResult> PooledConnection::query(QString sql, QVariantList values)
{
    auto statement = [sql = std::move(sql), values = std::move(values)](QSqlDatabase &db) {
        return execQuery(db, sql, values);
    };
    co_return co_await m_connection->run(std::move(statement));
}

} // namespace perflab::db

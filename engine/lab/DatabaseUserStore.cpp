// See DatabaseUserStore.h.
#include "engine/lab/DatabaseUserStore.h"

#include "engine/db/ConnectionPool.h"
#include "engine/db/UserQueries.h"

namespace perflab::lab {

namespace {

QCoro::Task<db::PooledConnection> checkout(db::ConnectionPool &pool)
{
    auto outcome = co_await pool.checkout();
    if (auto *error = std::get_if<db::PoolError>(&outcome))
        throw UserStoreError(503, error->message);
    co_return std::get<db::PooledConnection>(std::move(outcome));
}

UserStoreError statementFailed(const QString &error)
{
    return UserStoreError(500, QStringLiteral("database error: %1").arg(error));
}

} // namespace

QCoro::Task<std::optional<QJsonObject>> DatabaseUserStore::find(qint64 id)
{
    db::PooledConnection connection = co_await checkout(m_pool);
    auto work = [id](QSqlDatabase &database) { return db::findUserBrief(database, id); };
    const db::UserLookup found = co_await connection.run(std::move(work));
    if (!found.error.isEmpty())
        throw statementFailed(found.error);
    co_return found.user;
}

QCoro::Task<std::optional<QJsonObject>> DatabaseUserStore::updateName(qint64 id, QString name)
{
    db::PooledConnection connection = co_await checkout(m_pool);
    auto work = [id, name = std::move(name)](QSqlDatabase &database) {
        return db::renameUser(database, id, name);
    };
    const db::UserLookup renamed = co_await connection.run(std::move(work));
    if (!renamed.error.isEmpty())
        throw statementFailed(renamed.error);
    co_return renamed.user;
}

QCoro::Task<std::vector<QJsonObject>> DatabaseUserStore::findRange(qint64 firstId, qint64 lastId)
{
    db::PooledConnection connection = co_await checkout(m_pool);
    auto work = [firstId, lastId](QSqlDatabase &database) {
        return db::usersBriefRange(database, firstId, lastId);
    };
    const db::RowsResult rows = co_await connection.run(std::move(work));
    if (!rows.error.isEmpty())
        throw statementFailed(rows.error);
    std::vector<QJsonObject> out;
    out.reserve(size_t(rows.rows.size()));
    for (const QJsonValue &row : rows.rows)
        out.push_back(row.toObject());
    co_return out;
}

} // namespace perflab::lab

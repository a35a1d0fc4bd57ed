// The users store behind /users/{id} once the database is there (guide chapter 3 over chapter
// 4): reads and renames rows of the real users table through the connection pool. Rows are
// {"id", "name"}, the guide's fetch_user shape. When the pool cannot give a connection the
// calls throw UserStoreError(503, the pool's message); a failed statement, (500, its error).
#pragma once

#include "engine/lab/UserRoutes.h"

namespace perflab::db {
class ConnectionPool;
}

namespace perflab::lab {

class DatabaseUserStore final : public UserStore
{
public:
    // `pool` must outlive the store.
    explicit DatabaseUserStore(db::ConnectionPool &pool) : m_pool(pool) {}

    QCoro::Task<std::optional<QJsonObject>> find(qint64 id) override;
    QCoro::Task<std::optional<QJsonObject>> updateName(qint64 id, QString name) override;
    QCoro::Task<std::vector<QJsonObject>> findRange(qint64 firstId, qint64 lastId) override;

private:
    db::ConnectionPool &m_pool;
};

} // namespace perflab::lab

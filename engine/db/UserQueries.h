// The query patterns of guide chapter 4 on the lab's users table (resources/sql/schema.sql),
// each in the fast way and, where the guide contrasts two ways, the slow twin: offset vs
// keyset pagination, only the needed columns vs whole rows, one IN vs N+1, count(*) vs
// counting loaded rows, one multi-row INSERT vs a statement and commit per row.
//
// Every function runs on a connection's own thread (inside PooledConnection::run) and leaves
// the connection as it found it: writes are in a transaction that is committed or rolled back
// before returning. Rows come back as JSON objects, the shape the routes answer with.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>
#include <vector>

namespace perflab::db {

struct RowsResult
{
    QJsonArray rows;
    QString error; // empty on success
    int statements = 0;
};

struct CountResult
{
    qint64 count = 0;
    QString error;
};

struct WriteResult
{
    qint64 rows = 0;   // inserted, updated or deleted
    QList<qint64> ids; // inserted: the new ids, in input order
    QString error;
    int statements = 0;
};

struct NewUser
{
    QString name;
    QString email;
    QString bio;
    bool isActive = true;
};

// Full rows: id, name, email, bio, is_active, created_at.
// `page` counts from 1, as the guide's get_users_paginated.
RowsResult usersOffsetPage(QSqlDatabase &db, qint64 page, int size);
// Rows with id > cursor, in id order.
RowsResult usersAfterCursor(QSqlDatabase &db, qint64 cursor, int size);
// id and name only; `wholeRows`: the slow twin, SELECT * and drop the rest (what an ORM
// query for entities does).
RowsResult userNames(QSqlDatabase &db, int limit, bool wholeRows);
// id, name, email (load_only).
RowsResult usersPartial(QSqlDatabase &db, int limit);
// Full rows of the given ids, in id order, each once. `nPlusOne`: one SELECT per id.
RowsResult usersByIds(QSqlDatabase &db, const QList<qint64> &ids, bool nPlusOne);
// SELECT count(*); `naive`: SELECT every row and count them here.
CountResult countUsers(QSqlDatabase &db, bool naive);
// One multi-row INSERT per chunk, all in one transaction. `rowByRow`: one INSERT and one
// COMMIT per row, as a loop of session.add + commit does; when a row fails, the rows this
// call already committed are deleted again, so the call still writes all or nothing.
WriteResult insertUsers(QSqlDatabase &db, const std::vector<NewUser> &users, bool rowByRow);
// One UPDATE ... WHERE id IN (...).
WriteResult setUsersActive(QSqlDatabase &db, const QList<qint64> &ids, bool active);
// One DELETE ... WHERE id IN (...), after deleting those users' orders (the foreign key).
WriteResult deleteUsers(QSqlDatabase &db, const QList<qint64> &ids);

// The cache-aside routes' view of a user: {"id", "name"} (the guide's fetch_user shape).
struct UserLookup
{
    std::optional<QJsonObject> user; // nullopt: no such user
    QString error;
};
UserLookup findUserBrief(QSqlDatabase &db, qint64 id);
UserLookup renameUser(QSqlDatabase &db, qint64 id, const QString &name);
// Brief rows with firstId <= id <= lastId, in id order, in one statement.
RowsResult usersBriefRange(QSqlDatabase &db, qint64 firstId, qint64 lastId);

} // namespace perflab::db

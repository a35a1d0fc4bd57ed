// A statement's outcome as a plain value that can cross threads: the rows (each a list of
// column values), the rows affected, or the driver's error.
#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>

#include <functional>
#include <memory>

class QSqlQuery;

namespace perflab::db {

struct QueryResult
{
    QList<QVariantList> rows;
    int rowsAffected = -1;
    QString error; // empty on success

    bool ok() const { return error.isEmpty(); }
};

// Runs `sql` on `db`, prepared with `values` bound positionally (`?`) when there are any;
// call it on the connection's thread (inside PooledConnection::run).
// Timed and reported to the thread's QueryObserver (see QueryObserver.h).
QueryResult execQuery(QSqlDatabase &db, const QString &sql, const QVariantList &values = {});

// One statement prepared once and executed with many sets of values (a bulk insert's chunks):
// the database parses it once. Each exec() is timed and reported like execQuery.
class PreparedStatement
{
public:
    PreparedStatement(QSqlDatabase &db, QString sql);
    ~PreparedStatement();
    PreparedStatement(const PreparedStatement &) = delete;
    PreparedStatement &operator=(const PreparedStatement &) = delete;
    QueryResult exec(const QVariantList &values);

private:
    QSqlDatabase &m_db;
    QString m_sql;
    std::unique_ptr<QSqlQuery> m_query;
    QString m_prepareError;
};

// Like execQuery, but hands each row to `onRow` instead of keeping it: for statements whose
// result is too large to hold (the naive count reads every row of a million-row table).
// Returns the error, empty on success. Timed and reported like execQuery.
QString execForEachRow(QSqlDatabase &db, const QString &sql, const QVariantList &values,
                       const std::function<void(const QSqlQuery &)> &onRow);

} // namespace perflab::db

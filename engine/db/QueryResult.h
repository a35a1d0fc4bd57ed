// A statement's outcome as a plain value that can cross threads: the rows (each a list of
// column values), the rows affected, or the driver's error.
#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QVariant>

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

} // namespace perflab::db

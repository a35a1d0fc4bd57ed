// Every statement the pool's connections run is timed and reported to one observer (the
// slow-query log and db_query_duration_seconds, guide chapter 4), including the statements a
// route runs inside PooledConnection::run(). The observer is per thread because each
// connection owns its thread: DbConnection installs its pool's observer around every job, and
// execQuery() reports to whatever is installed (nothing outside a pool's connection).
#pragma once

#include <QString>
#include <QVariantList>

namespace perflab::db {

class QueryObserver
{
public:
    virtual ~QueryObserver() = default;
    // After each statement, on the connection's thread (so: from many threads at once).
    // `values` are the positional values bound to the statement's `?`s.
    virtual void statementFinished(const QString &sql, const QVariantList &values, double ms, bool ok) = 0;
};

// The observer of the statements run on this thread; nullptr when none.
QueryObserver *currentQueryObserver();

// Installs `observer` on this thread for the scope's lifetime (restoring the previous one).
class ScopedQueryObserver
{
public:
    explicit ScopedQueryObserver(QueryObserver *observer);
    ~ScopedQueryObserver();
    ScopedQueryObserver(const ScopedQueryObserver &) = delete;
    ScopedQueryObserver &operator=(const ScopedQueryObserver &) = delete;

private:
    QueryObserver *m_previous;
};

} // namespace perflab::db

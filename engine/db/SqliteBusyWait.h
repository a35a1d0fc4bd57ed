// Waiting for another connection's SQLite lock without oversleeping.
//
// SQLite's own busy handler (what sqlite3_busy_timeout and QSQLITE_BUSY_TIMEOUT install)
// sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, then 100 ms at a time: a writer that finds
// the write lock taken wakes up to 100 ms after it was released, and meanwhile writers that
// never slept take the lock again. With several writers this compounds into waits of seconds
// and "database is locked" at the timeout. The handler installed here looks again every
// ~0.5 ms until the same timeout.
#pragma once

#include <QSqlDatabase>
#include <QtGlobal>

#include <chrono>

namespace perflab::db {

// Replaces the busy handler of an open QSQLITE connection; returns false, leaving the
// driver's busy timeout in place, when `db` is not an open SQLite connection or the SQLite
// library the driver uses cannot be reached. Call it on the connection's thread.
bool installSqliteBusyWait(QSqlDatabase &db, std::chrono::milliseconds timeout);

// How many times, in this process, the handler was asked to wait and chose to retry: tests
// see from it that the handler is installed and how often it looks.
quint64 sqliteBusyRetries();

} // namespace perflab::db

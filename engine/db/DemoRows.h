// What each row of the demo dataset holds, defined twice on purpose: as SQL that makes a range
// of rows inside the database (fast: no row crosses the connection) and as C++ that makes one
// row (the tests compare the two, which holds SQLite and PostgreSQL to a single definition).
// Every value follows from the row's id and the seed through demoHash().
#pragma once

#include "engine/db/Schema.h"

#include <QDateTime>
#include <QString>

namespace perflab::db {

// An integer hash of a row id that SQLite, PostgreSQL and C++ compute alike: arithmetic
// modulo the prime P = 2^31 - 1 on non-negative 64-bit integers, with every intermediate
// below 2^63 (SQLite would turn an overflowing integer into a float, PostgreSQL would fail)
// and no negative operand of % (whose sign rules differ). For 0 <= n < P and 0 <= salt < P:
//   x = (n * 1597334677 + salt) mod P
//   h = (((x * x + 506952114) mod P) * 1664525 + x) mod P
// The square is what scatters consecutive ids; the rest keeps h a function of x.
inline constexpr qint64 demoHashModulus = 2147483647;
qint64 demoHash(qint64 n, qint64 salt);
// The same as an SQL expression of the integer column or expression `n`.
QString demoHashSql(const QString &n, qint64 salt);

// One salt per random column, so that their values are independent of each other.
enum class DemoColumn { UserProfile, UserCreatedAt, OrderUser, OrderAmount, OrderCreatedAt };
// In [0, P), from the seed (computed here, written into the SQL as a number).
qint64 demoSalt(quint32 seed, DemoColumn column);

// created_at is spread over the year before this fixed instant, so that a seed always gives
// the same dates: 2025-01-01 00:00:00 UTC.
inline constexpr qint64 demoEpochEnd = 1735689600;
inline constexpr qint64 demoSpanSeconds = 365 * 24 * 3600;

// Ids are the largest a dataset may have: the hash needs n < P.
inline constexpr qint64 demoMaxRows = demoHashModulus - 1;

struct DemoUser
{
    qint64 id = 0;
    QString name;         // "User <id>", as the guide's fetch_user answers
    QString email;        // "user<id>@example.com"
    QString bio;          // "User <id> likes <topic> and <pastime>."
    bool isActive = true; // 9 users in 10
    QDateTime createdAt;  // UTC, whole seconds
};

struct DemoOrder
{
    qint64 id = 0;
    qint64 userId = 0;      // any of 1..users, by a hash of the order id
    qint64 amountCents = 0; // 100..50000, stored as amount 1.00..500.00
    QDateTime createdAt;    // UTC, whole seconds
};

DemoUser demoUser(qint64 id, quint32 seed);
DemoOrder demoOrder(qint64 id, qint64 users, quint32 seed);

// INSERT ... SELECT statements making the rows with ids first..last (inclusive) from a series
// generated inside the database: SQLite's recursive CTE, PostgreSQL's generate_series.
QString insertDemoUsersSql(Dialect dialect, qint64 first, qint64 last, quint32 seed);
QString insertDemoOrdersSql(Dialect dialect, qint64 first, qint64 last, qint64 users, quint32 seed);

} // namespace perflab::db

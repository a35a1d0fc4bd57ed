// The demo dataset's rows as SQL and as a C++ reference: see DemoRows.h.
#include "engine/db/DemoRows.h"

#include <array>

namespace perflab::db {

namespace {

constexpr qint64 idMultiplier = 1597334677;
constexpr qint64 squareOffset = 506952114;
constexpr qint64 outerMultiplier = 1664525;

constexpr qint64 smallestAmountCents = 100;
constexpr qint64 amountCentsRange = 49901; // up to 50000 cents: 500.00

// Written into the bio: a little text per user, so that the /db/users routes that select
// fewer columns (names, partial) have something to save.
constexpr std::array<const char *, 8> topics{"async I/O",         "connection pools", "caching",
                                             "keyset pagination", "compression",      "streaming",
                                             "background jobs",   "flame graphs"};
constexpr std::array<const char *, 8> pastimes{"coffee", "tea",     "hiking", "chess",
                                               "jazz",   "cycling", "baking", "sailing"};

// splitmix64's finalizer: neighbouring seeds and columns get unrelated salts.
quint64 scramble(quint64 z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

QString number(qint64 value)
{
    return QString::number(value);
}

QDateTime createdAt(qint64 hash)
{
    return QDateTime::fromSecsSinceEpoch(demoEpochEnd - hash % demoSpanSeconds, Qt::UTC);
}

// The profile hash decides three things from its independent digits: topic, pastime, active.
QString topicOf(qint64 profile)
{
    return QString::fromLatin1(topics[profile % 8]);
}
QString pastimeOf(qint64 profile)
{
    return QString::fromLatin1(pastimes[profile / 8 % 8]);
}
bool activeOf(qint64 profile)
{
    return profile / 64 % 10 != 0;
}

template <std::size_t N> QString caseSql(const QString &index, const std::array<const char *, N> &texts)
{
    QString sql = QStringLiteral("CASE ") + index;
    for (std::size_t i = 0; i + 1 < N; ++i)
        sql += QStringLiteral(" WHEN ") + number(qint64(i)) + QStringLiteral(" THEN '") +
               QString::fromLatin1(texts[i]) + QLatin1Char('\'');
    return sql + QStringLiteral(" ELSE '") + QString::fromLatin1(texts[N - 1]) + QStringLiteral("' END");
}

// The ids first..last as rows of one column n.
QString seriesSql(Dialect dialect, qint64 first, qint64 last)
{
    if (dialect == Dialect::Sqlite)
        return QStringLiteral("WITH RECURSIVE series(n) AS (SELECT %1 UNION ALL SELECT n + 1 FROM series "
                              "WHERE n < %2)")
            .arg(number(first), number(last));
    return QStringLiteral(
               "WITH series(n) AS (SELECT generate_series(CAST(%1 AS BIGINT), CAST(%2 AS BIGINT)))")
        .arg(number(first), number(last));
}

// The instant `secondsBefore` seconds before demoEpochEnd, as the column's type wants it.
// PostgreSQL counts from TIMESTAMP 'epoch' rather than to_timestamp(), whose result depends
// on the session's time zone.
QString timestampSql(Dialect dialect, const QString &secondsBefore)
{
    if (dialect == Dialect::Sqlite)
        return QStringLiteral("datetime(%1 - (%2), 'unixepoch')").arg(number(demoEpochEnd), secondsBefore);
    return QStringLiteral("TIMESTAMP 'epoch' + (%1 - (%2)) * INTERVAL '1 second'")
        .arg(number(demoEpochEnd), secondsBefore);
}

} // namespace

qint64 demoHash(qint64 n, qint64 salt)
{
    const qint64 x = (n * idMultiplier + salt) % demoHashModulus;
    return (((x * x + squareOffset) % demoHashModulus) * outerMultiplier + x) % demoHashModulus;
}

QString demoHashSql(const QString &n, qint64 salt)
{
    // Multi-argument arg() substitutes in one pass, so a "%" of the SQL is never taken for a
    // placeholder (nor is anything in a substituted text).
    const QString modulus = number(demoHashModulus);
    const QString x =
        QStringLiteral("((%1 * %2 + %3) % %4)").arg(n, number(idMultiplier), number(salt), modulus);
    return QStringLiteral("((((%1 * %1 + %2) % %3) * %4 + %1) % %3)")
        .arg(x, number(squareOffset), modulus, number(outerMultiplier));
}

qint64 demoSalt(quint32 seed, DemoColumn column)
{
    const quint64 key = (quint64(seed) << 8) | quint64(column);
    return qint64(scramble(key) % quint64(demoHashModulus));
}

DemoUser demoUser(qint64 id, quint32 seed)
{
    const qint64 profile = demoHash(id, demoSalt(seed, DemoColumn::UserProfile));
    DemoUser user;
    user.id = id;
    user.name = QStringLiteral("User ") + number(id);
    user.email = QStringLiteral("user") + number(id) + QStringLiteral("@example.com");
    user.bio = QStringLiteral("User ") + number(id) + QStringLiteral(" likes ") + topicOf(profile) +
               QStringLiteral(" and ") + pastimeOf(profile) + QLatin1Char('.');
    user.isActive = activeOf(profile);
    user.createdAt = createdAt(demoHash(id, demoSalt(seed, DemoColumn::UserCreatedAt)));
    return user;
}

DemoOrder demoOrder(qint64 id, qint64 users, quint32 seed)
{
    DemoOrder order;
    order.id = id;
    order.userId = demoHash(id, demoSalt(seed, DemoColumn::OrderUser)) % users + 1;
    order.amountCents =
        demoHash(id, demoSalt(seed, DemoColumn::OrderAmount)) % amountCentsRange + smallestAmountCents;
    order.createdAt = createdAt(demoHash(id, demoSalt(seed, DemoColumn::OrderCreatedAt)));
    return order;
}

QString insertDemoUsersSql(Dialect dialect, qint64 first, qint64 last, quint32 seed)
{
    // Mirrors demoUser(); the subquery names the two hashes each row needs.
    return QStringLiteral("INSERT INTO users (id, name, email, bio, is_active, created_at) %1 "
                          "SELECT n, 'User ' || n, 'user' || n || '@example.com', "
                          "'User ' || n || ' likes ' || %2 || ' and ' || %3 || '.', "
                          "(profile / 64 % 10) <> 0, %4 "
                          "FROM (SELECT n, %5 AS profile, %6 % %7 AS age FROM series) AS hashed")
        .arg(seriesSql(dialect, first, last), caseSql(QStringLiteral("(profile % 8)"), topics),
             caseSql(QStringLiteral("(profile / 8 % 8)"), pastimes),
             timestampSql(dialect, QStringLiteral("age")),
             demoHashSql(QStringLiteral("n"), demoSalt(seed, DemoColumn::UserProfile)),
             demoHashSql(QStringLiteral("n"), demoSalt(seed, DemoColumn::UserCreatedAt)),
             number(demoSpanSeconds));
}

QString insertDemoOrdersSql(Dialect dialect, qint64 first, qint64 last, qint64 users, quint32 seed)
{
    const QString n = QStringLiteral("n");
    const QString age = demoHashSql(n, demoSalt(seed, DemoColumn::OrderCreatedAt)) + QStringLiteral(" % ") +
                        number(demoSpanSeconds);
    // Mirrors demoOrder(). Dividing by 100.0 gives a NUMERIC on PostgreSQL (exact, as the
    // column keeps it) and a REAL on SQLite (the double nearest to the cents).
    return QStringLiteral("INSERT INTO orders (id, user_id, amount, created_at) %1 "
                          "SELECT n, %2 % %3 + 1, (%4 % %5 + %6) / 100.0, %7 FROM series")
        .arg(seriesSql(dialect, first, last), demoHashSql(n, demoSalt(seed, DemoColumn::OrderUser)),
             number(users), demoHashSql(n, demoSalt(seed, DemoColumn::OrderAmount)), number(amountCentsRange),
             number(smallestAmountCents), timestampSql(dialect, age));
}

} // namespace perflab::db

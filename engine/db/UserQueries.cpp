// See UserQueries.h.
#include "engine/db/UserQueries.h"

#include "engine/db/QueryResult.h"

#include <QDateTime>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

#include <algorithm>

namespace perflab::db {

namespace {

const QString kFullColumns = QStringLiteral("id, name, email, bio, is_active, created_at");
const QStringList kFullNames{QStringLiteral("id"),        QStringLiteral("name"),
                             QStringLiteral("email"),     QStringLiteral("bio"),
                             QStringLiteral("is_active"), QStringLiteral("created_at")};
const QStringList kBriefNames{QStringLiteral("id"), QStringLiteral("name")};
const QStringList kPartialNames{QStringLiteral("id"), QStringLiteral("name"), QStringLiteral("email")};

// 1,000 rows of 4 values: far under SQLite's 32,766 host parameters and PostgreSQL's 65,535.
constexpr int kInsertChunk = 100;

// Both databases give the same JSON: SQLite keeps booleans as 0/1 and timestamps as text,
// PostgreSQL returns bool and QDateTime.
QJsonValue jsonOf(const QString &column, const QVariant &value)
{
    if (value.isNull())
        return QJsonValue::Null;
    if (column == QLatin1String("is_active"))
        return value.toBool();
    if (column == QLatin1String("id"))
        return value.toLongLong();
    if (value.metaType().id() == QMetaType::QDateTime)
        return value.toDateTime().toString(Qt::ISODate);
    if (column == QLatin1String("created_at"))
        return value.toString().replace(QLatin1Char(' '), QLatin1Char('T'));
    return QJsonValue::fromVariant(value);
}

QJsonObject objectOf(const QStringList &names, const QVariantList &row)
{
    QJsonObject object;
    for (int i = 0; i < names.size() && i < row.size(); ++i)
        object.insert(names[i], jsonOf(names[i], row[i]));
    return object;
}

RowsResult rowsOf(const QueryResult &result, const QStringList &names)
{
    RowsResult out;
    out.statements = 1;
    out.error = result.error;
    for (const QVariantList &row : result.rows)
        out.rows.append(objectOf(names, row));
    return out;
}

// "?, ?, ?" for an IN list.
QString placeholders(qsizetype count)
{
    QString text;
    text.reserve(count * 3);
    for (qsizetype i = 0; i < count; ++i)
        text.append(i == 0 ? QLatin1String("?") : QLatin1String(", ?"));
    return text;
}

QVariantList valuesOf(const QList<qint64> &ids)
{
    QVariantList values;
    values.reserve(ids.size());
    for (qint64 id : ids)
        values.append(id);
    return values;
}

QString transactionError(QSqlDatabase &db, const char *what)
{
    return QStringLiteral("could not %1 the transaction: %2").arg(QLatin1String(what), db.lastError().text());
}

// Runs `body` inside a transaction: committed when it returns no error, rolled back otherwise.
template <typename Body> QString inTransaction(QSqlDatabase &db, Body body)
{
    if (!db.transaction())
        return transactionError(db, "begin");
    QString error = body();
    if (error.isEmpty() && !db.commit())
        error = transactionError(db, "commit");
    if (!error.isEmpty())
        db.rollback();
    return error;
}

// bio is NOT NULL DEFAULT '': an absent bio is the empty text, not NULL (a null QString
// binds as NULL).
QString bioOf(const NewUser &user)
{
    return user.bio.isNull() ? QStringLiteral("") : user.bio;
}

} // namespace

RowsResult usersOffsetPage(QSqlDatabase &db, qint64 page, int size)
{
    const qint64 offset = (page - 1) * size;
    return rowsOf(
        execQuery(db, QStringLiteral("SELECT %1 FROM users ORDER BY id LIMIT ? OFFSET ?").arg(kFullColumns),
                  {size, offset}),
        kFullNames);
}

RowsResult usersAfterCursor(QSqlDatabase &db, qint64 cursor, int size)
{
    return rowsOf(
        execQuery(db,
                  QStringLiteral("SELECT %1 FROM users WHERE id > ? ORDER BY id LIMIT ?").arg(kFullColumns),
                  {cursor, size}),
        kFullNames);
}

RowsResult userNames(QSqlDatabase &db, int limit, bool wholeRows)
{
    if (!wholeRows)
        return rowsOf(
            execQuery(db, QStringLiteral("SELECT id, name FROM users ORDER BY id LIMIT ?"), {limit}),
            kBriefNames);
    // Every column travels and is decoded; only two are used.
    const QueryResult whole =
        execQuery(db, QStringLiteral("SELECT * FROM users ORDER BY id LIMIT ?"), {limit});
    RowsResult out;
    out.statements = 1;
    out.error = whole.error;
    for (const QVariantList &row : whole.rows)
        out.rows.append(objectOf(kBriefNames, row)); // SELECT * starts with id, name
    return out;
}

RowsResult usersPartial(QSqlDatabase &db, int limit)
{
    return rowsOf(
        execQuery(db, QStringLiteral("SELECT id, name, email FROM users ORDER BY id LIMIT ?"), {limit}),
        kPartialNames);
}

RowsResult usersByIds(QSqlDatabase &db, const QList<qint64> &ids, bool nPlusOne)
{
    QList<qint64> unique = ids;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    if (unique.isEmpty())
        return {};
    if (!nPlusOne) {
        const QString sql = QStringLiteral("SELECT %1 FROM users WHERE id IN (%2) ORDER BY id")
                                .arg(kFullColumns, placeholders(unique.size()));
        return rowsOf(execQuery(db, sql, valuesOf(unique)), kFullNames);
    }
    RowsResult out;
    const QString sql = QStringLiteral("SELECT %1 FROM users WHERE id = ?").arg(kFullColumns);
    for (qint64 id : unique) {
        const QueryResult one = execQuery(db, sql, {id});
        ++out.statements;
        if (!one.ok()) {
            out.error = one.error;
            return out;
        }
        for (const QVariantList &row : one.rows)
            out.rows.append(objectOf(kFullNames, row));
    }
    return out;
}

CountResult countUsers(QSqlDatabase &db, bool naive)
{
    CountResult out;
    if (!naive) {
        const QueryResult result = execQuery(db, QStringLiteral("SELECT count(*) FROM users"));
        out.error = result.error;
        if (result.ok() && !result.rows.isEmpty())
            out.count = result.rows.first().value(0).toLongLong();
        return out;
    }
    // len(result.all()): every row is produced, sent and decoded; only the count is kept
    // (holding a million rows as well would measure the allocator, not the pattern).
    const int columns = int(kFullNames.size());
    out.error = execForEachRow(db, QStringLiteral("SELECT %1 FROM users").arg(kFullColumns), {},
                               [&out, columns](const QSqlQuery &query) {
                                   for (int i = 0; i < columns; ++i)
                                       (void)query.value(i);
                                   ++out.count;
                               });
    return out;
}

WriteResult insertUsers(QSqlDatabase &db, const std::vector<NewUser> &users, bool rowByRow)
{
    WriteResult out;
    if (users.empty())
        return out;
    const QString rowSql = QStringLiteral("(?, ?, ?, ?, CURRENT_TIMESTAMP)");
    const QString head =
        QStringLiteral("INSERT INTO users (name, email, bio, is_active, created_at) VALUES ");
    if (rowByRow) {
        const QString sql = head + rowSql + QStringLiteral(" RETURNING id");
        for (const NewUser &user : users) {
            const QueryResult one = execQuery(db, sql, {user.name, user.email, bioOf(user), user.isActive});
            ++out.statements;
            if (!one.ok() || one.rows.isEmpty()) {
                out.error = one.ok() ? QStringLiteral("the insert returned no id") : one.error;
                // Take back what this call committed: all or nothing, even the slow way.
                if (!out.ids.isEmpty())
                    execQuery(db,
                              QStringLiteral("DELETE FROM users WHERE id IN (%1)")
                                  .arg(placeholders(out.ids.size())),
                              valuesOf(out.ids));
                out.ids.clear();
                return out;
            }
            out.ids.append(one.rows.first().value(0).toLongLong());
        }
        out.rows = out.ids.size();
        return out;
    }
    out.error = inTransaction(db, [&]() -> QString {
        // Every full chunk reuses one prepared statement; the last, shorter one gets its own.
        const auto statementFor = [&](size_t rows) {
            QString sql = head;
            for (size_t i = 0; i < rows; ++i) {
                if (i > 0)
                    sql.append(QLatin1String(", "));
                sql.append(rowSql);
            }
            sql.append(QLatin1String(" RETURNING id"));
            return sql;
        };
        std::unique_ptr<PreparedStatement> full;
        for (size_t start = 0; start < users.size(); start += kInsertChunk) {
            const size_t end = std::min(users.size(), start + kInsertChunk);
            QVariantList values;
            values.reserve(qsizetype(end - start) * 4);
            for (size_t i = start; i < end; ++i)
                values << users[i].name << users[i].email << bioOf(users[i]) << users[i].isActive;
            QueryResult chunk;
            if (end - start == size_t(kInsertChunk)) {
                if (!full)
                    full = std::make_unique<PreparedStatement>(db, statementFor(kInsertChunk));
                chunk = full->exec(values);
            } else {
                chunk = execQuery(db, statementFor(end - start), values);
            }
            ++out.statements;
            if (!chunk.ok())
                return chunk.error;
            for (const QVariantList &row : chunk.rows)
                out.ids.append(row.value(0).toLongLong());
        }
        return {};
    });
    if (!out.error.isEmpty()) {
        out.ids.clear();
        return out;
    }
    // RETURNING promises no order; ids of one statement are assigned in increasing order.
    std::sort(out.ids.begin(), out.ids.end());
    out.rows = out.ids.size();
    return out;
}

WriteResult setUsersActive(QSqlDatabase &db, const QList<qint64> &ids, bool active)
{
    WriteResult out;
    if (ids.isEmpty())
        return out;
    out.error = inTransaction(db, [&]() -> QString {
        QVariantList values{active};
        values.append(valuesOf(ids));
        const QueryResult result = execQuery(
            db,
            QStringLiteral("UPDATE users SET is_active = ? WHERE id IN (%1)").arg(placeholders(ids.size())),
            values);
        out.statements = 1;
        out.rows = std::max(0, result.rowsAffected);
        return result.error;
    });
    if (!out.error.isEmpty())
        out.rows = 0;
    return out;
}

WriteResult deleteUsers(QSqlDatabase &db, const QList<qint64> &ids)
{
    WriteResult out;
    if (ids.isEmpty())
        return out;
    const QVariantList values = valuesOf(ids);
    const QString list = placeholders(ids.size());
    out.error = inTransaction(db, [&]() -> QString {
        const QueryResult orders =
            execQuery(db, QStringLiteral("DELETE FROM orders WHERE user_id IN (%1)").arg(list), values);
        if (!orders.ok())
            return orders.error;
        const QueryResult users =
            execQuery(db, QStringLiteral("DELETE FROM users WHERE id IN (%1)").arg(list), values);
        out.statements = 2;
        out.rows = std::max(0, users.rowsAffected);
        return users.error;
    });
    if (!out.error.isEmpty())
        out.rows = 0;
    return out;
}

UserLookup findUserBrief(QSqlDatabase &db, qint64 id)
{
    UserLookup out;
    const QueryResult result = execQuery(db, QStringLiteral("SELECT id, name FROM users WHERE id = ?"), {id});
    out.error = result.error;
    if (result.ok() && !result.rows.isEmpty())
        out.user = objectOf(kBriefNames, result.rows.first());
    return out;
}

UserLookup renameUser(QSqlDatabase &db, qint64 id, const QString &name)
{
    UserLookup out;
    out.error = inTransaction(db, [&]() -> QString {
        const QueryResult updated = execQuery(
            db, QStringLiteral("UPDATE users SET name = ? WHERE id = ? RETURNING id, name"), {name, id});
        if (updated.ok() && !updated.rows.isEmpty())
            out.user = objectOf(kBriefNames, updated.rows.first());
        return updated.error;
    });
    if (!out.error.isEmpty())
        out.user.reset();
    return out;
}

RowsResult usersBriefRange(QSqlDatabase &db, qint64 firstId, qint64 lastId)
{
    return rowsOf(execQuery(db,
                            QStringLiteral("SELECT id, name FROM users WHERE id BETWEEN ? AND ? ORDER BY id"),
                            {firstId, lastId}),
                  kBriefNames);
}

} // namespace perflab::db

// Running one statement into a QueryResult: see QueryResult.h.
#include "engine/db/QueryResult.h"

#include "engine/db/QueryObserver.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <chrono>

namespace perflab::db {

namespace {

// QSqlQuery leaves lastError() empty for some failures (e.g. prepare on a closed
// connection); an empty error would read as success.
QString errorText(const QSqlQuery &query, const QSqlDatabase &db)
{
    const QString text = query.lastError().text();
    if (!text.isEmpty())
        return text;
    return db.isOpen() ? QStringLiteral("the statement failed")
                       : QStringLiteral("the database connection is not open");
}

// Prepares and executes; false with result.error set on failure.
bool execute(QSqlQuery &query, QSqlDatabase &db, const QString &sql, const QVariantList &values,
             QString &error)
{
    query.setForwardOnly(true);
    // Without values the statement is sent as is: PostgreSQL cannot PREPARE DDL.
    bool executed = false;
    if (values.isEmpty()) {
        executed = query.exec(sql);
    } else if (query.prepare(sql)) {
        for (const QVariant &value : values)
            query.addBindValue(value);
        executed = query.exec();
    }
    if (!executed)
        error = errorText(query, db);
    return executed;
}

QueryResult execUntimed(QSqlDatabase &db, const QString &sql, const QVariantList &values)
{
    QueryResult result;
    QSqlQuery query(db);
    if (!execute(query, db, sql, values, result.error))
        return result;
    result.rowsAffected = query.numRowsAffected();
    const int columns = query.record().count();
    while (query.next()) {
        QVariantList row;
        row.reserve(columns);
        for (int i = 0; i < columns; ++i)
            row.append(query.value(i));
        result.rows.append(std::move(row));
    }
    return result;
}

void report(const QString &sql, const QVariantList &values, std::chrono::steady_clock::time_point started,
            bool ok)
{
    if (QueryObserver *observer = currentQueryObserver()) {
        const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - started;
        observer->statementFinished(sql, values, took.count(), ok);
    }
}

} // namespace

QueryResult execQuery(QSqlDatabase &db, const QString &sql, const QVariantList &values)
{
    const auto started = std::chrono::steady_clock::now();
    QueryResult result = execUntimed(db, sql, values);
    // Timed through fetching the rows: a statement that returns a million rows is slow even
    // when the database answers its first row at once.
    report(sql, values, started, result.ok());
    return result;
}

PreparedStatement::PreparedStatement(QSqlDatabase &db, QString sql)
    : m_db(db), m_sql(std::move(sql)), m_query(std::make_unique<QSqlQuery>(db))
{
    m_query->setForwardOnly(true);
    if (!m_query->prepare(m_sql))
        m_prepareError = errorText(*m_query, db);
}

PreparedStatement::~PreparedStatement() = default;

QueryResult PreparedStatement::exec(const QVariantList &values)
{
    const auto started = std::chrono::steady_clock::now();
    QueryResult result;
    if (!m_prepareError.isEmpty()) {
        result.error = m_prepareError;
    } else {
        for (int i = 0; i < values.size(); ++i)
            m_query->bindValue(i, values[i]);
        if (!m_query->exec()) {
            result.error = errorText(*m_query, m_db);
        } else {
            result.rowsAffected = m_query->numRowsAffected();
            const int columns = m_query->record().count();
            while (m_query->next()) {
                QVariantList row;
                row.reserve(columns);
                for (int c = 0; c < columns; ++c)
                    row.append(m_query->value(c));
                result.rows.append(std::move(row));
            }
            m_query->finish();
        }
    }
    report(m_sql, values, started, result.ok());
    return result;
}

QString execForEachRow(QSqlDatabase &db, const QString &sql, const QVariantList &values,
                       const std::function<void(const QSqlQuery &)> &onRow)
{
    const auto started = std::chrono::steady_clock::now();
    QString error;
    {
        QSqlQuery query(db);
        if (execute(query, db, sql, values, error)) {
            while (query.next())
                onRow(query);
        }
    }
    report(sql, values, started, error.isEmpty());
    return error;
}

} // namespace perflab::db

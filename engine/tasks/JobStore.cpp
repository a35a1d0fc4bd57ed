// See JobStore.h.
#include "engine/tasks/JobStore.h"

#include "engine/db/SqliteBusyWait.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

namespace perflab::tasks {

namespace {

constexpr int kSchemaVersion = 1;

// How long a statement waits for another connection's lock before the store fails.
constexpr std::chrono::milliseconds kBusyTimeout{5000};

QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
}

QDateTime timestamp(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
}

[[noreturn]] void fail(const QString &what, const QSqlError &error)
{
    throw JobStoreError(QString(what + QStringLiteral(": ") + error.text()).toStdString());
}

void run(QSqlQuery &query, const char *what)
{
    if (!query.exec())
        fail(QString::fromLatin1(what), query.lastError());
}

// Columns in the order readRecord() expects.
const QString kColumns =
    QStringLiteral("id, name, payload, status, result, attempts, created_at, started_at, finished_at");

JobRecord readRecord(const QSqlQuery &query)
{
    JobRecord job;
    job.id = query.value(0).toString();
    job.name = query.value(1).toString();
    job.payload = jsonFromText(query.value(2).toString()).toObject();
    job.status = statusFromName(query.value(3).toString()).value_or(JobStatus::Failed);
    job.result = jsonFromText(query.value(4).toString());
    job.attempts = query.value(5).toInt();
    job.createdAt = timestamp(query.value(6));
    job.startedAt = timestamp(query.value(7));
    job.finishedAt = timestamp(query.value(8));
    return job;
}

} // namespace

JobStore::JobStore(const QString &filePath)
    : m_filePath(filePath),
      m_connectionName(QStringLiteral("perflab-jobs-") + QUuid::createUuid().toString(QUuid::WithoutBraces))
{
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(filePath);
    // Another process reading the file (a test, the sqlite3 shell) may hold a lock briefly.
    // The driver's timeout is the fallback; installSqliteBusyWait replaces its long sleeps.
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(kBusyTimeout.count()));
    if (!m_db.open()) {
        const QSqlError error = m_db.lastError();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
        fail(QStringLiteral("cannot open ") + filePath, error);
    }
    db::installSqliteBusyWait(m_db, kBusyTimeout);
    try {
        QSqlQuery journal(m_db);
        if (!journal.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !journal.next() ||
            journal.value(0).toString() != QLatin1String("wal"))
            fail(QStringLiteral("cannot switch ") + filePath + QStringLiteral(" to WAL"),
                 journal.lastError());
        journal.finish();
        exec(QStringLiteral("PRAGMA synchronous=FULL")); // why: see JobStore.h
        migrate();
    } catch (...) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connectionName);
        throw;
    }
}

JobStore::~JobStore()
{
    m_db.close();
    m_db = QSqlDatabase(); // no handle may be left when the connection is removed
    QSqlDatabase::removeDatabase(m_connectionName);
}

void JobStore::exec(const QString &sql)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        fail(sql, query.lastError());
}

void JobStore::migrate()
{
    QSqlQuery version(m_db);
    if (!version.exec(QStringLiteral("PRAGMA user_version")) || !version.next())
        fail(QStringLiteral("cannot read the schema version"), version.lastError());
    const int current = version.value(0).toInt();
    version.finish(); // an open statement would keep the transaction below from committing
    if (current >= kSchemaVersion)
        return;
    if (!m_db.transaction())
        fail(QStringLiteral("cannot begin the schema transaction"), m_db.lastError());
    try {
        exec(QStringLiteral(
            "CREATE TABLE IF NOT EXISTS jobs ("
            " id TEXT PRIMARY KEY,"
            " name TEXT NOT NULL,"
            " payload TEXT NOT NULL,"
            " status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed')),"
            " result TEXT,"
            " attempts INTEGER NOT NULL DEFAULT 0,"
            " created_at TEXT NOT NULL,"
            " started_at TEXT,"
            " finished_at TEXT,"
            " updated_at TEXT NOT NULL)"));
        // Claims take the oldest pending row; the index carries the rowid, so no sort is needed.
        exec(QStringLiteral("CREATE INDEX IF NOT EXISTS jobs_by_status ON jobs (status)"));
        exec(QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion));
    } catch (...) {
        m_db.rollback();
        throw;
    }
    if (!m_db.commit())
        fail(QStringLiteral("cannot commit the schema"), m_db.lastError());
}

void JobStore::insert(const JobRecord &job)
{
    // One statement is one transaction (autocommit): the row is on disk when this returns.
    QSqlQuery query(m_db);
    query.prepare(
        QStringLiteral("INSERT INTO jobs (id, name, payload, status, attempts, created_at, updated_at)"
                       " VALUES (?, ?, ?, 'pending', 0, ?, ?)"));
    const QString at = now();
    query.addBindValue(job.id);
    query.addBindValue(job.name);
    query.addBindValue(jsonText(job.payload));
    query.addBindValue(at);
    query.addBindValue(at);
    run(query, "cannot enqueue a job");
}

std::optional<JobRecord> JobStore::claimNext()
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("UPDATE jobs SET status = 'running', attempts = attempts + 1,"
                                 " started_at = ?, updated_at = ?"
                                 " WHERE rowid = (SELECT rowid FROM jobs WHERE status = 'pending'"
                                 "                ORDER BY rowid LIMIT 1)"
                                 " RETURNING ") +
                  kColumns);
    const QString at = now();
    query.addBindValue(at);
    query.addBindValue(at);
    run(query, "cannot claim a job");
    if (!query.next())
        return std::nullopt;
    JobRecord job = readRecord(query);
    query.finish(); // completes the statement: the claim is committed
    return job;
}

void JobStore::finish(const QString &id, JobStatus status, const QJsonValue &result)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("UPDATE jobs SET status = ?, result = ?, finished_at = ?, updated_at = ?"
                                 " WHERE id = ?"));
    const QString at = now();
    query.addBindValue(statusName(status));
    query.addBindValue(jsonText(result));
    query.addBindValue(at);
    query.addBindValue(at);
    query.addBindValue(id);
    run(query, "cannot store a job's result");
}

JobStore::Recovery JobStore::recoverRunning(int maxAttempts)
{
    Recovery recovery;
    if (!m_db.transaction())
        fail(QStringLiteral("cannot begin the recovery"), m_db.lastError());
    try {
        const QString at = now();
        QSqlQuery abandon(m_db);
        abandon.prepare(QStringLiteral("UPDATE jobs SET status = 'failed', result = ?, finished_at = ?,"
                                       " updated_at = ? WHERE status = 'running' AND attempts >= ?"));
        abandon.addBindValue(jsonText(QJsonObject{
            {QStringLiteral("error"),
             QStringLiteral("abandoned: %1 executions started and none finished").arg(maxAttempts)}}));
        abandon.addBindValue(at);
        abandon.addBindValue(at);
        abandon.addBindValue(maxAttempts);
        run(abandon, "cannot fail abandoned jobs");
        recovery.abandoned = abandon.numRowsAffected();

        QSqlQuery requeue(m_db);
        requeue.prepare(
            QStringLiteral("UPDATE jobs SET status = 'pending', updated_at = ? WHERE status = 'running'"));
        requeue.addBindValue(at);
        run(requeue, "cannot requeue interrupted jobs");
        recovery.requeued = requeue.numRowsAffected();
    } catch (...) {
        m_db.rollback();
        throw;
    }
    if (!m_db.commit())
        fail(QStringLiteral("cannot commit the recovery"), m_db.lastError());
    return recovery;
}

std::optional<JobRecord> JobStore::find(const QString &id)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM jobs WHERE id = ?"));
    query.addBindValue(id);
    run(query, "cannot look up a job");
    if (!query.next())
        return std::nullopt;
    return readRecord(query);
}

int JobStore::countWithStatus(JobStatus status)
{
    QSqlQuery query(m_db);
    query.prepare(QStringLiteral("SELECT count(*) FROM jobs WHERE status = ?"));
    query.addBindValue(statusName(status));
    run(query, "cannot count jobs");
    return query.next() ? query.value(0).toInt() : 0;
}

} // namespace perflab::tasks

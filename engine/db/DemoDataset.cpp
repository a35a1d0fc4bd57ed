// Generating or reusing the demo dataset: see DemoDataset.h.
#include "engine/db/DemoDataset.h"

#include "engine/db/DemoRows.h"
#include "engine/db/QueryResult.h"
#include "engine/db/Schema.h"
#include "engine/db/ScopedSettings.h"

#include <QSqlError>

#include <algorithm>
#include <chrono>

namespace perflab::db {

namespace {

using Clock = std::chrono::steady_clock;

const QString cancelledMessage = QStringLiteral("cancelled");

double secondsSince(Clock::time_point started)
{
    return std::chrono::duration<double>(Clock::now() - started).count();
}

std::optional<QString> invalidSpec(const DatasetSpec &spec)
{
    if (spec.users < 0 || spec.orders < 0)
        return QStringLiteral("dataset sizes cannot be negative (users %1, orders %2)")
            .arg(spec.users)
            .arg(spec.orders);
    if (spec.users > demoMaxRows || spec.orders > demoMaxRows)
        return QStringLiteral("dataset sizes are limited to %1 rows").arg(demoMaxRows);
    if (spec.orders > 0 && spec.users == 0)
        return QStringLiteral("orders need users: %1 orders for 0 users").arg(spec.orders);
    if (spec.rowsPerChunk < 1)
        return QStringLiteral("rowsPerChunk must be at least 1");
    return std::nullopt;
}

bool cancelRequested(const std::atomic<bool> *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

void tell(const DatasetProgressCallback &progress, const QString &phase, qint64 done, qint64 total)
{
    if (progress)
        progress(DatasetProgress{phase, done, total});
}

// Settings for the duration of the load: no flush to disk at each chunk's commit (SQLite's
// synchronous=OFF, PostgreSQL's synchronous_commit=off). A crash mid-load loses a dataset that
// has no record yet, which the next start regenerates anyway. Measured on the default size:
// a few tenths of a second here, more on slow disks. A bigger SQLite page cache and
// temp_store=MEMORY were tried and made CREATE INDEX twice as slow (one huge in-memory sort
// instead of SQLite's merge of small ones); PostgreSQL's maintenance_work_mem changed nothing.
QList<SessionSetting> bulkLoadSettings(Dialect dialect)
{
    // SQLite's foreign_keys too: the orders are generated from existing user ids, and
    // checking each of 3,000,000 rows would only cost (PostgreSQL adds its key after the load).
    if (dialect == Dialect::Sqlite)
        return {{QStringLiteral("synchronous"), QStringLiteral("OFF")},
                {QStringLiteral("foreign_keys"), QStringLiteral("OFF")}};
    return {{QStringLiteral("synchronous_commit"), QStringLiteral("off")}};
}

// Each chunk commits on its own: one transaction per chunk keeps SQLite's WAL and
// PostgreSQL's transaction state small, and a cancelled load stops at a chunk boundary.
std::optional<QString> runInTransaction(QSqlDatabase &db, const QString &sql)
{
    if (!db.transaction())
        return QStringLiteral("cannot begin a transaction: ") + db.lastError().text();
    const QueryResult result = execQuery(db, sql);
    if (!result.ok()) {
        db.rollback();
        return result.error;
    }
    if (!db.commit()) {
        const QString error = db.lastError().text();
        db.rollback();
        return QStringLiteral("cannot commit: ") + error;
    }
    return std::nullopt;
}

// Rows 1..total of `phase`, rowsPerChunk at a time, each chunk's SQL from insertSql(first, last).
template <typename InsertSql>
std::optional<QString> loadInChunks(QSqlDatabase &db, const QString &phase, qint64 total, qint64 rowsPerChunk,
                                    InsertSql insertSql, const DatasetProgressCallback &progress,
                                    const std::atomic<bool> *cancel)
{
    tell(progress, phase, 0, total);
    for (qint64 first = 1; first <= total; first += rowsPerChunk) {
        if (cancelRequested(cancel))
            return cancelledMessage;
        const qint64 last = std::min(total, first + rowsPerChunk - 1);
        if (auto error = runInTransaction(db, insertSql(first, last)))
            return QStringLiteral("generating %1 %2..%3: %4").arg(phase).arg(first).arg(last).arg(*error);
        tell(progress, phase, last, total);
    }
    return std::nullopt;
}

// The planner's statistics, so that it knows the tables hold millions of rows. PostgreSQL
// also vacuums: the visibility map lets count(*) use an index-only scan, and the rows' hint
// bits are set now rather than by the first requests that read them.
std::optional<QString> analyze(QSqlDatabase &db)
{
    const QString sql = dialectOf(db) == Dialect::Sqlite ? QStringLiteral("ANALYZE")
                                                         : QStringLiteral("VACUUM (ANALYZE) users, orders");
    const QueryResult result = execQuery(db, sql);
    if (!result.ok())
        return sql + QStringLiteral(": ") + result.error;
    return std::nullopt;
}

std::optional<QString> record(QSqlDatabase &db, const DatasetSpec &spec, double seconds)
{
    const QueryResult result =
        execQuery(db,
                  QStringLiteral("INSERT INTO lab_dataset (id, schema_version, users, orders, seed, seconds) "
                                 "VALUES (1, ?, ?, ?, ?, ?)"),
                  {schemaVersion, spec.users, spec.orders, qint64(spec.seed), seconds});
    if (!result.ok())
        return QStringLiteral("recording the dataset: ") + result.error;
    return std::nullopt;
}

// After a load on SQLite. The load ran with synchronous=OFF, so the database file has a few
// hundred MB in the page cache that were never flushed, and the WAL file has grown to tens
// of MB (the index builds). Left so, the first automatic checkpoint (the commit that takes the
// WAL past wal_autocheckpoint, 1000 pages) flushes all of it inside some request: measured, a
// stall of 0.15-0.35 s at about the thousandth PUT of a run on a fresh database. A TRUNCATE
// checkpoint here, with synchronous back to the connection's own setting, pays for that flush
// during the load and empties the WAL file. A reader holding the WAL (none at start-up) would
// only make it partial, which is no error.
std::optional<QString> checkpointAfterLoad(QSqlDatabase &db)
{
    if (dialectOf(db) != Dialect::Sqlite)
        return std::nullopt;
    const QueryResult result = execQuery(db, QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    if (!result.ok())
        return QStringLiteral("checkpointing the WAL after the load: ") + result.error;
    return std::nullopt;
}

std::optional<QString> generate(QSqlDatabase &db, const DatasetSpec &spec,
                                const DatasetProgressCallback &progress, const std::atomic<bool> *cancel,
                                Clock::time_point started)
{
    const Dialect dialect = dialectOf(db);
    const ScopedSettings bulkLoad(db, bulkLoadSettings(dialect));
    // Dropping first also drops the record: from here on, an interrupted run leaves none.
    if (auto error = runSchemaSection(db, SchemaSection::Reset))
        return error;
    if (auto error = runSchemaSection(db, SchemaSection::Tables))
        return error;

    auto usersSql = [&](qint64 first, qint64 last) {
        return insertDemoUsersSql(dialect, first, last, spec.seed);
    };
    if (auto error = loadInChunks(db, QStringLiteral("users"), spec.users, spec.rowsPerChunk, usersSql,
                                  progress, cancel))
        return error;
    auto ordersSql = [&](qint64 first, qint64 last) {
        return insertDemoOrdersSql(dialect, first, last, spec.users, spec.seed);
    };
    if (auto error = loadInChunks(db, QStringLiteral("orders"), spec.orders, spec.rowsPerChunk, ordersSql,
                                  progress, cancel))
        return error;

    if (cancelRequested(cancel))
        return cancelledMessage;
    const QString indexes = QStringLiteral("indexes");
    tell(progress, indexes, 0, 2);
    if (auto error = runSchemaSection(db, SchemaSection::AfterLoad))
        return error;
    tell(progress, indexes, 1, 2);
    if (auto error = analyze(db))
        return error;
    tell(progress, indexes, 2, 2);
    return record(db, spec, secondsSince(started));
}

} // namespace

std::optional<StoredDataset> storedDataset(QSqlDatabase &db)
{
    // Asked first so that a database without the table is not reported as a failed statement.
    if (!db.tables().contains(QStringLiteral("lab_dataset")))
        return std::nullopt;
    const QueryResult result = execQuery(
        db, QStringLiteral("SELECT schema_version, users, orders, seed, CAST(generated_at AS TEXT), "
                           "seconds FROM lab_dataset WHERE id = 1"));
    if (!result.ok() || result.rows.isEmpty())
        return std::nullopt;
    const QVariantList &row = result.rows.first();
    StoredDataset stored;
    stored.schemaVersion = row.value(0).toInt();
    stored.users = row.value(1).toLongLong();
    stored.orders = row.value(2).toLongLong();
    stored.seed = quint32(row.value(3).toLongLong());
    stored.generatedAt = row.value(4).toString();
    stored.seconds = row.value(5).toDouble();
    return stored;
}

DatasetReport ensureDataset(QSqlDatabase &db, const DatasetSpec &spec,
                            const DatasetProgressCallback &progress, const std::atomic<bool> *cancel)
{
    const auto started = Clock::now();
    DatasetReport report;
    if (auto error = invalidSpec(spec)) {
        report.error = *error;
        return report;
    }
    if (const auto stored = storedDataset(db)) {
        const DatasetSpec storedSpec{stored->users, stored->orders, stored->seed};
        if (stored->schemaVersion == schemaVersion && storedSpec.sameRows(spec)) {
            report.reused = true;
            report.users = stored->users;
            report.orders = stored->orders;
            report.seconds = secondsSince(started);
            return report;
        }
    }
    // Not inside generate(): its bulk-load settings must be undone before the checkpoint.
    std::optional<QString> error = generate(db, spec, progress, cancel, started);
    if (!error)
        error = checkpointAfterLoad(db);
    if (error) {
        report.error = *error;
    } else {
        report.users = spec.users;
        report.orders = spec.orders;
    }
    report.seconds = secondsSince(started);
    return report;
}

} // namespace perflab::db

// The demo dataset of guide chapter 4: users and orders enough for the query patterns of the
// /db routes to differ for real (1,000,000 users and 3,000,000 orders by default, the
// database.dataset_* settings). Generated once, inside the database, in chunks of a few
// hundred thousand rows (each chunk one INSERT ... SELECT and one transaction), indexes after
// the load; recorded in lab_dataset so that later starts with the same figures reuse it.
// Deterministic: the same figures and seed give the same rows on SQLite and PostgreSQL
// (DemoRows.h says which).
#pragma once

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>

#include <atomic>
#include <functional>
#include <optional>

namespace perflab::db {

struct DatasetSpec
{
    qint64 users = 1'000'000;
    qint64 orders = 3'000'000;
    quint32 seed = 42;
    // How the rows are loaded, not which: not part of what is recorded and compared.
    qint64 rowsPerChunk = 200'000;

    // The same dataset (users, orders, seed), whatever the chunking.
    bool sameRows(const DatasetSpec &other) const
    {
        return users == other.users && orders == other.orders && seed == other.seed;
    }
};

struct DatasetProgress
{
    QString phase;   // "users", "orders", then "indexes" (its steps: index and key, analyze)
    qint64 done = 0; // rows (or steps) of this phase finished and committed
    qint64 total = 0;
};

// Called on the connection's thread after each chunk, and once at 0 when a phase starts.
using DatasetProgressCallback = std::function<void(const DatasetProgress &)>;

struct DatasetReport
{
    bool reused = false; // the stored dataset matched: nothing generated
    qint64 users = 0;
    qint64 orders = 0;
    double seconds = 0; // this call's time
    QString error;      // empty on success; "cancelled" when the cancel flag stopped it

    bool ok() const { return error.isEmpty(); }
};

// What lab_dataset records of the dataset in the database.
struct StoredDataset
{
    int schemaVersion = 0;
    qint64 users = 0;
    qint64 orders = 0;
    quint32 seed = 0;
    QString generatedAt; // UTC, "YYYY-MM-DD HH:MM:SS"
    double seconds = 0;  // how long the generation took
};

// nullopt when there is no complete dataset (never generated, interrupted, or no table yet).
std::optional<StoredDataset> storedDataset(QSqlDatabase &db);

// Makes sure `db` holds the dataset `spec` describes: reuses the stored one when it was made
// from the same figures, seed and schema version; otherwise drops users and orders and
// generates them again. Runs on the connection's thread (inside PooledConnection::run) and
// blocks it for the generation: seconds for the default size.
// `cancel` (may be null) is read between chunks; a cancelled generation leaves no record,
// so the next call starts over.
DatasetReport ensureDataset(QSqlDatabase &db, const DatasetSpec &spec,
                            const DatasetProgressCallback &progress = {},
                            const std::atomic<bool> *cancel = nullptr);

} // namespace perflab::db

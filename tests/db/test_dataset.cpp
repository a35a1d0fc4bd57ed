// Tests for engine/db/Schema and DemoDataset: the schema from resources/sql/schema.sql and the
// demo dataset generated inside the database, against a SQLite file in a temporary folder or,
// with PERFLAB_TEST_DB_BACKEND=postgresql, against a database of the suite's own
// (perflab_dataset_test, created on the server of PERFLAB_TEST_PG_URL and dropped at the end).
// Small datasets in small chunks, so that chunking, progress and cancellation are exercised.
// PERFLAB_DATASET_TIMING=1 also generates the default size and prints how long it took.
#include "PoolTestSupport.h"
#include "engine/db/ConnectionPool.h"
#include "engine/db/DatabaseUrl.h"
#include "engine/db/DemoDataset.h"
#include "engine/db/DemoRows.h"
#include "engine/db/Schema.h"
#include "engine/metrics/Registry.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QMutex>
#include <QSqlError>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

using namespace std::chrono_literals;
using namespace perflab::db;
using namespace perflab::db::testing;

namespace {

const QString suiteDatabase = QStringLiteral("perflab_dataset_test");
const QString adminConnection = QStringLiteral("test-dataset-admin");

DatasetSpec smallSpec(quint32 seed = 42)
{
    DatasetSpec spec;
    spec.users = 5000;
    spec.orders = 15000;
    spec.seed = seed;
    spec.rowsPerChunk = 1000;
    return spec;
}

// Progress arrives on the connection's thread.
struct ProgressLog
{
    QMutex mutex;
    std::vector<DatasetProgress> entries;

    DatasetProgressCallback callback()
    {
        return [this](const DatasetProgress &progress) {
            QMutexLocker locker(&mutex);
            entries.push_back(progress);
        };
    }
};

// Runs `sql` on a connection of the server in `url`, outside any pool (creating databases).
std::optional<QString> adminExec(const DatabaseUrl &url, const QStringList &statements)
{
    std::optional<QString> error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(url.driver, adminConnection);
        db.setHostName(url.host);
        db.setPort(url.port);
        db.setUserName(url.userName);
        db.setPassword(url.password);
        db.setDatabaseName(url.databaseName);
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            for (const QString &statement : statements) {
                const QueryResult result = execQuery(db, statement);
                if (!result.ok()) {
                    error = statement + QStringLiteral(": ") + result.error;
                    break;
                }
            }
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(adminConnection);
    return error;
}

} // namespace

class TestDataset : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<DatabaseUrl> m_serverUrl; // PostgreSQL: the server's own database, for admin
    QString m_url;
    bool m_sqlite = true;
    perflab::metrics::Registry m_registry;
    std::unique_ptr<ConnectionPool> m_pool;

    template <typename F> auto onConnection(F function, std::chrono::milliseconds timeout = 60s)
    {
        PooledConnection connection = take(*m_pool);
        auto job = connection.run(std::move(function));
        auto result = run(std::move(job), timeout);
        if (!result)
            qFatal("the database job did not finish");
        return std::move(*result);
    }

    DatasetReport ensure(const DatasetSpec &spec, DatasetProgressCallback progress = {},
                         const std::atomic<bool> *cancel = nullptr, std::chrono::milliseconds timeout = 60s)
    {
        return onConnection(
            [spec, progress, cancel](QSqlDatabase &db) { return ensureDataset(db, spec, progress, cancel); },
            timeout);
    }

    QueryResult sql(const QString &statement, const QVariantList &values = {})
    {
        PooledConnection connection = take(*m_pool);
        return query(connection, statement, values);
    }

    // The first column of the first row; fails the test on an error.
    QVariant scalar(const QString &statement, const QVariantList &values = {})
    {
        const QueryResult result = sql(statement, values);
        if (!result.ok() || result.rows.isEmpty()) {
            QTest::qFail(qPrintable(statement + QStringLiteral(": ") + result.error), __FILE__, __LINE__);
            return {};
        }
        return result.rows.first().value(0);
    }

    std::optional<StoredDataset> stored()
    {
        return onConnection([](QSqlDatabase &db) { return storedDataset(db); });
    }

    // What two datasets differ by when their seeds do (emails and names do not depend on it).
    QVariantList checksum()
    {
        const QueryResult users = sql(
            QStringLiteral("SELECT count(*), SUM(CASE WHEN is_active THEN 1 ELSE 0 END), SUM(LENGTH(bio)), "
                           "MIN(CAST(created_at AS TEXT)), MAX(CAST(created_at AS TEXT)) FROM users"));
        const QueryResult orders =
            sql(QStringLiteral("SELECT count(*), SUM(CAST(ROUND(amount * 100) AS BIGINT)), SUM(user_id), "
                               "MIN(CAST(created_at AS TEXT)), MAX(CAST(created_at AS TEXT)) FROM orders"));
        if (!users.ok() || !orders.ok())
            return {users.error, orders.error};
        QVariantList sums;
        for (const QVariant &value : users.rows.first() + orders.rows.first())
            sums.append(value.toString()); // the drivers disagree on integer types, not on digits
        return sums;
    }

    bool indexExists(const QString &table, const QString &index)
    {
        const QString statement =
            m_sqlite
                ? QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                 "AND tbl_name = ? AND name = ?")
                : QStringLiteral("SELECT count(*) FROM pg_indexes WHERE tablename = ? AND indexname = ?");
        return scalar(statement, {table, index}).toInt() == 1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_sqlite = qEnvironmentVariable("PERFLAB_TEST_DB_BACKEND") != QLatin1String("postgresql");
        if (m_sqlite) {
            m_url = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("dataset.sqlite"));
        } else {
            const QString serverUrl = qEnvironmentVariable("PERFLAB_TEST_PG_URL");
            QVERIFY2(!serverUrl.isEmpty(),
                     "PERFLAB_TEST_PG_URL is unset: run through scripts/test-all.sh, or "
                     "scripts/test-services.sh start && eval \"$(scripts/test-services.sh env)\"");
            const auto parsed = parseDatabaseUrl(serverUrl);
            QVERIFY(std::holds_alternative<DatabaseUrl>(parsed));
            m_serverUrl = std::get<DatabaseUrl>(parsed);
            // A database of its own: the suite drops and creates tables other suites may also use.
            const auto error = adminExec(*m_serverUrl, {QStringLiteral("SET client_min_messages = warning"),
                                                        QStringLiteral("DROP DATABASE IF EXISTS ") +
                                                            suiteDatabase + QStringLiteral(" WITH (FORCE)"),
                                                        QStringLiteral("CREATE DATABASE ") + suiteDatabase});
            QVERIFY2(!error, qPrintable(error.value_or(QString())));
            QUrl url(serverUrl);
            url.setPath(QLatin1Char('/') + suiteDatabase);
            m_url = url.toString();
        }
        m_pool = std::make_unique<ConnectionPool>(m_url, options(2, 0, 30), m_registry);
        qInfo("database under test: %s", qPrintable(std::get<DatabaseUrl>(parseDatabaseUrl(m_url)).masked()));
    }

    void cleanupTestCase()
    {
        m_pool.reset();
        if (m_serverUrl) {
            const auto error = adminExec(*m_serverUrl, {QStringLiteral("DROP DATABASE IF EXISTS ") +
                                                        suiteDatabase + QStringLiteral(" WITH (FORCE)")});
            QVERIFY2(!error, qPrintable(error.value_or(QString())));
        }
    }

    void schemaFillsInEachDialect()
    {
        for (const Dialect dialect : {Dialect::Sqlite, Dialect::Postgresql}) {
            for (const SchemaSection section :
                 {SchemaSection::Reset, SchemaSection::Tables, SchemaSection::AfterLoad}) {
                const QString text = schemaSql(dialect, section);
                QVERIFY2(!text.contains(QStringLiteral("{{")), qPrintable(text));
                QVERIFY2(!schemaStatements(dialect, section).isEmpty(), qPrintable(text));
            }
        }
        const QString sqliteTables = schemaSql(Dialect::Sqlite, SchemaSection::Tables);
        const QString postgresTables = schemaSql(Dialect::Postgresql, SchemaSection::Tables);
        QVERIFY(sqliteTables.contains(QStringLiteral("id INTEGER PRIMARY KEY,")));
        QVERIFY(sqliteTables.contains(QStringLiteral("REFERENCES users (id) ON DELETE CASCADE")));
        QVERIFY(postgresTables.contains(
            QStringLiteral("id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,")));
        QVERIFY(!postgresTables.contains(QStringLiteral("REFERENCES")));
        QVERIFY(
            schemaSql(Dialect::Postgresql, SchemaSection::AfterLoad).contains(QStringLiteral("REFERENCES")));
        QVERIFY(!schemaSql(Dialect::Sqlite, SchemaSection::AfterLoad).contains(QStringLiteral("setval")));
        // Orders go first: they refer to users.
        QCOMPARE(schemaStatements(Dialect::Postgresql, SchemaSection::Reset).first(),
                 QStringLiteral("DROP TABLE IF EXISTS orders"));
        // A $$ body is one statement, its inner semicolons included.
        const QStringList afterLoad = schemaStatements(Dialect::Postgresql, SchemaSection::AfterLoad);
        QCOMPARE(afterLoad.size(), 4);
        QVERIFY(afterLoad.at(1).startsWith(QStringLiteral("DO $$")));
        QVERIFY(afterLoad.at(1).endsWith(QStringLiteral("$$")));
    }

    void createsTheSchemaIdempotently()
    {
        for (int round = 0; round < 2; ++round) {
            const auto error = onConnection([](QSqlDatabase &db) { return createSchema(db); });
            QVERIFY2(!error, qPrintable(error.value_or(QString())));
        }
        const QStringList tables = onConnection([](QSqlDatabase &db) { return db.tables(); });
        for (const char *table : {"users", "orders", "lab_dataset"})
            QVERIFY2(tables.contains(QLatin1String(table)), table);
        QVERIFY(indexExists(QStringLiteral("orders"), QStringLiteral("orders_user_id_idx")));
        QVERIFY(!stored()); // tables, but no dataset yet
    }

    void generatesExactCountsWithProgress()
    {
        ProgressLog log;
        const DatasetSpec spec = smallSpec();
        const DatasetReport report = ensure(spec, log.callback());
        QVERIFY2(report.ok(), qPrintable(report.error));
        QVERIFY(!report.reused);
        QCOMPARE(report.users, spec.users);
        QCOMPARE(report.orders, spec.orders);
        QVERIFY(report.seconds > 0);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM users")).toLongLong(), spec.users);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM orders")).toLongLong(), spec.orders);
        QCOMPARE(scalar(QStringLiteral("SELECT MIN(id) FROM users")).toLongLong(), 1);
        QCOMPARE(scalar(QStringLiteral("SELECT MAX(id) FROM users")).toLongLong(), spec.users);

        const QStringList phases{QStringLiteral("users"), QStringLiteral("orders"),
                                 QStringLiteral("indexes")};
        const QList<qint64> totals{spec.users, spec.orders, 2};
        int phase = 0;
        qint64 lastDone = -1;
        for (const DatasetProgress &entry : log.entries) {
            if (entry.phase != phases.value(phase)) {
                QCOMPARE(lastDone, totals.value(phase)); // the phase finished before the next began
                ++phase;
                lastDone = -1;
            }
            QCOMPARE(entry.phase, phases.value(phase));
            QCOMPARE(entry.total, totals.value(phase));
            QVERIFY2(
                entry.done > lastDone,
                qPrintable(
                    QStringLiteral("%1 went from %2 to %3").arg(entry.phase).arg(lastDone).arg(entry.done)));
            lastDone = entry.done;
        }
        QCOMPARE(phase, 2);
        QCOMPARE(lastDone, 2);
        // A report at the start of each phase and one per chunk.
        QCOMPARE(qsizetype(log.entries.size()), qsizetype(1 + 5 + 1 + 15 + 3));
    }

    void rowsMatchTheReference()
    {
        const DatasetSpec spec = smallSpec();
        QVERIFY(ensure(spec).ok());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM users WHERE name <> 'User ' || id")).toInt(), 0);
        QCOMPARE(
            scalar(QStringLiteral("SELECT count(*) FROM users WHERE email <> 'user' || id || '@example.com'"))
                .toInt(),
            0);
        const QString format = QStringLiteral("yyyy-MM-dd HH:mm:ss");
        for (const qint64 id : {qint64(1), qint64(2), qint64(3), qint64(1000), qint64(1001), spec.users}) {
            const DemoUser expected = demoUser(id, spec.seed);
            const QueryResult row =
                sql(QStringLiteral("SELECT name, email, bio, CASE WHEN is_active THEN 1 ELSE 0 "
                                   "END, CAST(created_at AS TEXT) FROM users WHERE id = ?"),
                    {id});
            QVERIFY2(row.ok() && row.rows.size() == 1, qPrintable(row.error));
            const QVariantList &values = row.rows.first();
            QCOMPARE(values.value(0).toString(), QStringLiteral("User %1").arg(id));
            QCOMPARE(values.value(0).toString(), expected.name);
            QCOMPARE(values.value(1).toString(), expected.email);
            QCOMPARE(values.value(2).toString(), expected.bio);
            QCOMPARE(values.value(3).toInt() == 1, expected.isActive);
            QCOMPARE(values.value(4).toString(), expected.createdAt.toString(format));
        }
        for (const qint64 id : {qint64(1), qint64(2), qint64(999), qint64(1000), qint64(1001), spec.orders}) {
            const DemoOrder expected = demoOrder(id, spec.users, spec.seed);
            const QueryResult row = sql(QStringLiteral("SELECT user_id, CAST(ROUND(amount * 100) AS BIGINT), "
                                                       "CAST(created_at AS TEXT) FROM orders WHERE id = ?"),
                                        {id});
            QVERIFY2(row.ok() && row.rows.size() == 1, qPrintable(row.error));
            const QVariantList &values = row.rows.first();
            QCOMPARE(values.value(0).toLongLong(), expected.userId);
            QCOMPARE(values.value(1).toLongLong(), expected.amountCents);
            QCOMPARE(values.value(2).toString(), expected.createdAt.toString(format));
        }
    }

    // The whole dataset against the C++ reference: the same on SQLite and PostgreSQL.
    void aggregatesMatchTheReference()
    {
        const DatasetSpec spec = smallSpec();
        QVERIFY(ensure(spec).ok());
        qint64 active = 0;
        for (qint64 id = 1; id <= spec.users; ++id)
            active += demoUser(id, spec.seed).isActive ? 1 : 0;
        qint64 cents = 0;
        qint64 userIds = 0;
        for (qint64 id = 1; id <= spec.orders; ++id) {
            const DemoOrder order = demoOrder(id, spec.users, spec.seed);
            cents += order.amountCents;
            userIds += order.userId;
        }
        QCOMPARE(scalar(QStringLiteral("SELECT SUM(CASE WHEN is_active THEN 1 ELSE 0 END) FROM users"))
                     .toLongLong(),
                 active);
        QCOMPARE(scalar(QStringLiteral("SELECT SUM(CAST(ROUND(amount * 100) AS BIGINT)) FROM orders"))
                     .toLongLong(),
                 cents);
        QCOMPARE(scalar(QStringLiteral("SELECT SUM(user_id) FROM orders")).toLongLong(), userIds);
        // The shapes the demo dataset is meant to have: ~90 % active, amounts 1..500, a year of dates.
        QVERIFY2(active > spec.users * 85 / 100 && active < spec.users * 95 / 100,
                 qPrintable(QString::number(active)));
        QVERIFY(scalar(QStringLiteral("SELECT MIN(amount) FROM orders")).toDouble() >= 1.0);
        QVERIFY(scalar(QStringLiteral("SELECT MAX(amount) FROM orders")).toDouble() <= 500.0);
        QVERIFY(scalar(QStringLiteral("SELECT MIN(CAST(created_at AS TEXT)) FROM orders")).toString() >=
                QStringLiteral("2024-01-01 00:00:00"));
        QVERIFY(scalar(QStringLiteral("SELECT MAX(CAST(created_at AS TEXT)) FROM users")).toString() <=
                QStringLiteral("2025-01-01 00:00:00"));
    }

    void everyOrderHasAUser()
    {
        const DatasetSpec spec = smallSpec();
        QVERIFY(ensure(spec).ok());
        QCOMPARE(
            scalar(QStringLiteral("SELECT count(*) FROM orders LEFT JOIN users ON users.id = orders.user_id "
                                  "WHERE users.id IS NULL"))
                .toInt(),
            0);
        // Spread over all users: with 3 orders each on average, about 95 % have at least one.
        const qint64 withOrders =
            scalar(QStringLiteral("SELECT count(DISTINCT user_id) FROM orders")).toLongLong();
        QVERIFY2(withOrders > spec.users * 9 / 10, qPrintable(QString::number(withOrders)));
    }

    void sameSeedSameRowsOtherSeedOthers()
    {
        QVERIFY(ensure(smallSpec(42)).ok());
        const QVariantList first = checksum();
        const DatasetReport other = ensure(smallSpec(43));
        QVERIFY2(other.ok(), qPrintable(other.error));
        QVERIFY(!other.reused);
        const QVariantList otherSums = checksum();
        QCOMPARE(otherSums.value(0), first.value(0)); // as many users
        QVERIFY(otherSums.value(1) != first.value(1));
        QVERIFY(otherSums.value(6) != first.value(6));
        QVERIFY(otherSums.value(7) != first.value(7));
        const DatasetReport again = ensure(smallSpec(42));
        QVERIFY(!again.reused);
        QCOMPARE(checksum(), first);
    }

    void reusesTheStoredDataset()
    {
        const DatasetSpec spec = smallSpec();
        QVERIFY(ensure(spec).ok());
        // Were the dataset generated again, this name would be "User 1" again.
        QVERIFY(sql(QStringLiteral("UPDATE users SET name = 'Renamed' WHERE id = 1")).ok());
        DatasetSpec otherChunks = spec;
        otherChunks.rowsPerChunk = 777;
        ProgressLog log;
        const DatasetReport report = ensure(otherChunks, log.callback());
        QVERIFY2(report.ok(), qPrintable(report.error));
        QVERIFY(report.reused);
        QCOMPARE(report.users, spec.users);
        QCOMPARE(report.orders, spec.orders);
        QVERIFY(log.entries.empty());
        qInfo("reused in %.4f s", report.seconds);
        QCOMPARE(scalar(QStringLiteral("SELECT name FROM users WHERE id = 1")).toString(),
                 QStringLiteral("Renamed"));

        const auto record = stored();
        QVERIFY(record);
        QCOMPARE(record->schemaVersion, schemaVersion);
        QCOMPARE(record->users, spec.users);
        QCOMPARE(record->orders, spec.orders);
        QCOMPARE(record->seed, spec.seed);
        QCOMPARE(record->generatedAt.size(), 19);
        QVERIFY(record->seconds > 0);

        // The schema again over a loaded database changes nothing (and PostgreSQL's key is kept).
        const auto error = onConnection([](QSqlDatabase &db) { return createSchema(db); });
        QVERIFY2(!error, qPrintable(error.value_or(QString())));
        QVERIFY(ensure(spec).reused);
        QVERIFY(sql(QStringLiteral("UPDATE users SET name = 'User 1' WHERE id = 1")).ok());
    }

    void changedFiguresRegenerate()
    {
        QVERIFY(ensure(smallSpec()).ok());
        QVERIFY(sql(QStringLiteral("UPDATE users SET name = 'Renamed' WHERE id = 1")).ok());
        DatasetSpec fewer = smallSpec();
        fewer.users = 4000;
        fewer.orders = 9000;
        const DatasetReport report = ensure(fewer);
        QVERIFY2(report.ok(), qPrintable(report.error));
        QVERIFY(!report.reused);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM users")).toLongLong(), fewer.users);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM orders")).toLongLong(), fewer.orders);
        QCOMPARE(scalar(QStringLiteral("SELECT MAX(user_id) FROM orders")).toLongLong() <= fewer.users, true);
        QCOMPARE(scalar(QStringLiteral("SELECT name FROM users WHERE id = 1")).toString(),
                 QStringLiteral("User 1"));
        QCOMPARE(stored()->users, fewer.users);
    }

    void anotherSchemaVersionRegenerates()
    {
        QVERIFY(ensure(smallSpec()).ok());
        QVERIFY(sql(QStringLiteral("UPDATE lab_dataset SET schema_version = ?"), {schemaVersion - 1}).ok());
        const DatasetReport report = ensure(smallSpec());
        QVERIFY2(report.ok(), qPrintable(report.error));
        QVERIFY(!report.reused);
        QCOMPARE(stored()->schemaVersion, schemaVersion);
    }

    // The connection goes back to the pool with the settings it had before the load.
    void restoresTheConnectionSettings()
    {
        const QStringList names = m_sqlite ? QStringList{QStringLiteral("synchronous")}
                                           : QStringList{QStringLiteral("synchronous_commit"),
                                                         QStringLiteral("client_min_messages")};
        const bool sqlite = m_sqlite;
        auto read = [names, sqlite](QSqlDatabase &db) {
            QStringList values;
            for (const QString &name : names) {
                const QueryResult result =
                    sqlite ? execQuery(db, QStringLiteral("PRAGMA ") + name)
                           : execQuery(db, QStringLiteral("SELECT current_setting(?)"), {name});
                values.append(result.ok() && !result.rows.isEmpty() ? result.rows.first().value(0).toString()
                                                                    : result.error);
            }
            return values;
        };
        auto generateBetweenReadings = [read](QSqlDatabase &db) {
            const QStringList before = read(db);
            const DatasetReport report = ensureDataset(db, smallSpec(9));
            return QList<QStringList>{before, read(db), {report.error}};
        };
        const QList<QStringList> readings = onConnection(generateBetweenReadings);
        QCOMPARE(readings.value(2), QStringList{QString()});
        QCOMPARE(readings.value(1), readings.value(0));
    }

    // SQLite: the load ends with the WAL checkpointed and its file emptied, so that no request
    // pays for flushing what the load wrote (DemoDataset.cpp, checkpointAfterLoad).
    void sqliteLoadLeavesAnEmptyWal()
    {
        if (!m_sqlite)
            QSKIP("a SQLite file's WAL");
        const QString wal =
            std::get<DatabaseUrl>(parseDatabaseUrl(m_url)).databaseName + QStringLiteral("-wal");
        // Read in the same job: any later write on the file would grow the WAL again.
        auto generateThenMeasure = [wal](QSqlDatabase &db) {
            const DatasetReport report = ensureDataset(db, smallSpec(13));
            return std::make_pair(report.error, QFileInfo(wal).size());
        };
        const auto [error, walBytes] = onConnection(generateThenMeasure);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(walBytes, 0);
    }

    void smallAndUnevenChunks()
    {
        DatasetSpec tiny;
        tiny.users = 7;
        tiny.orders = 10;
        tiny.seed = 1;
        tiny.rowsPerChunk = 3;
        const DatasetReport report = ensure(tiny);
        QVERIFY2(report.ok(), qPrintable(report.error));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM users")).toLongLong(), 7);
        QCOMPARE(scalar(QStringLiteral("SELECT count(DISTINCT id) FROM orders")).toLongLong(), 10);
        QCOMPARE(scalar(QStringLiteral("SELECT MAX(id) FROM orders")).toLongLong(), 10);

        DatasetSpec empty = tiny;
        empty.users = 0;
        empty.orders = 0;
        QVERIFY(ensure(empty).ok());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM users")).toLongLong(), 0);
        QVERIFY(ensure(empty).reused);
    }

    void cancellingLeavesNoRecord()
    {
        const DatasetSpec spec = smallSpec(7);
        auto cancel = std::make_shared<std::atomic<bool>>(false);
        // Cancelled from the progress callback once the orders are under way: between chunks.
        auto cancelDuringOrders = [cancel](const DatasetProgress &progress) {
            if (progress.phase == QStringLiteral("orders") && progress.done >= 3000)
                cancel->store(true);
        };
        const DatasetReport report = ensure(spec, cancelDuringOrders, cancel.get());
        QCOMPARE(report.error, QStringLiteral("cancelled"));
        QVERIFY(!report.ok());
        QVERIFY(!stored());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM orders")).toLongLong(), 3000);

        const DatasetReport later = ensure(spec);
        QVERIFY2(later.ok(), qPrintable(later.error));
        QVERIFY(!later.reused);
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM orders")).toLongLong(), spec.orders);
        QVERIFY(stored());

        // Cancelled before it starts: nothing is loaded, and the previous record is gone too.
        cancel->store(true);
        const DatasetReport early = ensure(smallSpec(8), {}, cancel.get());
        QCOMPARE(early.error, QStringLiteral("cancelled"));
        QVERIFY(!stored());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM users")).toLongLong(), 0);
    }

    void insertsWithoutAnIdComeAfterTheLoad()
    {
        const DatasetSpec spec = smallSpec();
        QVERIFY(ensure(spec).ok());
        QVERIFY(
            sql(QStringLiteral("INSERT INTO users (name, email) VALUES ('New', 'new@example.com')")).ok());
        const QueryResult user = sql(QStringLiteral("SELECT id, bio, CASE WHEN is_active THEN 1 ELSE 0 END, "
                                                    "created_at FROM users WHERE email = ?"),
                                     {QStringLiteral("new@example.com")});
        QVERIFY2(user.ok() && user.rows.size() == 1, qPrintable(user.error));
        QVERIFY(user.rows.first().value(0).toLongLong() > spec.users);
        QCOMPARE(user.rows.first().value(1).toString(), QString()); // the defaults
        QCOMPARE(user.rows.first().value(2).toInt(), 1);
        QVERIFY(!user.rows.first().value(3).isNull());
        QVERIFY(sql(QStringLiteral("INSERT INTO orders (user_id, amount) VALUES (1, 9.99)")).ok());
        QVERIFY(scalar(QStringLiteral("SELECT MAX(id) FROM orders")).toLongLong() > spec.orders);
        // The rows the test added would otherwise stay in the reused dataset.
        QVERIFY(sql(QStringLiteral("DELETE FROM orders WHERE id > ?"), {spec.orders}).ok());
        QVERIFY(sql(QStringLiteral("DELETE FROM users WHERE id > ?"), {spec.users}).ok());
    }

    void requiredIndexesAndKeysExist()
    {
        QVERIFY(ensure(smallSpec()).ok());
        QVERIFY(indexExists(QStringLiteral("orders"), QStringLiteral("orders_user_id_idx")));
        if (m_sqlite) {
            // SQLite's key is part of the table; the primary keys are the rowids.
            QVERIFY(scalar(QStringLiteral("SELECT sql FROM sqlite_master WHERE name = 'orders'"))
                        .toString()
                        .contains(QStringLiteral("REFERENCES users (id) ON DELETE CASCADE")));
            return;
        }
        QVERIFY(indexExists(QStringLiteral("users"), QStringLiteral("users_pkey")));
        QVERIFY(indexExists(QStringLiteral("orders"), QStringLiteral("orders_pkey")));
        QCOMPARE(scalar(QStringLiteral("SELECT CAST(confdeltype AS TEXT) FROM pg_constraint "
                                       "WHERE conname = 'orders_user_id_fkey' AND contype = 'f'"))
                     .toString(),
                 QStringLiteral("c"));
    }

    void deletingAUserDeletesItsOrders()
    {
        const DatasetSpec spec = smallSpec();
        QVERIFY(ensure(spec).ok());
        const qint64 userId = demoOrder(1, spec.users, spec.seed).userId;
        QVERIFY(sql(QStringLiteral("DELETE FROM users WHERE id = ?"), {userId}).ok());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM orders WHERE user_id = ?"), {userId}).toInt(),
                 0);
        QVERIFY(!sql(QStringLiteral("INSERT INTO orders (user_id, amount) VALUES (?, 1)"), {userId}).ok());
        // Regenerated by the next test that needs it.
        QVERIFY(sql(QStringLiteral("DELETE FROM lab_dataset")).ok());
    }

    void rejectsImpossibleFigures()
    {
        QVERIFY(ensure(smallSpec()).ok());
        DatasetSpec negative = smallSpec();
        negative.users = -1;
        QVERIFY(ensure(negative).error.contains(QStringLiteral("negative")));
        DatasetSpec ordersWithoutUsers = smallSpec();
        ordersWithoutUsers.users = 0;
        QVERIFY(ensure(ordersWithoutUsers).error.contains(QStringLiteral("orders need users")));
        QVERIFY(ensure(smallSpec()).reused); // left alone
    }
    // The default size is timed by tests/bench/bench_db_patterns (a benchmark, not a ctest).
};

QTEST_GUILESS_MAIN(TestDataset)
#include "test_dataset.moc"

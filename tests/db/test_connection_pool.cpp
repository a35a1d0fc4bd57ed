// Tests for engine/db: ConnectionPool (QueuePool semantics) and database URLs. They run
// against a real SQLite file in a temporary folder, or against the database named by
// PERFLAB_TEST_DB_URL when it is set (the PostgreSQL run), with the same expectations.
#include "PoolTestSupport.h"
#include "engine/db/ConnectionPool.h"
#include "engine/db/DatabaseUrl.h"
#include "engine/metrics/Registry.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <variant>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using namespace perflab::db;

using namespace perflab::db::testing;

class TestConnectionPool : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_url;
    bool m_sqlite = true;
    int m_tables = 0;

    QString uniqueTable() { return QStringLiteral("pool_test_%1").arg(++m_tables); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString fromEnvironment = qEnvironmentVariable("PERFLAB_TEST_DB_URL");
        // The PostgreSQL registration (tests/db/CMakeLists.txt) takes the test command's server.
        if (qEnvironmentVariable("PERFLAB_TEST_DB_BACKEND") == QLatin1String("postgresql")) {
            fromEnvironment = qEnvironmentVariable("PERFLAB_TEST_PG_URL");
            QVERIFY2(!fromEnvironment.isEmpty(),
                     "PERFLAB_TEST_PG_URL is unset: run through scripts/test-all.sh, or "
                     "scripts/test-services.sh start && eval \"$(scripts/test-services.sh env)\"");
        }
        m_sqlite = fromEnvironment.isEmpty();
        m_url = m_sqlite ? QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("pool.sqlite"))
                         : fromEnvironment;
        qInfo("database under test: %s", qPrintable(std::get<DatabaseUrl>(parseDatabaseUrl(m_url)).masked()));
    }

    void parsesUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("driver");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("masked");
        QTest::newRow("sqlite path") << u"sqlite:/tmp/lab.db"_s << u"QSQLITE"_s << u"/tmp/lab.db"_s << u""_s
                                     << -1 << u""_s << u""_s << u"sqlite:/tmp/lab.db"_s;
        QTest::newRow("postgresql") << u"postgresql://lab:s3cret@db.local:5433/perflab"_s << u"QPSQL"_s
                                    << u"perflab"_s << u"db.local"_s << 5433 << u"lab"_s << u"s3cret"_s
                                    << u"postgresql://lab:***@db.local:5433/perflab"_s;
        QTest::newRow("default port")
            << u"postgresql://lab:pw@127.0.0.1/perflab"_s << u"QPSQL"_s << u"perflab"_s << u"127.0.0.1"_s
            << 5432 << u"lab"_s << u"pw"_s << u"postgresql://lab:***@127.0.0.1/perflab"_s;
        QTest::newRow("encoded password") << u"postgres://lab:p%40ss@h/d"_s << u"QPSQL"_s << u"d"_s << u"h"_s
                                          << 5432 << u"lab"_s << u"p@ss"_s << u"postgres://lab:***@h/d"_s;
    }
    void parsesUrls()
    {
        QFETCH(QString, url);
        const auto parsed = parseDatabaseUrl(url);
        QVERIFY(std::holds_alternative<DatabaseUrl>(parsed));
        const auto &db = std::get<DatabaseUrl>(parsed);
        QTEST(db.driver, "driver");
        QTEST(db.databaseName, "database");
        QTEST(db.host, "host");
        QTEST(db.port, "port");
        QTEST(db.userName, "user");
        QTEST(db.password, "password");
        QTEST(db.masked(), "masked");
    }

    void rejectsBadUrlsWithThePasswordMasked()
    {
        const auto parsed = parseDatabaseUrl(QStringLiteral("mysql://root:hunter2@h/d"));
        QVERIFY(std::holds_alternative<QString>(parsed));
        const QString message = std::get<QString>(parsed);
        QVERIFY2(!message.contains(QStringLiteral("hunter2")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("mysql://root:***@h/d")), qPrintable(message));
    }

    void exhaustedMessageIsExact()
    {
        QCOMPARE(poolExhaustedMessage(options(20, 10), 30.04),
                 QStringLiteral("database pool exhausted: size 20 overflow 10, waited 30.0 s"));
        QCOMPARE(poolExhaustedMessage(options(1, 0), 0.24),
                 QStringLiteral("database pool exhausted: size 1 overflow 0, waited 0.2 s"));
    }

    void opensLazily()
    {
        perflab::metrics::Registry registry;
        const QString lazyFile = m_dir.filePath(QStringLiteral("lazy.sqlite"));
        ConnectionPool pool(m_sqlite ? QStringLiteral("sqlite:") + lazyFile : m_url, options(2, 1), registry);
        QCOMPARE(pool.figures().open, 0);
        QCOMPARE(pool.figures().opened, 0u);
        if (m_sqlite)
            QVERIFY(!QFileInfo::exists(lazyFile));
        PooledConnection connection = take(pool);
        QCOMPARE(pool.figures().opened, 1u);
        QCOMPARE(pool.figures().inUse, 1);
        connection.release();
        QCOMPARE(pool.figures().idle, 1);
        PooledConnection again = take(pool);
        QCOMPARE(pool.figures().opened, 1u); // reused, not reopened
        if (m_sqlite)
            QVERIFY(QFileInfo::exists(lazyFile));
    }

    void runsQueriesOnTheConnectionsThread()
    {
        perflab::metrics::Registry registry;
        ConnectionPool pool(m_url, options(2, 0), registry);
        PooledConnection connection = take(pool);
        const QString table = uniqueTable();
        QVERIFY(query(connection, QStringLiteral("DROP TABLE IF EXISTS ") + table).ok());
        const QueryResult created = query(
            connection, QStringLiteral("CREATE TABLE %1 (id INTEGER PRIMARY KEY, name TEXT)").arg(table));
        QVERIFY2(created.ok(), qPrintable(created.error));
        for (int id = 1; id <= 3; ++id) {
            const QueryResult inserted =
                query(connection, QStringLiteral("INSERT INTO %1 (id, name) VALUES (?, ?)").arg(table),
                      {id, QStringLiteral("user %1").arg(id)});
            QVERIFY2(inserted.ok(), qPrintable(inserted.error));
            QCOMPARE(inserted.rowsAffected, 1);
        }
        const QueryResult rows =
            query(connection, QStringLiteral("SELECT id, name FROM %1 ORDER BY id").arg(table));
        QVERIFY2(rows.ok(), qPrintable(rows.error));
        QCOMPARE(rows.rows.size(), 3);
        QCOMPARE(rows.rows[2].value(0).toInt(), 3);
        QCOMPARE(rows.rows[2].value(1).toString(), QStringLiteral("user 3"));

        const QueryResult bad = query(connection, QStringLiteral("SELECT * FROM no_such_table_here"));
        QVERIFY(!bad.ok());

        QThread *testThread = QThread::currentThread();
        auto where = [](QSqlDatabase &db) { return std::make_pair(QThread::currentThread(), db.isOpen()); };
        const auto seen = run(connection.run(std::move(where)));
        QVERIFY(seen);
        QVERIFY(seen->first != testThread);
        QVERIFY(seen->second);
        query(connection, QStringLiteral("DROP TABLE ") + table);
    }

    void failsWithTheExactErrorWhenExhausted()
    {
        perflab::metrics::Registry registry;
        ConnectionPool pool(m_url, options(1, 1, 0.3), registry);
        PooledConnection first = take(pool);
        PooledConnection second = take(pool);
        QElapsedTimer timer;
        timer.start();
        auto outcome = run(pool.checkout());
        const qint64 elapsedMs = timer.elapsed();
        QVERIFY(outcome);
        QVERIFY(std::holds_alternative<PoolError>(*outcome));
        const PoolError error = std::get<PoolError>(*outcome);
        QCOMPARE(error.kind, PoolError::Kind::Exhausted);
        static const QRegularExpression exact(
            QStringLiteral("^database pool exhausted: size 1 overflow 1, waited (\\d+\\.\\d) s$"));
        const auto match = exact.match(error.message);
        QVERIFY2(match.hasMatch(), qPrintable(error.message));
        const double waited = match.captured(1).toDouble();
        QVERIFY2(waited >= 0.2 && waited <= 3.0, qPrintable(error.message));
        QVERIFY2(elapsedMs >= 250 && elapsedMs <= 3000, qPrintable(QString::number(elapsedMs)));
        QCOMPARE(pool.figures().inUse, 2);

        second.release(); // capacity again
        PooledConnection third = take(pool);
        QVERIFY(third);
    }

    void waitsForACheckInAndCountsWaiters()
    {
        perflab::metrics::Registry registry;
        ConnectionPool pool(m_url, options(1, 0, 10), registry);
        auto holder = std::make_shared<std::optional<PooledConnection>>(take(pool));
        QTimer::singleShot(300ms, [holder] { holder->reset(); });
        QCOMPARE(gauge(registry, QStringLiteral("db_pool_waiters")), 0);
        std::int64_t waitersMeanwhile = -1;
        QTimer::singleShot(100ms,
                           [&] { waitersMeanwhile = gauge(registry, QStringLiteral("db_pool_waiters")); });
        QElapsedTimer timer;
        timer.start();
        PooledConnection next = take(pool);
        QVERIFY(next);
        QVERIFY(timer.elapsed() >= 250);
        QCOMPARE(waitersMeanwhile, 1);
        QCOMPARE(gauge(registry, QStringLiteral("db_pool_waiters")), 0);
        QCOMPARE(pool.figures().opened, 1u);
        const QJsonObject histograms = registry.snapshotJson().value(QStringLiteral("histograms")).toObject();
        const auto waits = histograms.value(QStringLiteral("db_pool_wait_seconds")).toArray();
        QCOMPARE(waits.size(), 1);
        QCOMPARE(waits[0].toObject().value(QStringLiteral("count")).toInt(), 2);
        QVERIFY(waits[0].toObject().value(QStringLiteral("max_ms")).toDouble() >= 250);
    }

    void closesOverflowOnCheckInWhenThePoolIsFull()
    {
        perflab::metrics::Registry registry;
        ConnectionPool pool(m_url, options(1, 2), registry);
        std::vector<PooledConnection> held;
        for (int i = 0; i < 3; ++i)
            held.push_back(take(pool));
        PoolFigures figures = pool.figures();
        QCOMPARE(figures.open, 3);
        QCOMPARE(figures.overflow, 2);
        QCOMPARE(figures.inUse, 3);
        held.clear();
        figures = pool.figures();
        QCOMPARE(figures.inUse, 0);
        QCOMPARE(figures.idle, 1);
        QCOMPARE(figures.open, 1);
        QCOMPARE(figures.overflow, 0);
        QCOMPARE(figures.closed, 2u);
    }

    void metricsFollowThePool()
    {
        perflab::metrics::Registry registry;
        ConnectionPool pool(m_url, options(1, 1), registry);
        const auto state = [&](const char *name) {
            return gauge(registry, QStringLiteral("db_pool_connections"), {QString::fromLatin1(name)});
        };
        QCOMPARE(state("in_use"), 0);
        QCOMPARE(state("idle"), 0);
        QCOMPARE(state("overflow"), 0);
        PooledConnection first = take(pool);
        PooledConnection second = take(pool);
        QCOMPARE(state("in_use"), 2);
        QCOMPARE(state("overflow"), 1);
        first.release();
        QCOMPARE(state("in_use"), 1);
        QCOMPARE(state("idle"), 1);
        QCOMPARE(state("overflow"), 1);
        second.release(); // the pool is full: closed
        QCOMPARE(state("in_use"), 0);
        QCOMPARE(state("idle"), 1);
        QCOMPARE(state("overflow"), 0);
    }

    void recyclesOldConnections()
    {
        perflab::metrics::Registry registry;
        ConnectionPool pool(m_url, options(1, 0, 5, 0.2), registry);
        PooledConnection connection = take(pool);
        const quint64 firstSerial = connection.serial();
        connection.release();
        PooledConnection young = take(pool);
        QCOMPARE(young.serial(), firstSerial); // not yet old
        young.release();
        QTest::qWait(350);
        PooledConnection recycled = take(pool);
        QVERIFY(recycled.serial() != firstSerial);
        QCOMPARE(pool.figures().opened, 2u);
        QCOMPARE(pool.figures().open, 1);
        QVERIFY(query(recycled, QStringLiteral("SELECT 1")).ok());
    }

    void prePingReplacesABrokenConnectionAndOlderOnes()
    {
        perflab::metrics::Registry registry;
        ConnectionPool pool(m_url, options(2, 0, 5, -1, true), registry);
        PooledConnection older = take(pool);
        PooledConnection broken = take(pool);
        const quint64 olderSerial = older.serial();
        const quint64 brokenSerial = broken.serial();
        QVERIFY(olderSerial < brokenSerial);
        // Behind the pool's back, as a server restart would.
        auto sever = [](QSqlDatabase &db) {
            db.close();
            return db.isOpen();
        };
        QCOMPARE(run(broken.run(std::move(sever))), std::optional<bool>(false));
        QVERIFY(!query(broken, QStringLiteral("SELECT 1")).ok());
        broken.release(); // idle queue: broken, older
        older.release();
        QCOMPARE(pool.figures().opened, 2u);

        PooledConnection replaced = take(pool); // pings `broken`, fails, reopens it
        QVERIFY(replaced.serial() > brokenSerial);
        QVERIFY(query(replaced, QStringLiteral("SELECT 1")).ok());
        PooledConnection reopened = take(pool); // `older` was opened before: invalidated too
        QVERIFY(reopened.serial() > replaced.serial());
        QCOMPARE(pool.figures().opened, 4u);
        QCOMPARE(pool.figures().open, 2);

        // A healthy connection passes the ping and is kept.
        const quint64 healthy = reopened.serial();
        reopened.release();
        replaced.release();
        PooledConnection first = take(pool);
        PooledConnection second = take(pool);
        QCOMPARE(pool.figures().opened, 4u);
        QVERIFY(first.serial() == healthy || second.serial() == healthy);
    }

    void reportsAConnectFailureAndFreesThePermit()
    {
        perflab::metrics::Registry registry;
        ConnectionPool pool(QStringLiteral("sqlite:") +
                                m_dir.filePath(QStringLiteral("missing/dir/x.sqlite")),
                            options(1, 0, 0.2), registry);
        for (int attempt = 0; attempt < 2; ++attempt) { // the second would time out if the permit leaked
            auto outcome = run(pool.checkout());
            QVERIFY(outcome);
            QVERIFY(std::holds_alternative<PoolError>(*outcome));
            const PoolError error = std::get<PoolError>(*outcome);
            QCOMPARE(error.kind, PoolError::Kind::ConnectFailed);
            QVERIFY2(error.message.startsWith(QStringLiteral("cannot connect to sqlite:")),
                     qPrintable(error.message));
        }
        QCOMPARE(pool.figures().inUse, 0);
        QCOMPARE(pool.figures().open, 0);
    }

    void liveOptionsChangeTheCapacity()
    {
        perflab::metrics::Registry registry;
        ConnectionPool pool(m_url, options(2, 0, 0.1), registry);
        PooledConnection a = take(pool);
        PooledConnection b = take(pool);
        a.release();
        b.release();
        QCOMPARE(pool.figures().idle, 2);
        pool.setOptions(options(1, 0, 0.1));
        QCOMPARE(pool.figures().idle, 1);
        PooledConnection only = take(pool);
        auto refused = run(pool.checkout());
        QVERIFY(refused && std::holds_alternative<PoolError>(*refused));
        QCOMPARE(std::get<PoolError>(*refused).message.left(45),
                 QStringLiteral("database pool exhausted: size 1 overflow 0, w"));
        pool.setOptions(options(1, 1, 0.1));
        PooledConnection extra = take(pool);
        QCOMPARE(pool.figures().overflow, 1);
    }

    void aWaiterLearnsThatThePoolClosed()
    {
        perflab::metrics::Registry registry;
        auto pool = std::make_unique<ConnectionPool>(m_url, options(1, 0, 10), registry);
        PooledConnection held = take(*pool);
        auto outcome = std::make_shared<std::optional<Checkout>>();
        auto loop = std::make_shared<QEventLoop>();
        capture(pool->checkout(), outcome, loop);
        QTRY_COMPARE(pool->figures().waiters, 1);
        pool.reset(); // closes the idle connections; `held` still works
        QVERIFY(query(held, QStringLiteral("SELECT 1")).ok());
        held.release(); // its permit goes to the waiter, which finds the pool closed
        QTRY_VERIFY(outcome->has_value());
        QVERIFY(std::holds_alternative<PoolError>(**outcome));
        QCOMPARE(std::get<PoolError>(**outcome).kind, PoolError::Kind::Closed);
        QCOMPARE(gauge(registry, QStringLiteral("db_pool_connections"), {QStringLiteral("in_use")}), 0);
    }

    void servesCheckoutsFromTwoThreads()
    {
        perflab::metrics::Registry registry;
        ConnectionPool pool(m_url, options(1, 1, 10), registry);
        auto traffic = std::make_shared<Traffic>();
        constexpr int rounds = 20;
        WorkerThread worker;
        worker.post([&pool, traffic] { checkoutLoop(pool, 1000, rounds, traffic); });
        checkoutLoop(pool, 2000, rounds, traffic);
        QTRY_COMPARE_WITH_TIMEOUT(traffic->finished.load(), 2, 20000);
        QCOMPARE(traffic->failed.load(), 0);
        QCOMPARE(traffic->succeeded.load(), 2 * rounds);
        QCOMPARE(traffic->wrongThread.load(), 0);
        QVERIFY(traffic->maxInUse.load() <= 2);
        QCOMPARE(pool.figures().inUse, 0);
        QVERIFY(pool.figures().open <= 2);
    }
};

QTEST_GUILESS_MAIN(TestConnectionPool)
#include "test_connection_pool.moc"

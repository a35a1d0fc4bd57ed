// Pre-ping against a database server that drops a session by itself, as a restart or an
// idle-session timeout does: PostgreSQL only (SQLite has no server to end a session), so this
// suite is registered for the test command's PostgreSQL alone (tests/db/CMakeLists.txt)
// rather than skipped in the SQLite run.
#include "PoolTestSupport.h"
#include "engine/db/ConnectionPool.h"
#include "engine/metrics/Registry.h"

#include <QTest>

using namespace perflab::db;
using namespace perflab::db::testing;

class TestPoolServerSideDisconnect : public QObject
{
    Q_OBJECT

    QString m_url;

private Q_SLOTS:
    void initTestCase()
    {
        m_url = qEnvironmentVariable("PERFLAB_TEST_PG_URL");
        QVERIFY2(!m_url.isEmpty(),
                 "PERFLAB_TEST_PG_URL is unset: run through scripts/test-all.sh, or "
                 "scripts/test-services.sh start && eval \"$(scripts/test-services.sh env)\"");
    }

    void prePingSurvivesAServerSideDisconnect()
    {
        perflab::metrics::Registry registry;
        ConnectionPool pool(m_url, options(2, 0, 5, -1, true), registry);
        PooledConnection victim = take(pool);
        PooledConnection killer = take(pool);
        const QueryResult pid = query(victim, QStringLiteral("SELECT pg_backend_pid()"));
        QVERIFY2(pid.ok() && pid.rows.size() == 1, qPrintable(pid.error));
        const QueryResult killed =
            query(killer, QStringLiteral("SELECT pg_terminate_backend(CAST(? AS INTEGER))"),
                  {pid.rows[0].value(0)});
        QVERIFY2(killed.ok(), qPrintable(killed.error));
        const quint64 victimSerial = victim.serial();
        const quint64 killerSerial = killer.serial();
        victim.release(); // idle queue: victim, killer
        killer.release();
        QTest::qWait(200); // the backend exits asynchronously

        PooledConnection replaced = take(pool);
        QVERIFY(replaced.serial() > killerSerial);
        QVERIFY(query(replaced, QStringLiteral("SELECT 1")).ok());
        PooledConnection survivor = take(pool); // opened after the victim: kept
        QCOMPARE(survivor.serial(), killerSerial);
        QVERIFY(victimSerial < killerSerial);
        QCOMPARE(pool.figures().opened, 3u);
    }
};

QTEST_GUILESS_MAIN(TestPoolServerSideDisconnect)
#include "test_pool_server_side.moc"

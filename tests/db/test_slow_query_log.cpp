// Tests for the slow-query log (engine/db/SlowQueryLog.h) and what it is built from: SQL
// fingerprints, examples with their values inlined, the live threshold, the bound, the
// rate-limited listener, the metrics, many recording threads, and a real pool on SQLite.
#include "PoolTestSupport.h"
#include "engine/db/ConnectionPool.h"
#include "engine/db/SlowQueryLog.h"
#include "engine/db/SqlExample.h"
#include "engine/db/SqlFingerprint.h"
#include "engine/metrics/PrometheusText.h"
#include "engine/metrics/Registry.h"
#include "engine/settings/SettingsStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace Qt::StringLiterals;
using namespace perflab::db;
using perflab::metrics::Registry;
using perflab::settings::SettingsStore;

namespace {

void setThreshold(SettingsStore &settings, double ms)
{
    const auto result = settings.patch(QJsonObject{{u"database"_s, QJsonObject{{u"slow_query_ms"_s, ms}}}});
    if (!std::holds_alternative<std::shared_ptr<const perflab::settings::LabSettings>>(result))
        qFatal("slow_query_ms %f was refused", ms);
}

const SlowQueryEntry *findEntry(const std::vector<SlowQueryEntry> &entries, const QString &fingerprint)
{
    for (const SlowQueryEntry &entry : entries) {
        if (entry.fingerprint == fingerprint)
            return &entry;
    }
    return nullptr;
}

QStringList fingerprintsOf(const std::vector<SlowQueryEntry> &entries)
{
    QStringList fingerprints;
    for (const SlowQueryEntry &entry : entries)
        fingerprints.append(entry.fingerprint);
    return fingerprints;
}

std::uint64_t histogramCount(const Registry &registry, const QString &name)
{
    auto *family = dynamic_cast<const perflab::metrics::HistogramFamily *>(registry.find(name));
    if (!family || family->seriesCount() != 1)
        return 0;
    return family->seriesList().front().series->totalCount();
}

std::int64_t counterValue(const Registry &registry, const QString &name)
{
    auto *family = dynamic_cast<const perflab::metrics::CounterFamily *>(registry.find(name));
    if (!family || family->seriesCount() != 1)
        return -1;
    return std::int64_t(family->seriesList().front().series->value());
}

QString inList(int length)
{
    QStringList ids;
    for (int i = 0; i < length; ++i)
        ids.append(QString::number(1000 + i * 7));
    return u"SELECT id, name FROM users WHERE id IN ("_s + ids.join(u", "_s) + u") ORDER BY id"_s;
}

QString valuesRows(int rows)
{
    QStringList tuples;
    for (int i = 0; i < rows; ++i)
        tuples.append(u"(%1, 'user %1', %2)"_s.arg(i).arg(i % 2 ? u"TRUE"_s : u"FALSE"_s));
    return u"INSERT INTO users (id, name, active) VALUES "_s + tuples.join(u","_s);
}

} // namespace

class TestSlowQueryLog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fingerprints_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QString>("fingerprint");
        QTest::newRow("integer") << u"SELECT * FROM users WHERE id = 42"_s
                                 << u"SELECT * FROM users WHERE id = ?"_s;
        QTest::newRow("decimal, negative, exponent")
            << u"SELECT a FROM t WHERE x > -1.5 AND y < 3.25e-4 AND z = .5 AND w = -7 AND v = 1E+3"_s
            << u"SELECT a FROM t WHERE x > ? AND y < ? AND z = ? AND w = ? AND v = ?"_s;
        QTest::newRow("sign after a keyword") << u"SELECT -1 LIMIT -5"_s << u"SELECT ? LIMIT ?"_s;
        QTest::newRow("minus that subtracts")
            << u"SELECT x -1, x - 2, (y)-3, 4-5 FROM t"_s << u"SELECT x -?, x - ?, (y)-?, ?-? FROM t"_s;
        QTest::newRow("hex number") << u"SELECT 0x1F, 0"_s << u"SELECT ?, ?"_s;
        QTest::newRow("string with '' escapes")
            << u"SELECT * FROM t WHERE name = 'O''Brien' AND note = 'a -- b /* c */ IN (1)'"_s
            << u"SELECT * FROM t WHERE name = ? AND note = ?"_s;
        QTest::newRow("empty string")
            << u"UPDATE t SET s = '' WHERE k = ''''"_s << u"UPDATE t SET s = ? WHERE k = ?"_s;
        QTest::newRow("prefixed strings")
            << uR"(SELECT E'it\'s', N'x', X'0A', b'101')"_s << u"SELECT ?, ?, ?, ?"_s;
        QTest::newRow("dollar-quoted strings")
            << u"SELECT $$a 'b' $$, $tag$ x $$ y $tag$ FROM t"_s << u"SELECT ?, ? FROM t"_s;
        QTest::newRow("placeholders") << u"UPDATE t SET a = ?, b = $2, c = :name WHERE id = $10"_s
                                      << u"UPDATE t SET a = ?, b = ?, c = ? WHERE id = ?"_s;
        QTest::newRow("cast and slice are not placeholders")
            << u"SELECT x::text, a[1:n] FROM t"_s << u"SELECT x::text, a[?:n] FROM t"_s;
        QTest::newRow("IN numbers") << u"SELECT * FROM users WHERE id IN (1, 2, 3)"_s
                                    << u"SELECT * FROM users WHERE id IN (?)"_s;
        QTest::newRow("IN placeholders, no spaces")
            << u"SELECT * FROM users WHERE id IN (?,?,?,?)"_s << u"SELECT * FROM users WHERE id IN (?)"_s;
        QTest::newRow("in( lower case")
            << u"select * from u where id in(5)"_s << u"select * from u where id in (?)"_s;
        QTest::newRow("NOT IN strings and $n")
            << u"WHERE s NOT IN ('a', 'b''c', $3, -4)"_s << u"WHERE s NOT IN (?)"_s;
        QTest::newRow("IN subquery keeps its shape")
            << u"WHERE id IN (SELECT user_id FROM orders WHERE total > 100 AND id IN (1,2))"_s
            << u"WHERE id IN (SELECT user_id FROM orders WHERE total > ? AND id IN (?))"_s;
        QTest::newRow("IN row values keep their shape")
            << u"WHERE (a, b) IN ((1, 2), (3, 4))"_s << u"WHERE (a, b) IN ((?, ?), (?, ?))"_s;
        QTest::newRow("VALUES one row") << u"INSERT INTO users (name, age) VALUES ('a',1)"_s
                                        << u"INSERT INTO users (name, age) VALUES (?, ?)"_s;
        QTest::newRow("VALUES many rows")
            << u"INSERT INTO users (name, age) VALUES ('a', 1), ('b', 2),('c',3)"_s
            << u"INSERT INTO users (name, age) VALUES (?, ?), ..."_s;
        QTest::newRow("VALUES rows with expressions")
            << u"INSERT INTO t (a, b) VALUES (1, now()), (2, now()) RETURNING id"_s
            << u"INSERT INTO t (a, b) VALUES (?, now()), ... RETURNING id"_s;
        QTest::newRow("VALUES then ON CONFLICT")
            << u"INSERT INTO t (a) VALUES (?), (?) ON CONFLICT (a) DO UPDATE SET a = 1"_s
            << u"INSERT INTO t (a) VALUES (?), ... ON CONFLICT (a) DO UPDATE SET a = ?"_s;
        QTest::newRow("VALUES as a table") << u"SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(id, name)"_s
                                           << u"SELECT * FROM (VALUES (?, ?), ...) AS v(id, name)"_s;
        QTest::newRow("comments") << u"SELECT /* hint */ a -- trailing 1\nFROM t--end"_s
                                  << u"SELECT a FROM t"_s;
        QTest::newRow("comment between tokens") << u"SELECT a/**/FROM t"_s << u"SELECT a FROM t"_s;
        QTest::newRow("whitespace") << u"  SELECT\n\t a ,\r\n  b   FROM   t  \n"_s
                                    << u"SELECT a , b FROM t"_s;
        QTest::newRow("identifiers with digits untouched")
            << u"SELECT t1.col2, \"x1\", `y2`, a$1, _3 FROM table3 t1"_s
            << u"SELECT t1.col2, \"x1\", `y2`, a$1, _3 FROM table3 t1"_s;
        QTest::newRow("quoted name with a doubled quote and spaces")
            << u"SELECT \"we\"\"ird  1\" FROM t"_s << u"SELECT \"we\"\"ird  1\" FROM t"_s;
        QTest::newRow("case kept") << u"SeLeCt Name FROM Users WHERE Flag IS TRUE"_s
                                   << u"SeLeCt Name FROM Users WHERE Flag IS TRUE"_s;
        QTest::newRow("unicode identifiers")
            << u"SELECT größe2 FROM tâble WHERE x = 'ü'"_s << u"SELECT größe2 FROM tâble WHERE x = ?"_s;
        QTest::newRow("unterminated string")
            << u"SELECT * FROM t WHERE a = 'abc"_s << u"SELECT * FROM t WHERE a = ?"_s;
        QTest::newRow("unterminated quoted name") << u"SELECT \"abc 1"_s << u"SELECT \"abc 1"_s;
        QTest::newRow("unterminated comment") << u"SELECT 1 /* never"_s << u"SELECT ?"_s;
        QTest::newRow("unterminated dollar quote") << u"SELECT $x$ 1"_s << u"SELECT ?"_s;
        QTest::newRow("unbalanced IN")
            << u"SELECT * FROM t WHERE id IN (1, 2"_s << u"SELECT * FROM t WHERE id IN (?, ?"_s;
        QTest::newRow("empty IN") << u"SELECT * FROM t WHERE id IN ()"_s
                                  << u"SELECT * FROM t WHERE id IN ()"_s;
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("only a comment") << u"  -- nothing\n"_s << QString();
    }
    void fingerprints()
    {
        QFETCH(QString, sql);
        QTEST(fingerprintSql(sql), "fingerprint");
    }

    void fingerprintsAreStable()
    {
        // The same fingerprint for any IN list length: N+1 lookups and batches compare.
        QCOMPARE(fingerprintSql(inList(1)), u"SELECT id, name FROM users WHERE id IN (?) ORDER BY id"_s);
        QCOMPARE(fingerprintSql(inList(2)), fingerprintSql(inList(1)));
        QCOMPARE(fingerprintSql(inList(500)), fingerprintSql(inList(1)));
        // Bulk inserts of any size share one; the row-by-row insert has its own.
        QCOMPARE(fingerprintSql(valuesRows(2)),
                 u"INSERT INTO users (id, name, active) VALUES (?, ?, FALSE), ..."_s);
        QCOMPARE(fingerprintSql(valuesRows(1000)), fingerprintSql(valuesRows(2)));
        QCOMPARE(fingerprintSql(valuesRows(1)),
                 u"INSERT INTO users (id, name, active) VALUES (?, ?, FALSE)"_s);
        // A fingerprint is its own fingerprint.
        for (const QString &sql :
             {inList(3), valuesRows(3), u"SELECT x -1, 'a' FROM t /* c */ WHERE b IN ($1)"_s})
            QCOMPARE(fingerprintSql(fingerprintSql(sql)), fingerprintSql(sql));
    }

    void fingerprintNeverFails()
    {
        // Every prefix of a statement full of traps (each cuts something off mid-token), then
        // random mixes of fragments.
        const QString traps = u"SELECT \"a\"\"1\", E'x\\'y', $t$ q $t$, 'it''s' /* c */ -- d\n"
                              u"FROM t1 WHERE id IN (1, -2.5e3, ?, $1, :n) AND v IN (VALUES (1), (2)) "
                              u"AND x::int = .5 AND `b` = 0x1F"_s;
        for (qsizetype length = 0; length <= traps.size(); ++length) {
            const QString fingerprint = fingerprintSql(QStringView(traps).left(length));
            QVERIFY(fingerprint.size() <= 2 * length + 8);
            QVERIFY(fingerprint == fingerprint.trimmed());
        }
        const QStringList fragments{u"'"_s,  u"''"_s,     u"\""_s, u"`"_s,  u"/*"_s,     u"*/"_s,
                                    u"--"_s, u"\n"_s,     u"$"_s,  u"$$"_s, u"$a$"_s,    u"?"_s,
                                    u":"_s,  u"::"_s,     u"-"_s,  u"."_s,  u"1"_s,      u"e"_s,
                                    u"E'"_s, u"\\"_s,     u"("_s,  u")"_s,  u","_s,      u" "_s,
                                    u"IN"_s, u"VALUES"_s, u"x"_s,  u"0x"_s, u"\u00e9"_s, u"\U0001F600"_s};
        QRandomGenerator random(20240501);
        for (int round = 0; round < 3000; ++round) {
            QString sql;
            const int pieces = random.bounded(1, 40);
            for (int i = 0; i < pieces; ++i)
                sql += fragments[random.bounded(int(fragments.size()))];
            const QString fingerprint = fingerprintSql(sql);
            QVERIFY2(fingerprint.size() <= 2 * sql.size() + 8, qPrintable(sql));
            const QString example = sqlWithValuesInlined(sql, {1, u"a"_s}, 50);
            QVERIFY2(example.size() <= 50, qPrintable(sql));
        }
    }

    void inlinesValues_data()
    {
        QTest::addColumn<QString>("sql");
        QTest::addColumn<QVariantList>("values");
        QTest::addColumn<QString>("example");
        QTest::newRow("every kind of value")
            << u"INSERT INTO users (name, bio, age, active, score, avatar, note) VALUES (?, ?, ?, ?, ?, ?, ?)"_s
            << QVariantList{u"O'Brien"_s,
                            QVariant(),
                            42,
                            true,
                            2.5,
                            QByteArray("\x01\xff", 2),
                            QVariant(QMetaType::fromType<QString>())}
            << u"INSERT INTO users (name, bio, age, active, score, avatar, note) VALUES "
               u"('O''Brien', NULL, 42, TRUE, 2.5, X'01ff', NULL)"_s;
        QTest::newRow("$n by number")
            << u"SELECT * FROM t WHERE a = $2 AND b = $1 AND c = $9"_s << QVariantList{1, u"x"_s}
            << u"SELECT * FROM t WHERE a = 'x' AND b = 1 AND c = $9"_s;
        QTest::newRow("placeholders in strings, names and comments stay")
            << u"SELECT '?', \"?\", ? /* ? */ FROM t -- ?"_s << QVariantList{5}
            << u"SELECT '?', \"?\", 5 /* ? */ FROM t -- ?"_s;
        QTest::newRow("fewer values than placeholders")
            << u"SELECT ?, ?"_s << QVariantList{-1} << u"SELECT -1, ?"_s;
        QTest::newRow("named in order") << u"UPDATE t SET a = :a WHERE id = :id"_s << QVariantList{false, 7}
                                        << u"UPDATE t SET a = FALSE WHERE id = 7"_s;
    }
    void inlinesValues()
    {
        QFETCH(QString, sql);
        QFETCH(QVariantList, values);
        QTEST(sqlWithValuesInlined(sql, values), "example");
    }

    void examplesAreCutAt1000Characters()
    {
        const QString prefix = u"SELECT * FROM docs WHERE body = "_s;
        const QString example = sqlWithValuesInlined(QString(prefix + u"?"_s), {QString(5000, u'a')});
        QCOMPARE(example.size(), 1000);
        QVERIFY(example.startsWith(prefix + u"'aaa"_s));
        QVERIFY(example.endsWith(u"a…"_s));

        // A bulk insert of 20 000 rows: cut, whether its length comes from the SQL or values.
        const QString bulk = valuesRows(20000);
        const QString cut = sqlWithValuesInlined(bulk, {});
        QCOMPARE(cut.size(), 1000);
        QCOMPARE(cut.left(999), bulk.left(999));
        QVERIFY(cut.endsWith(u'…'));

        // Exactly 1000 characters is not cut.
        const QString exact = sqlWithValuesInlined(QString(1000, u'x'), {});
        QCOMPARE(exact, QString(1000, u'x'));
    }

    void thresholdIsHonouredAndLive()
    {
        SettingsStore settings; // slow_query_ms 500
        Registry registry;
        SlowQueryLog log(settings, registry);
        log.statementFinished(u"SELECT 1"_s, {}, 499.9, true);
        QCOMPARE(log.slowCount(), 0u);
        QVERIFY(log.worstFirst().empty());
        log.statementFinished(u"SELECT 2"_s, {}, 500, true); // at the threshold counts
        QCOMPARE(log.slowCount(), 1u);

        setThreshold(settings, 100);
        log.statementFinished(u"SELECT 3"_s, {}, 150, true); // the very next statement
        QCOMPARE(log.slowCount(), 2u);
        log.statementFinished(u"SELECT 4"_s, {}, 99, true);
        QCOMPARE(log.slowCount(), 2u);
        QCOMPARE(log.toJson().value(u"threshold_ms"_s).toDouble(), 100.0);

        // Another thread sees the change too (each thread caches the settings it last saw).
        std::thread beforeChange([&log] { log.statementFinished(u"SELECT 5"_s, {}, 99, true); });
        beforeChange.join();
        QCOMPARE(log.slowCount(), 2u);
        setThreshold(settings, 0);
        std::thread afterChange([&log] { log.statementFinished(u"SELECT 6"_s, {}, 0, true); });
        afterChange.join();
        QCOMPARE(log.slowCount(), 3u);

        const auto entries = log.worstFirst();
        QCOMPARE(entries.size(), size_t(1)); // SELECT 2, 3 and 6 share one fingerprint
        QCOMPARE(entries[0].fingerprint, u"SELECT ?"_s);
        QCOMPARE(entries[0].count, 3u);
    }

    void addsUpPerFingerprint()
    {
        SettingsStore settings;
        setThreshold(settings, 100);
        Registry registry;
        SlowQueryLog log(settings, registry);
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        log.statementFinished(u"SELECT * FROM users WHERE id = ?"_s, {7}, 150, true);
        log.statementFinished(u"SELECT * FROM users WHERE id = ?"_s, {8}, 300, true);
        log.statementFinished(u"SELECT  *  FROM users WHERE id = 9"_s, {}, 200, false);
        log.statementFinished(u"SELECT * FROM users WHERE id = ?"_s, {10}, 50, true); // fast
        log.statementFinished(u"SELECT * FROM users WHERE name = ?"_s, {u"bob"_s}, 120, false);
        const qint64 after = QDateTime::currentMSecsSinceEpoch();

        const auto entries = log.worstFirst();
        QCOMPARE(entries.size(), size_t(2));
        const SlowQueryEntry &byId = entries[0];
        QCOMPARE(byId.fingerprint, u"SELECT * FROM users WHERE id = ?"_s);
        QCOMPARE(byId.count, 3u);
        QCOMPARE(byId.totalMs, 650.0);
        QCOMPARE(byId.maxMs, 300.0);
        QCOMPARE(byId.meanMs(), 650.0 / 3);
        QCOMPARE(byId.failed, 1u);
        QCOMPARE(byId.example, u"SELECT * FROM users WHERE id = 8"_s); // the slowest, inlined
        QVERIFY(byId.lastAtMs >= before && byId.lastAtMs <= after);

        const SlowQueryEntry &byName = entries[1];
        QCOMPARE(byName.example, u"SELECT * FROM users WHERE name = 'bob'"_s);
        QCOMPARE(byName.failed, 1u);

        const QJsonObject json = log.toJson();
        QCOMPARE(json.value(u"threshold_ms"_s).toDouble(), 100.0);
        const QJsonObject first = json.value(u"queries"_s).toArray().at(0).toObject();
        QCOMPARE(first.value(u"fingerprint"_s).toString(), byId.fingerprint);
        QCOMPARE(first.value(u"count"_s).toInteger(), 3);
        QCOMPARE(first.value(u"total_ms"_s).toDouble(), 650.0);
        QCOMPARE(first.value(u"max_ms"_s).toDouble(), 300.0);
        QCOMPARE(first.value(u"mean_ms"_s).toDouble(), 650.0 / 3);
        QCOMPARE(first.value(u"last_at"_s).toInteger(), byId.lastAtMs);
        QCOMPARE(first.value(u"example"_s).toString(), byId.example);
        QCOMPARE(first.value(u"failed"_s).toInteger(), 1);

        log.clear();
        QVERIFY(log.worstFirst().empty());
        QCOMPARE(log.slowCount(), 0u);
        QCOMPARE(log.toJson().value(u"queries"_s).toArray().size(), 0);
    }

    void worstFirstByTotalThenMax()
    {
        SettingsStore settings;
        setThreshold(settings, 0);
        Registry registry;
        SlowQueryLog log(settings, registry);
        for (int i = 0; i < 3; ++i)
            log.statementFinished(u"SELECT * FROM a"_s, {}, 10, true); // total 30, max 10
        log.statementFinished(u"SELECT * FROM b"_s, {}, 50, true);     // total 50
        log.statementFinished(u"SELECT * FROM c"_s, {}, 15, true);     // total 40, max 25
        log.statementFinished(u"SELECT * FROM c"_s, {}, 25, true);
        log.statementFinished(u"SELECT * FROM d"_s, {}, 30, true); // total 30, max 30: before a

        QCOMPARE(fingerprintsOf(log.worstFirst()), (QStringList{u"SELECT * FROM b"_s, u"SELECT * FROM c"_s,
                                                                u"SELECT * FROM d"_s, u"SELECT * FROM a"_s}));
        QCOMPARE(fingerprintsOf(log.worstFirst(2)),
                 (QStringList{u"SELECT * FROM b"_s, u"SELECT * FROM c"_s}));
        QVERIFY(log.worstFirst(0).empty());
        const QJsonArray queries = log.toJson(3).value(u"queries"_s).toArray();
        QCOMPARE(queries.size(), 3);
        QCOMPARE(queries.at(1).toObject().value(u"mean_ms"_s).toDouble(), 20.0);
    }

    void evictsTheSmallestTotalWhenFull()
    {
        SettingsStore settings;
        setThreshold(settings, 0);
        Registry registry;
        SlowQueryLog log(settings, registry, 3);
        QCOMPARE(log.capacity(), 3);
        QCOMPARE(SlowQueryLog(settings, registry).capacity(), 1000);
        log.statementFinished(u"SELECT * FROM a"_s, {}, 100, true);
        log.statementFinished(u"SELECT * FROM b"_s, {}, 10, true);
        log.statementFinished(u"SELECT * FROM c"_s, {}, 30, true);
        log.statementFinished(u"SELECT * FROM c"_s, {}, 20, true);
        QCOMPARE(log.size(), 3);
        log.statementFinished(u"SELECT * FROM d"_s, {}, 5, true); // evicts b (10)
        QCOMPARE(log.size(), 3);
        QCOMPARE(fingerprintsOf(log.worstFirst()),
                 (QStringList{u"SELECT * FROM a"_s, u"SELECT * FROM c"_s, u"SELECT * FROM d"_s}));
        log.statementFinished(u"SELECT * FROM e"_s, {}, 1, true); // evicts d (5)
        QCOMPARE(fingerprintsOf(log.worstFirst()),
                 (QStringList{u"SELECT * FROM a"_s, u"SELECT * FROM c"_s, u"SELECT * FROM e"_s}));
        log.statementFinished(u"SELECT * FROM c"_s, {}, 1, true); // known: nothing evicted
        QCOMPARE(log.size(), 3);
        QCOMPARE(findEntry(log.worstFirst(), u"SELECT * FROM c"_s)->count, 3u);
        QCOMPARE(log.slowCount(), 7u);
    }

    void listenerIsRateLimitedPerFingerprint()
    {
        SettingsStore settings;
        setThreshold(settings, 0);
        Registry registry;
        SlowQueryLog log(settings, registry);
        std::vector<SlowQueryEntry> events;
        quint64 countSeenInListener = 0;
        log.setListener([&](const SlowQueryEntry &entry) {
            events.push_back(entry);
            countSeenInListener = log.slowCount(); // takes the lock: called outside it
        });
        const auto started = std::chrono::steady_clock::now();
        for (int i = 0; i < 10; ++i)
            log.statementFinished(u"SELECT * FROM a WHERE id = ?"_s, {i}, 5, true);
        log.statementFinished(u"SELECT * FROM b"_s, {}, 7, true);
        QVERIFY2(std::chrono::steady_clock::now() - started < 900ms, "too slow to test the interval");
        QCOMPARE(events.size(), size_t(2));
        QCOMPARE(events[0].fingerprint, u"SELECT * FROM a WHERE id = ?"_s);
        QCOMPARE(events[0].count, 1u);
        QCOMPARE(events[1].fingerprint, u"SELECT * FROM b"_s);
        QCOMPARE(countSeenInListener, 11u);

        std::this_thread::sleep_until(started + SlowQueryLog::kListenerInterval + 50ms);
        log.statementFinished(u"SELECT * FROM a WHERE id = ?"_s, {99}, 5, true);
        QCOMPARE(events.size(), size_t(3));
        QCOMPARE(events[2].count, 11u); // the ten before were added up, not lost
        QCOMPARE(events[2].totalMs, 55.0);

        log.setListener(nullptr);
        std::this_thread::sleep_for(SlowQueryLog::kListenerInterval + 50ms);
        log.statementFinished(u"SELECT * FROM a WHERE id = ?"_s, {100}, 5, true);
        QCOMPARE(events.size(), size_t(3));
    }

    void recordsMetrics()
    {
        SettingsStore settings;
        setThreshold(settings, 100);
        Registry registry;
        SlowQueryLog log(settings, registry);
        QCOMPARE(histogramCount(registry, u"db_query_duration_seconds"_s), 0u);
        QCOMPARE(counterValue(registry, u"db_slow_queries_total"_s), 0);
        log.statementFinished(u"SELECT 1"_s, {}, 5, true);
        log.statementFinished(u"SELECT 2"_s, {}, 150, true);
        log.statementFinished(u"SELECT 3"_s, {}, 2000, false);
        QCOMPARE(histogramCount(registry, u"db_query_duration_seconds"_s), 3u);
        QCOMPARE(counterValue(registry, u"db_slow_queries_total"_s), 2);

        const QByteArray text = perflab::metrics::PrometheusText::render(registry);
        QVERIFY2(text.contains("\ndb_query_duration_seconds_count 3\n"), text.constData());
        QVERIFY2(text.contains("\ndb_query_duration_seconds_bucket{le=\"0.005\"} 1\n"), text.constData());
        QVERIFY2(text.contains("\ndb_query_duration_seconds_bucket{le=\"0.25\"} 2\n"), text.constData());
        QVERIFY2(text.contains("\ndb_slow_queries_total 2\n"), text.constData());

        // A second log on the same registry (a restarted pool) shares the families.
        SlowQueryLog again(settings, registry);
        again.statementFinished(u"SELECT 4"_s, {}, 500, true);
        QCOMPARE(counterValue(registry, u"db_slow_queries_total"_s), 3);
    }

    void recordsFromManyThreadsExactly()
    {
        SettingsStore settings;
        setThreshold(settings, 0);
        Registry registry;
        SlowQueryLog log(settings, registry);
        std::atomic<int> events{0};
        log.setListener([&events](const SlowQueryEntry &) { ++events; });

        constexpr int kThreads = 4;
        constexpr int kStatements = 1000;
        const auto started = std::chrono::steady_clock::now();
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&log, t] {
                for (int i = 0; i < kStatements; ++i) {
                    const int id = t * kStatements + i;
                    if (i % 2 == 0)
                        log.statementFinished(u"SELECT * FROM users WHERE id = %1"_s.arg(id), {}, 1.0, true);
                    else
                        log.statementFinished(u"INSERT INTO users (id, name) VALUES (?, ?)"_s,
                                              {id, u"user %1"_s.arg(id)}, 2.0, i % 10 != 1);
                }
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        const double elapsedS =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

        QCOMPARE(log.slowCount(), quint64(kThreads * kStatements));
        QCOMPARE(counterValue(registry, u"db_slow_queries_total"_s), kThreads * kStatements);
        QCOMPARE(histogramCount(registry, u"db_query_duration_seconds"_s),
                 std::uint64_t(kThreads * kStatements));
        const auto entries = log.worstFirst();
        QCOMPARE(entries.size(), size_t(2));
        const SlowQueryEntry *select = findEntry(entries, u"SELECT * FROM users WHERE id = ?"_s);
        const SlowQueryEntry *insert = findEntry(entries, u"INSERT INTO users (id, name) VALUES (?, ?)"_s);
        QVERIFY(select && insert);
        QCOMPARE(select->count, quint64(kThreads * kStatements / 2));
        QCOMPARE(select->totalMs, 1.0 * kThreads * kStatements / 2);
        QCOMPARE(select->failed, 0u);
        QCOMPARE(insert->count, quint64(kThreads * kStatements / 2));
        QCOMPARE(insert->totalMs, 2.0 * kThreads * kStatements / 2);
        QCOMPARE(insert->failed, quint64(kThreads * kStatements / 10));
        QVERIFY(QRegularExpression(u"^INSERT INTO users \\(id, name\\) VALUES \\((\\d+), 'user \\1'\\)$"_s)
                    .match(insert->example)
                    .hasMatch());
        // Each fingerprint announced at once, then at most once a second.
        QVERIFY2(events >= 2 && events <= 2 * (1 + int(elapsedS)), qPrintable(QString::number(events)));
    }

    void logsAPoolsStatements()
    {
        using namespace perflab::db::testing;
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        SettingsStore settings;
        setThreshold(settings, 0); // every statement is slow
        Registry registry;
        ConnectionPool pool(u"sqlite:"_s + dir.filePath(u"slow.sqlite"_s), options(2, 0), registry);
        auto log = std::make_shared<SlowQueryLog>(settings, registry);
        pool.setQueryObserver(log);

        PooledConnection connection = take(pool);
        QVERIFY(query(connection, u"CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)"_s).ok());
        for (int id = 1; id <= 3; ++id) {
            const QueryResult inserted = query(connection, u"INSERT INTO users (id, name) VALUES (?, ?)"_s,
                                               {id, u"user %1"_s.arg(id)});
            QVERIFY2(inserted.ok(), qPrintable(inserted.error));
        }
        QCOMPARE(query(connection, u"SELECT name FROM users WHERE id IN (1, 2)"_s).rows.size(), 2);
        QCOMPARE(query(connection, u"SELECT name FROM users WHERE id IN (3)"_s).rows.size(), 1);
        QVERIFY(!query(connection, u"SELECT * FROM no_such_table WHERE id = ?"_s, {4}).ok());
        connection.release();

        const auto entries = log->worstFirst(1000);
        const SlowQueryEntry *insert = findEntry(entries, u"INSERT INTO users (id, name) VALUES (?, ?)"_s);
        QVERIFY(insert);
        QCOMPARE(insert->count, 3u);
        QCOMPARE(insert->failed, 0u);
        QVERIFY2(QRegularExpression(u"^INSERT INTO users \\(id, name\\) VALUES \\(([123]), 'user \\1'\\)$"_s)
                     .match(insert->example)
                     .hasMatch(),
                 qPrintable(insert->example));
        QVERIFY(insert->totalMs >= insert->maxMs && insert->maxMs > 0);

        const SlowQueryEntry *byIds = findEntry(entries, u"SELECT name FROM users WHERE id IN (?)"_s);
        QVERIFY(byIds);
        QCOMPARE(byIds->count, 2u);

        const SlowQueryEntry *missing = findEntry(entries, u"SELECT * FROM no_such_table WHERE id = ?"_s);
        QVERIFY(missing);
        QCOMPARE(missing->failed, 1u);
        QCOMPARE(missing->example, u"SELECT * FROM no_such_table WHERE id = 4"_s);

        QVERIFY(findEntry(entries, u"CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)"_s));
        QVERIFY(log->slowCount() >= 7u);
        QVERIFY(histogramCount(registry, u"db_query_duration_seconds"_s) >= 7u);
    }
};

QTEST_GUILESS_MAIN(TestSlowQueryLog)
#include "test_slow_query_log.moc"

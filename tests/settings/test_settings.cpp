// Live settings: the documented defaults, merge patches, validation naming field and rule, nothing
// half-applied, and snapshots seen by other threads after a change.
#include "engine/settings/SettingsStore.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <optional>

using namespace perflab::settings;

namespace {
QJsonObject json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}
} // namespace

class TestSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultsFollowTheSpec()
    {
        const QJsonObject doc = LabSettings().toJson();
        const QJsonObject expected = json(R"({
          "cache": {"enabled": true, "backend": "memory", "ttl_s": 300, "max_entries": 10000, "redis_url": ""},
          "http_cache": {"enabled": true},
          "compression": {"enabled": true, "min_size": 1000, "level": 6},
          "concurrency": {"limit_enabled": true, "max_in_flight": 10, "queue_size": 100, "queue_timeout_s": 5.0},
          "background": {"mode": "background", "workers": 4, "queue_backend": "sqlite"},
          "redis": {"url": ""},
          "database": {"url": "sqlite:", "pool_size": 20, "max_overflow": 10, "pool_timeout_s": 30,
                       "pool_recycle_s": 1800, "pool_pre_ping": true, "slow_query_ms": 500,
                       "dataset_users": 1000000, "dataset_orders": 3000000, "dataset_seed": 42},
          "simulation": {"io_scale": 1.0, "failure_rate": 0.0},
          "server": {"threads": 0, "keep_alive_s": 5, "max_connections": 10000, "max_body_bytes": 1048576}})");
        QCOMPARE(doc, expected);
    }

    void patchMergesOnlyWhatIsGiven()
    {
        auto result =
            applyPatch(LabSettings(), json(R"({"cache": {"ttl_s": 2.5}, "simulation": {"io_scale": 0.02}})"));
        QVERIFY(std::holds_alternative<LabSettings>(result));
        const LabSettings &s = std::get<LabSettings>(result);
        QCOMPARE(s.cache.ttlS, 2.5);
        QCOMPARE(s.cache.enabled, true);
        QCOMPARE(s.cache.maxEntries, 10000);
        QCOMPARE(s.simulation.ioScale, 0.02);
    }

    void invalidPatchesNameFieldAndRule_data()
    {
        QTest::addColumn<QByteArray>("patch");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("ruleContains");
        QTest::newRow("unknown section")
            << QByteArray(R"({"turbo": {}})") << QStringLiteral("turbo") << QStringLiteral("unknown section");
        QTest::newRow("section not object")
            << QByteArray(R"({"cache": 3})") << QStringLiteral("cache") << QStringLiteral("object");
        QTest::newRow("unknown field") << QByteArray(R"({"cache": {"size": 3}})")
                                       << QStringLiteral("cache.size") << QStringLiteral("unknown setting");
        QTest::newRow("bool as string") << QByteArray(R"({"cache": {"enabled": "yes"}})")
                                        << QStringLiteral("cache.enabled") << QStringLiteral("true or false");
        QTest::newRow("int fraction")
            << QByteArray(R"({"concurrency": {"max_in_flight": 2.5}})")
            << QStringLiteral("concurrency.max_in_flight") << QStringLiteral("integer from 1");
        QTest::newRow("int below") << QByteArray(R"({"concurrency": {"max_in_flight": 0}})")
                                   << QStringLiteral("concurrency.max_in_flight")
                                   << QStringLiteral("integer from 1 to 100000");
        QTest::newRow("level above") << QByteArray(R"({"compression": {"level": 10}})")
                                     << QStringLiteral("compression.level") << QStringLiteral("from 1 to 9");
        QTest::newRow("negative ttl") << QByteArray(R"({"cache": {"ttl_s": -1}})")
                                      << QStringLiteral("cache.ttl_s") << QStringLiteral("number from 0");
        QTest::newRow("rate above 1")
            << QByteArray(R"({"simulation": {"failure_rate": 1.5}})")
            << QStringLiteral("simulation.failure_rate") << QStringLiteral("from 0 to 1");
        QTest::newRow("enum") << QByteArray(R"({"background": {"mode": "later"}})")
                              << QStringLiteral("background.mode")
                              << QStringLiteral("inline, background, queue");
        QTest::newRow("string") << QByteArray(R"({"database": {"url": 5}})") << QStringLiteral("database.url")
                                << QStringLiteral("string");
        QTest::newRow("redis url") << QByteArray("{\"redis\": {\"url\": \"http:/"
                                                 "/:pw@host\"}}")
                                   << QStringLiteral("redis.url") << QStringLiteral("not \"redis\"");
        QTest::newRow("cache redis url")
            << QByteArray("{\"cache\": {\"redis_url\": \"redis:/"
                          "/h/x\"}}")
            << QStringLiteral("cache.redis_url") << QStringLiteral("\"x\" is not a database");
        QTest::newRow("cache on no redis")
            << QByteArray(R"({"cache": {"backend": "redis"}})") << QStringLiteral("cache.backend")
            << QStringLiteral("needs a Redis: set redis.url");
        QTest::newRow("queue on no redis")
            << QByteArray(R"({"background": {"queue_backend": "redis"}})")
            << QStringLiteral("background.queue_backend") << QStringLiteral("needs a Redis");
    }

    void redisBackendsFollowTheirUrl()
    {
        // The cache's own URL wins over the lab's; with either, the redis backend is accepted.
        // (No "//" inside raw strings here: moc takes it for a comment and skips the class.)
        QJsonObject both =
            json(R"({"cache": {"backend": "redis"}, "background": {"queue_backend": "redis"}})");
        both.insert(QStringLiteral("redis"),
                    QJsonObject{{QStringLiteral("url"), QStringLiteral("redis://127.0.0.1:1/0")}});
        auto viaLab = applyPatch(LabSettings(), both);
        QVERIFY(std::holds_alternative<LabSettings>(viaLab));
        QCOMPARE(std::get<LabSettings>(viaLab).cacheRedisUrl(), QStringLiteral("redis://127.0.0.1:1/0"));
        const QJsonObject cacheOwn{
            {QStringLiteral("cache"),
             QJsonObject{{QStringLiteral("backend"), QStringLiteral("redis")},
                         {QStringLiteral("redis_url"), QStringLiteral("redis://10.0.0.9/2")}}}};
        auto own = applyPatch(LabSettings(), cacheOwn);
        QVERIFY(std::holds_alternative<LabSettings>(own));
        QCOMPARE(std::get<LabSettings>(own).cacheRedisUrl(), QStringLiteral("redis://10.0.0.9/2"));
    }

    void invalidPatchesNameFieldAndRule()
    {
        QFETCH(QByteArray, patch);
        QFETCH(QString, field);
        QFETCH(QString, ruleContains);
        SettingsStore store;
        QSignalSpy changed(&store, &SettingsStore::changed);
        // A valid change in the same patch must not be applied either.
        QJsonObject doc = QJsonDocument::fromJson(patch).object();
        doc.insert(QStringLiteral("http_cache"), json(R"({"enabled": false})"));
        auto result = store.patch(doc);
        QVERIFY(std::holds_alternative<SettingsError>(result));
        const SettingsError &error = std::get<SettingsError>(result);
        QCOMPARE(error.field, field);
        QVERIFY2(error.rule.contains(ruleContains), qPrintable(error.rule));
        QVERIFY(store.view().httpCache.enabled);
        QCOMPARE(changed.count(), 0);
    }

    void changesReachOtherThreads()
    {
        SettingsStore store;
        QSignalSpy changed(&store, &SettingsStore::changed);
        std::atomic<bool> stop{false};
        std::atomic<int> sawNew{0};
        QThread *reader = QThread::create([&] {
            while (!stop) {
                if (store.view().concurrency.maxInFlight == 42)
                    sawNew = 1;
            }
        });
        reader->start();
        QTest::qWait(20);
        QVERIFY(std::holds_alternative<std::shared_ptr<const LabSettings>>(
            store.patch(json(R"({"concurrency": {"max_in_flight": 42}})"))));
        QTRY_COMPARE(sawNew.load(), 1);
        stop = true;
        reader->wait();
        delete reader;
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toJsonObject(), json(R"({"concurrency": {"max_in_flight": 42}})"));
    }

    void snapshotsAreStable()
    {
        SettingsStore store;
        auto before = store.current();
        store.patch(json(R"({"cache": {"enabled": false}})"));
        QVERIFY(before->cache.enabled);
        QVERIFY(!store.current()->cache.enabled);
    }

    void aNewStoreWhereAnOldOneLivedIsNotMistakenForIt()
    {
        // The window restarts its lab: the new store may sit at the old one's address, and
        // this thread's cache of the old snapshot must not answer for it.
        std::optional<SettingsStore> store(std::in_place);
        const SettingsStore *first = &*store;
        QCOMPARE(store->current()->compression.level, LabSettings().compression.level);
        store.reset();
        LabSettings other;
        other.compression.level = 2;
        store.emplace(other);
        QCOMPARE(&*store, first); // the case this is about
        QCOMPARE(store->current()->compression.level, 2);
        QCOMPARE(store->view().compression.level, 2);
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "test_settings.moc"

// MemoryCache: TTL expiry, LRU eviction order at the limit, live limits, the figures it
// publishes in the registry, its async face, and exact counts under four threads.
#include "CacheTestSupport.h"

#include "engine/cache/CacheSettingsLink.h"
#include "engine/cache/MemoryCache.h"
#include "engine/metrics/Registry.h"
#include "engine/settings/SettingsStore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace perflab;
using namespace perflab::cache;
using namespace perflab::cache::test;
using namespace std::chrono_literals;
using namespace Qt::StringLiterals;

namespace {

QByteArray key(QByteArrayView prefix, int i)
{
    return prefix.toByteArray() + QByteArray::number(i);
}

} // namespace

class TestMemoryCache : public QObject
{
    Q_OBJECT

    // Keys still cached, in the order given; reading them counts as hits.
    static QList<QByteArray> present(MemoryCache &cache, const QList<QByteArray> &keys)
    {
        QList<QByteArray> found;
        for (const QByteArray &k : keys) {
            if (cache.tryGet(k))
                found.push_back(k);
        }
        return found;
    }

private Q_SLOTS:
    void getCountsHitsAndMisses()
    {
        metrics::Registry registry;
        MemoryCache cache(registry);
        cache.put("a", "1");
        QCOMPARE(cache.tryGet("a"), std::optional<QByteArray>("1"));
        QCOMPARE(cache.tryGet("a"), std::optional<QByteArray>("1"));
        QCOMPARE(cache.tryGet("b"), std::nullopt);
        QCOMPARE(hits(registry), 2u);
        QCOMPARE(misses(registry), 1u);
        QCOMPARE(entriesGauge(registry), 1);
        const CacheStats stats = cache.stats();
        QCOMPARE(stats.hits, 2u);
        QCOMPARE(stats.misses, 1u);
        QCOMPARE(stats.entries, 1);
        QCOMPARE(stats.maxEntries, 10000);
    }

    void ttlExpiry_data()
    {
        QTest::addColumn<qint64>("ttlMs");
        QTest::addColumn<qint64>("advanceMs");
        QTest::addColumn<bool>("hit");
        const qint64 year = 365LL * 24 * 3600 * 1000;
        QTest::newRow("fresh") << qint64(1000) << qint64(0) << true;
        QTest::newRow("last millisecond") << qint64(1000) << qint64(999) << true;
        QTest::newRow("expired at ttl") << qint64(1000) << qint64(1000) << false;
        QTest::newRow("expired long ago") << qint64(1000) << qint64(3'600'000) << false;
        QTest::newRow("one year, a day later") << year << qint64(86'400'000) << true;
        QTest::newRow("one year, a year later") << year << year << false;
        QTest::newRow("effectively forever")
            << qint64(std::chrono::milliseconds::max().count()) << year * 50 << true;
    }
    void ttlExpiry()
    {
        QFETCH(qint64, ttlMs);
        QFETCH(qint64, advanceMs);
        QFETCH(bool, hit);
        FakeClock clock;
        metrics::Registry registry;
        MemoryCache cache(registry, {.clock = clock.source()});
        cache.put("k", "v", std::chrono::milliseconds(ttlMs));
        clock.advance(std::chrono::milliseconds(advanceMs));
        QCOMPARE(cache.tryGet("k").has_value(), hit);
        QCOMPARE(hits(registry), hit ? 1u : 0u);
        QCOMPARE(misses(registry), hit ? 0u : 1u);
        QCOMPARE(expiredEvictions(registry), hit ? 0u : 1u); // dropped when met
        QCOMPARE(cache.size(), hit ? 1 : 0);
        QCOMPARE(entriesGauge(registry), hit ? 1 : 0);
    }

    void nonPositiveTtlStoresNothing_data()
    {
        QTest::addColumn<int>("ttlMs");
        QTest::newRow("zero") << 0;
        QTest::newRow("negative") << -5;
    }
    void nonPositiveTtlStoresNothing()
    {
        QFETCH(int, ttlMs);
        metrics::Registry registry;
        MemoryCache cache(registry);
        cache.put("k", "old");
        cache.put("k", "new", std::chrono::milliseconds(ttlMs));
        QCOMPARE(cache.tryGet("k"), std::nullopt); // the old value is dropped too
        QCOMPARE(cache.size(), 0);
        QCOMPARE(entriesGauge(registry), 0);
    }

    void defaultTtlIsLive()
    {
        FakeClock clock;
        metrics::Registry registry;
        MemoryCache cache(registry, {.defaultTtl = 10s, .clock = clock.source()});
        cache.put("before", "1");
        cache.setDefaultTtl(2s);
        QCOMPARE(cache.defaultTtl(), 2000ms);
        cache.put("after", "2");
        clock.advance(3s);
        QVERIFY(cache.tryGet("before"));
        QCOMPARE(cache.tryGet("after"), std::nullopt);
    }

    void hitDoesNotExtendTtl()
    {
        // TTL counts from the write, as in cachetools' TTLCache and Redis SETEX.
        FakeClock clock;
        metrics::Registry registry;
        MemoryCache cache(registry, {.clock = clock.source()});
        cache.put("k", "v", 1000ms);
        clock.advance(600ms);
        QVERIFY(cache.tryGet("k"));
        clock.advance(600ms);
        QCOMPARE(cache.tryGet("k"), std::nullopt);
    }

    void overwriteReplacesValueAndTtl()
    {
        FakeClock clock;
        metrics::Registry registry;
        MemoryCache cache(registry, {.clock = clock.source()});
        cache.put("k", "v1", 1000ms);
        clock.advance(800ms);
        cache.put("k", "v2", 1000ms);
        clock.advance(800ms);
        QCOMPARE(cache.tryGet("k"), std::optional<QByteArray>("v2"));
        QCOMPARE(cache.size(), 1);
        QCOMPARE(entriesGauge(registry), 1);
    }

    void lruEvictionOrder_data()
    {
        QTest::addColumn<int>("shards");
        QTest::addColumn<int>("maxEntries");
        QTest::addColumn<QStringList>("operations"); // "put k" or "get k"
        QTest::addColumn<QStringList>("remaining");
        QTest::newRow("oldest write goes")
            << 1 << 3 << QStringList{u"put a"_s, u"put b"_s, u"put c"_s, u"put d"_s}
            << QStringList{u"b"_s, u"c"_s, u"d"_s};
        QTest::newRow("read refreshes")
            << 1 << 3 << QStringList{u"put a"_s, u"put b"_s, u"put c"_s, u"get a"_s, u"put d"_s}
            << QStringList{u"a"_s, u"c"_s, u"d"_s};
        QTest::newRow("overwrite refreshes")
            << 1 << 3 << QStringList{u"put a"_s, u"put b"_s, u"put c"_s, u"put a"_s, u"put d"_s, u"put e"_s}
            << QStringList{u"a"_s, u"d"_s, u"e"_s};
        QTest::newRow("miss does not refresh")
            << 1 << 2 << QStringList{u"put a"_s, u"put b"_s, u"get x"_s, u"put c"_s}
            << QStringList{u"b"_s, u"c"_s};
        // A limit below the shard count: an insert into a shard holding nothing else makes
        // room in another shard.
        QTest::newRow("limit 1 over 16 shards")
            << 16 << 1 << QStringList{u"put a"_s, u"put b"_s, u"put c"_s, u"put d"_s} << QStringList{u"d"_s};
        QTest::newRow("limit 2 over 16 shards, read refreshes")
            << 16 << 2 << QStringList{u"put a"_s, u"put b"_s, u"get a"_s, u"put c"_s}
            << QStringList{u"a"_s, u"c"_s};
    }
    void lruEvictionOrder()
    {
        QFETCH(int, shards);
        QFETCH(int, maxEntries);
        QFETCH(QStringList, operations);
        QFETCH(QStringList, remaining);
        FakeClock clock; // each operation a millisecond later: recency is unambiguous
        metrics::Registry registry;
        MemoryCache cache(registry, {.maxEntries = maxEntries, .shards = shards, .clock = clock.source()});
        QList<QByteArray> written;
        for (const QString &operation : operations) {
            const QByteArray k = operation.sliced(4).toUtf8();
            if (operation.startsWith(u"put")) {
                cache.put(k, "v:" + k);
                if (!written.contains(k))
                    written.push_back(k);
            } else {
                cache.tryGet(k);
            }
            clock.advance(1ms);
        }
        QList<QByteArray> expected;
        for (const QString &k : remaining)
            expected.push_back(k.toUtf8());
        QCOMPARE(cache.size(), qsizetype(expected.size()));
        QCOMPARE(entriesGauge(registry), expected.size());
        QCOMPARE(lruEvictions(registry), quint64(written.size() - expected.size()));
        QCOMPARE(expiredEvictions(registry), 0u);
        QCOMPARE(present(cache, written), expected);
    }

    void expiredTailCountsAsExpired()
    {
        FakeClock clock;
        metrics::Registry registry;
        MemoryCache cache(registry, {.maxEntries = 2, .shards = 1, .clock = clock.source()});
        cache.put("short", "1", 100ms);
        cache.put("long", "2", 100s);
        clock.advance(200ms);
        cache.put("new", "3", 100s);
        QCOMPARE(expiredEvictions(registry), 1u);
        QCOMPARE(lruEvictions(registry), 0u);
        QCOMPARE(present(cache, {"short", "long", "new"}), (QList<QByteArray>{"long", "new"}));
    }

    void setMaxEntriesShrinkEvictsOldest_data()
    {
        QTest::addColumn<int>("shards");
        QTest::newRow("one shard") << 1;
        QTest::newRow("sixteen shards") << 16;
    }
    void setMaxEntriesShrinkEvictsOldest()
    {
        QFETCH(int, shards);
        FakeClock clock;
        metrics::Registry registry;
        MemoryCache cache(registry, {.maxEntries = 100, .shards = shards, .clock = clock.source()});
        QList<QByteArray> keys;
        for (int i = 0; i < 10; ++i) {
            keys.push_back(key("k", i));
            cache.put(keys.back(), "v");
            clock.advance(1ms);
        }
        QVERIFY(cache.tryGet("k0")); // now the most recent
        clock.advance(1ms);
        cache.setMaxEntries(4);
        QCOMPARE(cache.maxEntries(), 4);
        QCOMPARE(cache.size(), 4);
        QCOMPARE(entriesGauge(registry), 4);
        QCOMPARE(lruEvictions(registry), 6u);
        QCOMPARE(present(cache, keys), (QList<QByteArray>{"k0", "k7", "k8", "k9"}));
        // The new limit holds for later inserts.
        cache.put("k10", "v");
        QCOMPARE(cache.size(), 4);
        QCOMPARE(lruEvictions(registry), 7u);
    }

    void setMaxEntriesGrowKeepsEverything()
    {
        metrics::Registry registry;
        MemoryCache cache(registry, {.maxEntries = 5});
        for (int i = 0; i < 5; ++i)
            cache.put(key("k", i), "v");
        cache.setMaxEntries(50);
        for (int i = 5; i < 50; ++i)
            cache.put(key("k", i), "v");
        QCOMPARE(cache.size(), 50);
        QCOMPARE(lruEvictions(registry), 0u);
    }

    void limitHoldsAcrossShards()
    {
        metrics::Registry registry;
        MemoryCache cache(registry, {.maxEntries = 100, .shards = 16});
        for (int i = 0; i < 1000; ++i) {
            cache.put(key("k", i), "v");
            QVERIFY(cache.size() <= 100);
        }
        QCOMPARE(cache.size(), 100);
        QCOMPARE(entriesGauge(registry), 100);
        QCOMPARE(lruEvictions(registry), 900u);
        // The last key written is the most recent in its shard: never the one evicted.
        QVERIFY(cache.tryGet("k999"));
    }

    void eraseAndClearAreNotEvictions()
    {
        metrics::Registry registry;
        MemoryCache cache(registry);
        for (int i = 0; i < 10; ++i)
            cache.put(key("k", i), "v");
        QVERIFY(cache.erase("k3"));
        QVERIFY(!cache.erase("k3"));
        QCOMPARE(cache.size(), 9);
        cache.clear();
        QCOMPARE(cache.size(), 0);
        QCOMPARE(entriesGauge(registry), 0);
        QCOMPARE(lruEvictions(registry) + expiredEvictions(registry), 0u);
        QCOMPARE(cache.tryGet("k5"), std::nullopt);
    }

    void purgeExpiredDropsOnlyExpired()
    {
        FakeClock clock;
        metrics::Registry registry;
        MemoryCache cache(registry, {.clock = clock.source()});
        for (int i = 0; i < 20; ++i)
            cache.put(key("k", i), "v", i % 2 ? 1s : 10s);
        clock.advance(2s);
        QCOMPARE(cache.purgeExpired(), 10);
        QCOMPARE(cache.size(), 10);
        QCOMPARE(entriesGauge(registry), 10);
        QCOMPARE(expiredEvictions(registry), 10u);
        QVERIFY(cache.tryGet("k0"));
        QCOMPARE(cache.tryGet("k1"), std::nullopt);
    }

    void keysFromRawDataAreCopied()
    {
        metrics::Registry registry;
        MemoryCache cache(registry);
        char buffer[] = "raw-key";
        cache.put(QByteArray::fromRawData(buffer, 7), "v");
        buffer[0] = 'X'; // the caller reuses its buffer
        QVERIFY(cache.tryGet("raw-key"));
        QCOMPARE(cache.tryGet("Xaw-key"), std::nullopt);
    }

    void asyncApiCompletesWithoutSuspending()
    {
        metrics::Registry registry;
        MemoryCache cache(registry);
        Cache &backend = cache;
        QCOMPARE(backend.inProcess(), &cache);
        auto set = backend.set("k", "v", 1s);
        QVERIFY(set.isReady());
        auto get = backend.get("k");
        QVERIFY(get.isReady());
        QCOMPARE(QCoro::waitFor(get), std::optional<QByteArray>("v"));
        auto remove = backend.remove("k");
        QVERIFY(remove.isReady());
        auto miss = backend.get("k");
        QVERIFY(miss.isReady());
        QCOMPARE(QCoro::waitFor(miss), std::nullopt);
        QCOMPARE(backend.stats().hits, 1u);
        QCOMPARE(backend.stats().misses, 1u);
    }

    void concurrentUseKeepsExactCounts()
    {
        constexpr int threads = 4;
        constexpr int perThread = 5000;
        constexpr int shared = 500;
        metrics::Registry registry;
        MemoryCache cache(registry, {.maxEntries = 1'000'000});
        std::atomic<int> wrongAnswers{0};
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                const QByteArray own = "t" + QByteArray::number(t) + ":";
                for (int i = 0; i < perThread; ++i)
                    cache.put(key(own, i), QByteArray::number(i));
                for (int i = 0; i < shared; ++i)
                    cache.put(key("shared:", i), "s");
                for (int i = 0; i < perThread; ++i) {
                    if (cache.tryGet(key(own, i)) != std::optional<QByteArray>(QByteArray::number(i)))
                        ++wrongAnswers;
                    if (cache.tryGet(key(QByteArray(own + "absent:"), i)))
                        ++wrongAnswers;
                }
                for (int i = 0; i < shared; ++i) {
                    if (!cache.tryGet(key("shared:", i)))
                        ++wrongAnswers;
                }
            });
        }
        for (auto &worker : workers)
            worker.join();
        QCOMPARE(wrongAnswers.load(), 0);
        QCOMPARE(hits(registry), quint64(threads * (perThread + shared)));
        QCOMPARE(misses(registry), quint64(threads * perThread));
        QCOMPARE(cache.size(), threads * perThread + shared);
        QCOMPARE(entriesGauge(registry), threads * perThread + shared);
        QCOMPARE(lruEvictions(registry), 0u);
    }

    void concurrentInsertsEvictExactly()
    {
        constexpr int threads = 4;
        constexpr int perThread = 5000;
        constexpr int limit = 1000;
        metrics::Registry registry;
        MemoryCache cache(registry, {.maxEntries = limit});
        std::atomic<qsizetype> largest{0};
        std::vector<std::thread> workers;
        for (int t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                const QByteArray own = "t" + QByteArray::number(t) + ":";
                for (int i = 0; i < perThread; ++i) {
                    cache.put(key(own, i), "v");
                    cache.tryGet(key(own, i / 2));
                    qsizetype seen = cache.size();
                    qsizetype was = largest.load();
                    while (seen > was && !largest.compare_exchange_weak(was, seen)) {
                    }
                }
            });
        }
        for (auto &worker : workers)
            worker.join();
        QCOMPARE(cache.size(), limit);
        QCOMPARE(entriesGauge(registry), limit);
        QCOMPARE(lruEvictions(registry), quint64(threads * perThread - limit));
        QCOMPARE(hits(registry) + misses(registry), quint64(threads * perThread));
        // Each insert beyond the limit evicts before returning: at most one extra per thread.
        QVERIFY2(largest.load() <= limit + threads, qPrintable(QString::number(largest.load())));
    }

    void settingsLinkAppliesLiveLimits()
    {
        metrics::Registry registry;
        settings::SettingsStore store;
        MemoryCache cache(registry, {.maxEntries = 100, .defaultTtl = 1s});
        for (int i = 0; i < 10; ++i)
            cache.put(key("k", i), "v");
        {
            CacheSettingsLink link(cache, store);
            QCOMPARE(cache.maxEntries(), 10000); // the settings' defaults, applied at once
            QCOMPARE(cache.defaultTtl(), 300s);
            const auto patched = store.patch(
                QJsonDocument::fromJson(R"({"cache": {"max_entries": 3, "ttl_s": 2.5}})").object());
            QVERIFY(std::holds_alternative<std::shared_ptr<const settings::LabSettings>>(patched));
            QCOMPARE(cache.maxEntries(), 3);
            QCOMPARE(cache.defaultTtl(), 2500ms);
            QCOMPARE(cache.size(), 3);
            QCOMPARE(lruEvictions(registry), 7u);
        }
        // Unlinked: later changes no longer reach the cache.
        store.patch(QJsonDocument::fromJson(R"({"cache": {"max_entries": 50}})").object());
        QCOMPARE(cache.maxEntries(), 3);
    }
};

std::unique_ptr<QObject> createMemoryCacheTests()
{
    return std::make_unique<TestMemoryCache>();
}

#include "test_memory_cache.moc"

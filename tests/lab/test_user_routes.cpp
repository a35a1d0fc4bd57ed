// GET/PUT /users/{user_id} (guide chapter 3, cache-aside) over real loopback sockets: database
// then cache, invalidation on PUT, cache.enabled and cache.ttl_s applied live, error shapes and
// the warm-up. Every test runs twice: on the in-process backend (synchronous hit path) and on
// a backend that suspends on every call, as a network cache (Redis) would.
#include "CacheTestSupport.h"
#include "LoopbackLab.h"

#include "engine/async/Sleep.h"
#include "engine/cache/MemoryCache.h"
#include "engine/lab/UserRoutes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <atomic>

using namespace perflab;
using namespace perflab::cache::test;
using namespace perflab::test;
using namespace std::chrono_literals;

namespace {

// A stand-in for a network backend: every call suspends once before answering, and the
// routes cannot reach its synchronous side.
class SuspendingCache final : public cache::Cache
{
public:
    explicit SuspendingCache(cache::MemoryCache &inner) : m_inner(inner) {}

    QCoro::Task<std::optional<QByteArray>> get(QByteArray key) override
    {
        ++m_calls;
        co_await async::sleep(0ms);
        co_return m_inner.tryGet(key);
    }
    QCoro::Task<> set(QByteArray key, QByteArray value, std::chrono::milliseconds ttl) override
    {
        ++m_calls;
        co_await async::sleep(0ms);
        m_inner.put(std::move(key), std::move(value), ttl);
    }
    QCoro::Task<> remove(QByteArray key) override
    {
        ++m_calls;
        co_await async::sleep(0ms);
        m_inner.erase(key);
    }
    cache::CacheStats stats() const override { return m_inner.stats(); }
    int calls() const { return m_calls.load(); }

private:
    cache::MemoryCache &m_inner;
    std::atomic<int> m_calls{0};
};

settings::LabSettings labSettings()
{
    settings::LabSettings s;
    s.simulation.ioScale = 0.02; // the guide's 0.5 s query takes 10 ms
    return s;
}

// One lab: the loopback lab with a cache, a store and only the user routes.
struct Lab : LoopbackLab
{
    explicit Lab(bool suspending)
        : LoopbackLab(labSettings()), memory(registry, {.clock = clock.source()}),
          suspendingCache(suspending ? std::make_unique<SuspendingCache>(memory) : nullptr)
    {
        lab::addUserRoutes(*router, settings, cache(), users);
    }
    ~Lab() { stop(); } // the routes use the caches and the store: stop the server before they go

    cache::Cache &cache()
    {
        if (suspendingCache)
            return *suspendingCache;
        return memory;
    }

    void patch(const char *json) { patchOrDie(QJsonDocument::fromJson(json).object()); }

    FakeClock clock{FakeClock::Mode::Running}; // recency follows real order; TTLs can be skipped
    cache::MemoryCache memory;
    std::unique_ptr<SuspendingCache> suspendingCache;
    lab::SimulatedUserStore users{settings};
};

QByteArray putRequest(const QByteArray &target)
{
    return httpRequest("PUT", target, "");
}

} // namespace

class TestUserRoutes : public QObject
{
    Q_OBJECT

    std::unique_ptr<Lab> m_lab;

    RawResponse send(const QByteArray &request) { return exchange(m_lab->port(), request); }
    RawResponse get(const QByteArray &target) { return send(simpleGet(target)); }
    RawResponse put(const QByteArray &target) { return send(putRequest(target)); }

private Q_SLOTS:
    void initTestCase_data()
    {
        QTest::addColumn<bool>("suspending");
        QTest::newRow("in-process backend") << false;
        QTest::newRow("suspending backend") << true;
    }

    void init()
    {
        QFETCH_GLOBAL(bool, suspending);
        m_lab = std::make_unique<Lab>(suspending);
        const auto error = m_lab->start();
        QVERIFY2(!error, error ? qPrintable(*error) : "");
    }
    void cleanup() { m_lab.reset(); }

    void routesUseTheBackendTheyAreGiven()
    {
        QCOMPARE(get("/users/2").body, fromDatabase(2, "User 2"));
        QCOMPARE(get("/users/2").body, fromCache(2, "User 2"));
        QCOMPARE(put("/users/2?name=x").status, 200);
        QFETCH_GLOBAL(bool, suspending);
        if (suspending) // the routes went through the Cache interface: get, set, get, remove
            QCOMPARE(m_lab->suspendingCache->calls(), 4);
    }

    void firstGetReadsDatabaseSecondReadsCache_data()
    {
        QTest::addColumn<int>("id");
        QTest::newRow("1") << 1;
        QTest::newRow("42") << 42;
        QTest::newRow("last known") << 1'000'000;
    }
    void firstGetReadsDatabaseSecondReadsCache()
    {
        QFETCH(int, id);
        const QByteArray target = "/users/" + QByteArray::number(id);
        const QByteArray name = "User " + QByteArray::number(id);

        const RawResponse first = get(target);
        QCOMPARE(first.status, 200);
        QCOMPARE(first.header("content-type"), QByteArray("application/json"));
        QCOMPARE(first.body, fromDatabase(id, name));

        const RawResponse second = get(target);
        QCOMPARE(second.status, 200);
        QCOMPARE(second.header("content-type"), QByteArray("application/json"));
        QCOMPARE(second.body, fromCache(id, name));

        QCOMPARE(misses(m_lab->registry), 1u);
        QCOMPARE(hits(m_lab->registry), 1u);
        QCOMPARE(entriesGauge(m_lab->registry), 1);
        QVERIFY(m_lab->memory.tryGet(lab::userCacheKey(id)));
    }

    void putUpdatesAndInvalidates()
    {
        QCOMPARE(get("/users/7").body, fromDatabase(7, "User 7"));
        QCOMPARE(get("/users/7").body, fromCache(7, "User 7"));

        const RawResponse updated = put("/users/7?name=Alice%20Smith");
        QCOMPARE(updated.status, 200);
        QCOMPARE(updated.body, QByteArray(R"({"id":7,"name":"Alice Smith"})"));
        QCOMPARE(m_lab->memory.size(), 0);

        QCOMPARE(get("/users/7").body, fromDatabase(7, "Alice Smith"));
        QCOMPARE(get("/users/7").body, fromCache(7, "Alice Smith"));
        // Other users are untouched.
        QCOMPARE(get("/users/8").body, fromDatabase(8, "User 8"));
    }

    void putAcceptsAnEmptyName()
    {
        // FastAPI's `name: str` takes "" as a value: only an absent parameter is an error.
        const RawResponse updated = put("/users/3?name=");
        QCOMPARE(updated.status, 200);
        QCOMPARE(updated.body, QByteArray(R"({"id":3,"name":""})"));
    }

    void disabledCacheAlwaysReadsDatabase()
    {
        m_lab->patch(R"({"cache": {"enabled": false}})");
        for (int i = 0; i < 3; ++i)
            QCOMPARE(get("/users/5").body, fromDatabase(5, "User 5"));
        QCOMPARE(m_lab->memory.size(), 0);
        QCOMPARE(hits(m_lab->registry) + misses(m_lab->registry), 0u);

        m_lab->patch(R"({"cache": {"enabled": true}})");
        QCOMPARE(get("/users/5").body, fromDatabase(5, "User 5"));
        QCOMPARE(get("/users/5").body, fromCache(5, "User 5"));
    }

    void putInvalidatesEvenWhileCacheIsDisabled()
    {
        QCOMPARE(get("/users/9").body, fromDatabase(9, "User 9"));
        m_lab->patch(R"({"cache": {"enabled": false}})");
        QCOMPARE(put("/users/9?name=Bob").status, 200);
        m_lab->patch(R"({"cache": {"enabled": true}})");
        // Not the stale "User 9" cached before the change.
        QCOMPARE(get("/users/9").body, fromDatabase(9, "Bob"));
    }

    void entriesExpireAfterTtl()
    {
        // The clock runs: 1 s of margin on each side for the real time between requests.
        m_lab->patch(R"({"cache": {"ttl_s": 10}})");
        QCOMPARE(get("/users/11").body, fromDatabase(11, "User 11"));
        m_lab->clock.advance(9s);
        QCOMPARE(get("/users/11").body, fromCache(11, "User 11"));
        m_lab->clock.advance(2s);
        QCOMPARE(get("/users/11").body, fromDatabase(11, "User 11"));
        QCOMPARE(expiredEvictions(m_lab->registry), 1u);
        QCOMPARE(get("/users/11").body, fromCache(11, "User 11"));
    }

    void zeroTtlStoresNothing()
    {
        m_lab->patch(R"({"cache": {"ttl_s": 0}})");
        QCOMPARE(get("/users/12").body, fromDatabase(12, "User 12"));
        QCOMPARE(get("/users/12").body, fromDatabase(12, "User 12"));
        QCOMPARE(m_lab->memory.size(), 0);
    }

    void errorShapes_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        const QByteArray notFound = R"({"detail":"User not found"})";
        QTest::newRow("GET id 0") << simpleGet("/users/0") << 404 << notFound;
        QTest::newRow("GET negative id") << simpleGet("/users/-3") << 404 << notFound;
        QTest::newRow("GET beyond the table") << simpleGet("/users/1000001") << 404 << notFound;
        QTest::newRow("PUT beyond the table") << putRequest("/users/2000000?name=x") << 404 << notFound;
        const QByteArray missing =
            R"({"detail":[{"type":"missing","loc":["query","name"],"msg":"Field required","input":null}]})";
        QTest::newRow("PUT without query") << putRequest("/users/5") << 422 << missing;
        QTest::newRow("PUT without name") << putRequest("/users/5?nam=x&other=1") << 422 << missing;
        // Validation comes first, as in FastAPI: an unknown user without a name is still 422.
        QTest::newRow("PUT unknown without name") << putRequest("/users/0") << 422 << missing;
    }
    void errorShapes()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        const RawResponse response = send(request);
        QCOMPARE(response.status, status);
        QCOMPARE(response.header("content-type"), QByteArray("application/json"));
        QCOMPARE(response.body, body);
        QCOMPARE(m_lab->memory.size(), 0); // nothing cached for users that do not exist
    }

    void nonIntegerIdIs422FromTheRouter()
    {
        const RawResponse response = get("/users/abc");
        QCOMPARE(response.status, 422);
        const QJsonObject detail = QJsonDocument::fromJson(response.body).object();
        QCOMPARE(detail.value(u"detail").toArray().at(0).toObject().value(u"type").toString(),
                 QStringLiteral("int_parsing"));
    }

    void warmUpMakesFirstGetAHit()
    {
        const int stored =
            QCoro::waitFor(lab::warmUpUserCache(m_lab->cache(), m_lab->users, m_lab->settings, 50));
        QCOMPARE(stored, 50);
        QCOMPARE(m_lab->memory.size(), 50);
        QCOMPARE(get("/users/1").body, fromCache(1, "User 1"));
        QCOMPARE(get("/users/50").body, fromCache(50, "User 50"));
        QCOMPARE(get("/users/51").body, fromDatabase(51, "User 51"));
    }

    void warmUpBeyondTheLimitKeepsTheHottest()
    {
        m_lab->memory.setMaxEntries(10);
        QCOMPARE(QCoro::waitFor(lab::warmUpUserCache(m_lab->cache(), m_lab->users, m_lab->settings, 30)), 30);
        QCOMPARE(m_lab->memory.size(), 10);
        QCOMPARE(get("/users/1").body, fromCache(1, "User 1"));
        QCOMPARE(get("/users/10").body, fromCache(10, "User 10"));
        QCOMPARE(get("/users/11").body, fromDatabase(11, "User 11"));
    }

    void warmUpHonoursDisabledCache()
    {
        m_lab->patch(R"({"cache": {"enabled": false}})");
        QCOMPARE(QCoro::waitFor(lab::warmUpUserCache(m_lab->cache(), m_lab->users, m_lab->settings, 50)), 0);
        QCOMPARE(m_lab->memory.size(), 0);
    }

    void keepAliveMixesHitsAndMisses()
    {
        // One connection, pipelined: a miss (suspends for the store) ahead of hits keeps order.
        QCOMPARE(get("/users/20").body, fromDatabase(20, "User 20"));
        RawHttpClient client(m_lab->port());
        client.send(simpleGet("/users/21") + simpleGet("/users/20") + simpleGet("/users/21") +
                    simpleGet("/users/20"));
        const auto responses = client.readResponses(4);
        QCOMPARE(responses.size(), size_t(4));
        QCOMPARE(responses[0].body, fromDatabase(21, "User 21"));
        QCOMPARE(responses[1].body, fromCache(20, "User 20"));
        QCOMPARE(responses[3].body, fromCache(20, "User 20"));
        // The third was parsed while the first was still reading the store: either answer is right.
        QVERIFY(responses[2].body == fromCache(21, "User 21") ||
                responses[2].body == fromDatabase(21, "User 21"));
    }
};

std::unique_ptr<QObject> createUserRoutesTests()
{
    return std::make_unique<TestUserRoutes>();
}

#include "test_user_routes.moc"

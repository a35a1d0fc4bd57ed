// The cache hit path does not allocate: MemoryCache::tryGet makes no operator new call, and the
// GET /users/{id} handler answers a hit without suspending, its coroutine frame being its only
// one (Qt's byte arrays take their storage from malloc directly: the response body is not
// counted here). The test binary links the counting operator new of AllocationCounter.
#include "AllocationCounter.h"

#include "engine/cache/MemoryCache.h"
#include "engine/http/Router.h"
#include "engine/lab/UserRoutes.h"
#include "engine/metrics/Registry.h"
#include "engine/settings/SettingsStore.h"

#include <QTest>

#include <memory>

using namespace perflab;
using perflab::test::allocationsOnThisThread;

class TestCacheHotPath : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        if (!test::kAllocationsCounted)
            QSKIP("operator new is not counted under AddressSanitizer");
    }

    void counterIsWorking()
    {
        static int *volatile probe = nullptr; // volatile: the allocation cannot be elided
        const std::size_t before = allocationsOnThisThread();
        probe = new int(1);
        delete probe;
        QCOMPARE(allocationsOnThisThread(), before + 1);
    }

    void tryGetHitDoesNotAllocate()
    {
        metrics::Registry registry;
        cache::MemoryCache cache(registry);
        cache.put(lab::userCacheKey(1), R"({"id":1,"name":"User 1"})");
        const char key[] = "user:1";
        QVERIFY(cache.tryGet(QByteArrayView(key, 6))); // this thread's first counter update

        const std::size_t before = allocationsOnThisThread();
        qsizetype bytes = 0;
        for (int i = 0; i < 10'000; ++i) {
            const std::optional<QByteArray> hit = cache.tryGet(QByteArrayView(key, 6));
            bytes += hit ? hit->size() : -1'000'000;
        }
        const std::size_t allocations = allocationsOnThisThread() - before;
        QCOMPARE(allocations, 0u);
        QCOMPARE(bytes, 10'000 * 24);
    }

    void userRouteHitAllocatesNoFrame()
    {
        settings::SettingsStore settings;
        metrics::Registry registry;
        cache::MemoryCache cache(registry);
        lab::SimulatedUserStore users(settings);
        http::Router router;
        lab::addUserRoutes(router, settings, cache, users);
        cache.put(lab::userCacheKey(7), R"({"id":7,"name":"User 7"})");

        http::HttpRequest request;
        request.path = "/users/7";
        QCOMPARE(router.match(request).kind, http::RouteMatch::Kind::Found);
        const http::OutcomeHandler &handler = router.route(request.routeId).handler.either;
        QVERIFY(handler);
        QVERIFY(handler(request).isReady()); // warm-up: this thread's settings snapshot and counters

        const std::size_t before = allocationsOnThisThread();
        http::Outcome outcome = handler(request);
        const std::size_t allocations = allocationsOnThisThread() - before;
        QVERIFY2(outcome.isReady(), "a hit must answer at once, without a coroutine");
        // No coroutine frame (operator new); the body's QByteArray comes from malloc, which this
        // counter does not see.
        QCOMPARE(allocations, 0u);
        const http::HttpResponse response = outcome.response();
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, QByteArray(R"({"source":"cache","data":{"id":7,"name":"User 7"}})"));
    }
};

std::unique_ptr<QObject> createCacheHotPathTests()
{
    return std::make_unique<TestCacheHotPath>();
}

#include "test_cache_hot_path.moc"

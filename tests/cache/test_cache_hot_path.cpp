// The cache hit path does not allocate: MemoryCache::tryGet makes no operator new call, and the
// GET /users/{id} handler answers a hit without suspending, its coroutine frame being its only
// one (Qt's byte arrays take their storage from malloc directly: the response body is not
// counted here). This file replaces the global operator new/delete of the test binary
// (forwarding to malloc/free) to count them on this thread.
#include "engine/cache/MemoryCache.h"
#include "engine/http/Router.h"
#include "engine/lab/UserRoutes.h"
#include "engine/metrics/Registry.h"
#include "engine/settings/SettingsStore.h"

#include <QTest>

#include <memory>

#include <cstdlib>
#include <new>

using namespace perflab;

// AddressSanitizer replaces operator new itself and reports Qt's inline new paired with our
// delete as a mismatch: under it the counting is left out and the counting tests skip.
#if defined(__SANITIZE_ADDRESS__)
#define PERFLAB_COUNT_ALLOCATIONS 0
#else
#define PERFLAB_COUNT_ALLOCATIONS 1
#endif

namespace {
thread_local std::size_t t_allocations = 0;
} // namespace

#if PERFLAB_COUNT_ALLOCATIONS
namespace {

void *countedAllocate(std::size_t size, std::size_t alignment)
{
    ++t_allocations;
    void *memory = alignment > alignof(std::max_align_t)
                       ? std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment)
                       : std::malloc(size == 0 ? 1 : size);
    if (!memory)
        throw std::bad_alloc();
    return memory;
}

} // namespace

void *operator new(std::size_t size)
{
    return countedAllocate(size, 0);
}
void *operator new[](std::size_t size)
{
    return countedAllocate(size, 0);
}
void *operator new(std::size_t size, std::align_val_t alignment)
{
    return countedAllocate(size, static_cast<std::size_t>(alignment));
}
void *operator new[](std::size_t size, std::align_val_t alignment)
{
    return countedAllocate(size, static_cast<std::size_t>(alignment));
}
void operator delete(void *memory) noexcept
{
    std::free(memory);
}
void operator delete[](void *memory) noexcept
{
    std::free(memory);
}
void operator delete(void *memory, std::size_t) noexcept
{
    std::free(memory);
}
void operator delete[](void *memory, std::size_t) noexcept
{
    std::free(memory);
}
void operator delete(void *memory, std::align_val_t) noexcept
{
    std::free(memory);
}
void operator delete[](void *memory, std::align_val_t) noexcept
{
    std::free(memory);
}
void operator delete(void *memory, std::size_t, std::align_val_t) noexcept
{
    std::free(memory);
}
void operator delete[](void *memory, std::size_t, std::align_val_t) noexcept
{
    std::free(memory);
}
#endif

class TestCacheHotPath : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        if (!PERFLAB_COUNT_ALLOCATIONS)
            QSKIP("operator new is not counted under AddressSanitizer");
    }

    void counterIsWorking()
    {
        static int *volatile probe = nullptr; // volatile: the allocation cannot be elided
        const std::size_t before = t_allocations;
        probe = new int(1);
        delete probe;
        QCOMPARE(t_allocations, before + 1);
    }

    void tryGetHitDoesNotAllocate()
    {
        metrics::Registry registry;
        cache::MemoryCache cache(registry);
        cache.put(lab::userCacheKey(1), R"({"id":1,"name":"User 1"})");
        const char key[] = "user:1";
        QVERIFY(cache.tryGet(QByteArrayView(key, 6))); // this thread's first counter update

        const std::size_t before = t_allocations;
        qsizetype bytes = 0;
        for (int i = 0; i < 10'000; ++i) {
            const std::optional<QByteArray> hit = cache.tryGet(QByteArrayView(key, 6));
            bytes += hit ? hit->size() : -1'000'000;
        }
        const std::size_t allocations = t_allocations - before;
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

        const std::size_t before = t_allocations;
        http::Outcome outcome = handler(request);
        const std::size_t allocations = t_allocations - before;
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

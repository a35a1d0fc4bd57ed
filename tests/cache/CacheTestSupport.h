// Helpers shared by the cache tests: a clock the test moves, and metric values read back
// from the registry (so that the tests check what /metrics would show, not the cache's view).
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

namespace perflab::metrics {
class Registry;
}

namespace perflab::cache::test {

// Thread-safe: worker threads read it while the test advances it.
class FakeClock
{
public:
    using TimePoint = std::chrono::steady_clock::time_point;
    // Frozen: time moves only by advance(), for exact TTL boundaries. Running: the real
    // steady clock plus what advance() added, so that operations keep their real order
    // (recency) while a test skips over a TTL; bounds must then leave room for real time.
    enum class Mode { Frozen, Running };

    explicit FakeClock(Mode mode = Mode::Frozen) : m_mode(mode) {}

    std::function<TimePoint()> source() const
    {
        return [offset = m_offset, mode = m_mode] {
            const auto added = std::chrono::milliseconds(offset->load());
            return mode == Mode::Running ? std::chrono::steady_clock::now() + added : TimePoint(added);
        };
    }
    void advance(std::chrono::milliseconds by) { m_offset->fetch_add(by.count()); }

private:
    Mode m_mode;
    // Starts well away from the epoch so that "now - ttl" never looks special.
    std::shared_ptr<std::atomic<std::int64_t>> m_offset =
        std::make_shared<std::atomic<std::int64_t>>(3'600'000);
};

// The value of a counter series (0 when the family or series does not exist), as LoopbackLab.h
// reads it.
std::uint64_t counterValue(const metrics::Registry &registry, const QString &name,
                           const QStringList &labelValues);
inline std::uint64_t counterValue(const metrics::Registry &registry, const QString &name,
                                  const QString &labelValue)
{
    return counterValue(registry, name, QStringList{labelValue});
}
// The unlabelled series of a gauge (0 when it does not exist).
std::int64_t gaugeValue(const metrics::Registry &registry, const QString &name);

// cache_requests_total{backend,result}
inline std::uint64_t cacheRequests(const metrics::Registry &r, const QString &backend, const QString &result)
{
    return counterValue(r, QStringLiteral("cache_requests_total"), QStringList{backend, result});
}
inline std::uint64_t hits(const metrics::Registry &r)
{
    return cacheRequests(r, QStringLiteral("memory"), QStringLiteral("hit"));
}
inline std::uint64_t misses(const metrics::Registry &r)
{
    return cacheRequests(r, QStringLiteral("memory"), QStringLiteral("miss"));
}
inline std::uint64_t lruEvictions(const metrics::Registry &r)
{
    return counterValue(r, QStringLiteral("cache_evictions_total"), QStringLiteral("lru"));
}
inline std::uint64_t expiredEvictions(const metrics::Registry &r)
{
    return counterValue(r, QStringLiteral("cache_evictions_total"), QStringLiteral("expired"));
}
inline std::int64_t entriesGauge(const metrics::Registry &r)
{
    return gaugeValue(r, QStringLiteral("cache_entries"));
}

// {"source":"database","data":{"id":N,"name":"..."}} and the same from the cache: the bodies
// of GET /users/{id}.
inline QByteArray fromDatabase(int id, const QByteArray &name)
{
    return R"({"source":"database","data":{"id":)" + QByteArray::number(id) + R"(,"name":")" + name + "\"}}";
}
inline QByteArray fromCache(int id, const QByteArray &name)
{
    return R"({"source":"cache","data":{"id":)" + QByteArray::number(id) + R"(,"name":")" + name + "\"}}";
}

} // namespace perflab::cache::test

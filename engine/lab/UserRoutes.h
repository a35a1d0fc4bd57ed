// Guide chapter 3, cache-aside: GET /users/{user_id} answers from the cache or reads the users
// store and fills the cache; PUT /users/{user_id}?name= writes the store and invalidates the
// entry. Also the users store interface the routes read (the lab uses DatabaseUserStore, the
// real table; SimulatedUserStore is the guide's 0.5 s stand-in, kept for the cache-aside tests
// whose timings need a known delay) and the warm-up that fills the cache with the hottest
// users before the port opens.
#pragma once

#include <QCoro/QCoroTask>

#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QString>

#include <optional>
#include <stdexcept>
#include <vector>

namespace perflab::http {
class Router;
}
namespace perflab::settings {
class SettingsStore;
}
namespace perflab::cache {
class Cache;
}

namespace perflab::lab {

// A store that cannot answer (its database unreachable, its pool exhausted, a statement
// failed) throws this from find()/updateName(); the routes answer `status` {"detail": detail}.
struct UserStoreError : std::runtime_error
{
    UserStoreError(int status, const QString &detail)
        : std::runtime_error(detail.toStdString()), status(status), detail(detail)
    {
    }
    int status;
    QString detail;
};

// The users table as the routes see it: rows as JSON objects ({"id":N,"name":"..."}), so
// that a database-backed store can replace the simulated one without touching the routes.
// Implementations are thread-safe (every worker calls them) and resume on the caller's thread.
class UserStore
{
public:
    virtual ~UserStore() = default;
    // nullopt: no such user.
    virtual QCoro::Task<std::optional<QJsonObject>> find(qint64 id) = 0;
    // The updated row, or nullopt when there is no such user.
    virtual QCoro::Task<std::optional<QJsonObject>> updateName(qint64 id, QString name) = 0;
    // The existing users with firstId <= id <= lastId in id order, in one read.
    virtual QCoro::Task<std::vector<QJsonObject>> findRange(qint64 firstId, qint64 lastId) = 0;
};

// The guide's get_user_from_db: users 1..1,000,000 named "User N" until renamed, each
// read or write costing asyncio.sleep(0.5) x simulation.io_scale. findRange() costs one such
// round trip for the whole range, as one bulk query would.
class SimulatedUserStore final : public UserStore
{
public:
    static constexpr qint64 kUserCount = 1'000'000;
    static constexpr double kQuerySeconds = 0.5;

    // `settings` must outlive the store.
    explicit SimulatedUserStore(const settings::SettingsStore &settings);

    QCoro::Task<std::optional<QJsonObject>> find(qint64 id) override;
    QCoro::Task<std::optional<QJsonObject>> updateName(qint64 id, QString name) override;
    QCoro::Task<std::vector<QJsonObject>> findRange(qint64 firstId, qint64 lastId) override;

private:
    QJsonObject row(qint64 id) const; // requires the lock

    const settings::SettingsStore &m_settings;
    mutable QMutex m_mutex;
    QHash<qint64, QString> m_renamed;
};

// "user:<id>", the guide's cache key.
QByteArray userCacheKey(qint64 id);

// Registers GET and PUT /users/{user_id:int}. The handlers keep references to `settings`,
// `cache` and `users`, which must outlive every request the router serves. Read per request:
// cache.enabled (false: every GET reads the store and the cache is left alone; PUT still
// invalidates, so that re-enabling cannot serve a row written meanwhile) and cache.ttl_s
// (the TTL of the entries stored; 0 stores nothing). When the backend is in-process
// (Cache::inProcess()), a hit is answered through its synchronous API; otherwise the time
// waited on the backend is a Server-Timing part named after it (Cache::timingName(): "redis").
// A backend that cannot answer reads as a miss: the row comes from the store, never an error.
void addUserRoutes(http::Router &router, settings::SettingsStore &settings, cache::Cache &cache,
                   UserStore &users);

// The lifespan hook: caches users 1..hottest (ttl cache.ttl_s) with one bulk read, instead of
// `hottest` reads each paying the per-query delay that would hold the port closed for
// hottest x 0.5 s. Stored coldest first, so that when hottest exceeds the cache's limit the
// LRU keeps the hottest ids. Does nothing when cache.enabled is false. Resolves to the
// number of entries stored (a network backend that cannot be reached drops them, counted as
// errors). Not an HTTP route: from synchronous start-up code,
// QCoro::waitFor(warmUpUserCache(...)).
QCoro::Task<int> warmUpUserCache(cache::Cache &cache, UserStore &users,
                                 const settings::SettingsStore &settings, int hottest);

} // namespace perflab::lab

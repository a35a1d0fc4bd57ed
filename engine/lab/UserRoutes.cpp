// See UserRoutes.h.
#include "engine/lab/UserRoutes.h"

#include "engine/async/SimulatedIo.h"
#include "engine/cache/MemoryCache.h"
#include "engine/http/Router.h"
#include "engine/settings/SettingsStore.h"

#include <QJsonDocument>
#include <QMutexLocker>

#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>

namespace perflab::lab {

namespace {

// "user:<id>" built on the stack: a hit looks up a view of it and allocates no key.
class UserKey
{
public:
    explicit UserKey(qint64 id)
    {
        std::memcpy(m_bytes, "user:", 5);
        m_size = qsizetype(std::to_chars(m_bytes + 5, m_bytes + sizeof m_bytes, id).ptr - m_bytes);
    }
    QByteArrayView view() const { return {m_bytes, m_size}; }
    QByteArray bytes() const { return {m_bytes, m_size}; }

private:
    char m_bytes[32];
    qsizetype m_size;
};

std::chrono::milliseconds ttlOf(const settings::CacheSettings &cache)
{
    return std::chrono::milliseconds(std::llround(cache.ttlS * 1000.0));
}

http::HttpResponse userNotFound()
{
    return http::HttpResponse::json(404, QByteArrayLiteral("{\"detail\":\"User not found\"}"));
}

// FastAPI's answer to a required query parameter that is absent (`name: str`).
http::HttpResponse nameMissing()
{
    return http::HttpResponse::json(
        422, QByteArrayLiteral("{\"detail\":[{\"type\":\"missing\",\"loc\":[\"query\",\"name\"],"
                               "\"msg\":\"Field required\",\"input\":null}]}"));
}

// The cached bytes are the user object as serialized on the miss: wrapping them is one
// allocation, no JSON encoder.
http::HttpResponse answer(QByteArrayView prefix, const QByteArray &user)
{
    QByteArray body;
    body.reserve(prefix.size() + user.size() + 1);
    body.append(prefix).append(user).append('}');
    return http::HttpResponse::json(200, std::move(body));
}

class UserRoutes
{
public:
    UserRoutes(settings::SettingsStore &settings, cache::Cache &cache, UserStore &users)
        : m_settings(settings), m_cache(cache), m_users(users)
    {
    }

    // A cache hit answers at once; everything else continues in getUser().
    http::Outcome getUserFast(const http::HttpRequest &request);
    // `memoryChecked`: the in-process cache was already asked (and missed), don't ask twice.
    QCoro::Task<http::HttpResponse> getUser(const http::HttpRequest &request, bool memoryChecked);
    QCoro::Task<http::HttpResponse> putUser(const http::HttpRequest &request);

private:
    settings::SettingsStore &m_settings;
    cache::Cache &m_cache;
    UserStore &m_users;
};

// The time a request waited on a cache backend that does real I/O, reported as one
// Server-Timing part under the backend's name ("redis;dur=0.123"): the get and, on a miss, the
// set, added up. Nothing for an in-process backend (no name).
class CacheWait
{
public:
    using Clock = std::chrono::steady_clock;

    explicit CacheWait(QByteArrayView name) : m_name(name) {}
    void add(Clock::time_point started) { m_waited += Clock::now() - started; }
    http::HttpResponse reported(http::HttpResponse response) const
    {
        if (!m_name.isEmpty() && m_waited.count() > 0) // the name is a literal of the backend's
            response.addTiming(QByteArray::fromRawData(m_name.data(), m_name.size()),
                               std::chrono::duration<double, std::milli>(m_waited).count());
        return response;
    }

private:
    QByteArrayView m_name;
    Clock::duration m_waited{};
};

constexpr QByteArrayView kFromCache = "{\"source\":\"cache\",\"data\":";
constexpr QByteArrayView kFromDatabase = "{\"source\":\"database\",\"data\":";

http::Outcome UserRoutes::getUserFast(const http::HttpRequest &request)
{
    cache::MemoryCache *memory = m_cache.inProcess();
    if (memory && m_settings.view().cache.enabled) {
        const UserKey key(request.pathParam("user_id")->intValue);
        if (std::optional<QByteArray> hit = memory->tryGet(key.view()))
            return answer(kFromCache, *hit);
        return getUser(request, true);
    }
    return getUser(request, false);
}

QCoro::Task<http::HttpResponse> UserRoutes::getUser(const http::HttpRequest &request, bool memoryChecked)
{
    const qint64 id = request.pathParam("user_id")->intValue;
    const UserKey key(id);
    // Settings are read into locals: view() is not valid across a suspension.
    const bool useCache = m_settings.view().cache.enabled;
    cache::MemoryCache *memory = m_cache.inProcess();
    CacheWait wait(memory ? QByteArrayView() : m_cache.timingName());
    if (useCache && !(memory && memoryChecked)) {
        std::optional<QByteArray> hit;
        if (memory) {
            hit = memory->tryGet(key.view()); // the hot path: no suspension, no key allocation
        } else {
            const QByteArray keyBytes = key.bytes();
            const auto started = CacheWait::Clock::now();
            hit = co_await m_cache.get(keyBytes);
            wait.add(started);
        }
        if (hit)
            co_return wait.reported(answer(kFromCache, *hit));
    }

    std::optional<QJsonObject> user;
    std::optional<UserStoreError> failure;
    try {
        user = co_await m_users.find(id);
    } catch (const UserStoreError &error) {
        failure = error; // co_await is not allowed in a handler: answer below
    }
    if (failure)
        co_return wait.reported(http::HttpResponse::error(failure->status, failure->detail));
    if (!user)
        co_return wait.reported(userNotFound());
    const QByteArray data = QJsonDocument(*user).toJson(QJsonDocument::Compact);
    // Read again: the settings may have changed while the store answered.
    const bool store = useCache && m_settings.view().cache.enabled;
    const std::chrono::milliseconds ttl = ttlOf(m_settings.view().cache);
    if (store) {
        if (memory) {
            memory->put(key.bytes(), data, ttl);
        } else {
            const QByteArray keyBytes = key.bytes();
            const auto started = CacheWait::Clock::now();
            co_await m_cache.set(keyBytes, data, ttl);
            wait.add(started);
        }
    }
    co_return wait.reported(answer(kFromDatabase, data));
}

QCoro::Task<http::HttpResponse> UserRoutes::putUser(const http::HttpRequest &request)
{
    const qint64 id = request.pathParam("user_id")->intValue;
    const std::optional<QString> name = request.queryParam("name");
    if (!name)
        co_return nameMissing();
    std::optional<QJsonObject> updated;
    std::optional<UserStoreError> failure;
    try {
        updated = co_await m_users.updateName(id, *name);
    } catch (const UserStoreError &error) {
        failure = error;
    }
    if (failure)
        co_return http::HttpResponse::error(failure->status, failure->detail);
    if (!updated)
        co_return userNotFound();
    // Cache-aside invalidation, after the write: a reader that misses from now on reads the
    // new row. (A reader that read the old row just before the write and stores it just after
    // this can still leave it cached until its TTL: the pattern's known window.)
    // Through the Cache interface even for an in-process backend: a backend may invalidate in
    // more than one place (SelectedCache: memory and Redis), and a PUT has no hot path.
    const UserKey key(id);
    CacheWait wait(m_cache.timingName());
    const QByteArray keyBytes = key.bytes();
    const auto started = CacheWait::Clock::now();
    co_await m_cache.remove(keyBytes);
    wait.add(started);
    co_return wait.reported(http::HttpResponse::json(200, QJsonDocument(*updated)));
}

} // namespace

SimulatedUserStore::SimulatedUserStore(const settings::SettingsStore &settings) : m_settings(settings) {}

QJsonObject SimulatedUserStore::row(qint64 id) const
{
    const auto renamed = m_renamed.constFind(id);
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("name"), renamed != m_renamed.cend() ? *renamed : QStringLiteral("User %1").arg(id)},
    };
}

QCoro::Task<std::optional<QJsonObject>> SimulatedUserStore::find(qint64 id)
{
    co_await async::simulatedIo(m_settings, kQuerySeconds);
    if (id < 1 || id > kUserCount)
        co_return std::nullopt;
    const QMutexLocker lock(&m_mutex);
    co_return row(id);
}

QCoro::Task<std::optional<QJsonObject>> SimulatedUserStore::updateName(qint64 id, QString name)
{
    co_await async::simulatedIo(m_settings, kQuerySeconds);
    if (id < 1 || id > kUserCount)
        co_return std::nullopt;
    const QMutexLocker lock(&m_mutex);
    m_renamed.emplace(id, std::move(name));
    co_return row(id);
}

QCoro::Task<std::vector<QJsonObject>> SimulatedUserStore::findRange(qint64 firstId, qint64 lastId)
{
    co_await async::simulatedIo(m_settings, kQuerySeconds);
    firstId = std::max<qint64>(firstId, 1);
    lastId = std::min<qint64>(lastId, kUserCount);
    std::vector<QJsonObject> rows;
    if (firstId > lastId)
        co_return rows;
    rows.reserve(size_t(lastId - firstId + 1));
    const QMutexLocker lock(&m_mutex);
    for (qint64 id = firstId; id <= lastId; ++id)
        rows.push_back(row(id));
    co_return rows;
}

QByteArray userCacheKey(qint64 id)
{
    return UserKey(id).bytes();
}

void addUserRoutes(http::Router &router, settings::SettingsStore &settings, cache::Cache &cache,
                   UserStore &users)
{
    auto routes = std::make_shared<UserRoutes>(settings, cache, users);
    router.addGetEither("/users/{user_id:int}",
                        [routes](const http::HttpRequest &request) { return routes->getUserFast(request); });
    router.add(http::Method::Put, "/users/{user_id:int}",
               {{}, [routes](const http::HttpRequest &request) { return routes->putUser(request); }});
}

QCoro::Task<int> warmUpUserCache(cache::Cache &cache, UserStore &users,
                                 const settings::SettingsStore &settings, int hottest)
{
    if (hottest <= 0 || !settings.view().cache.enabled)
        co_return 0;
    const std::vector<QJsonObject> rows = co_await users.findRange(1, hottest);
    const std::chrono::milliseconds ttl = ttlOf(settings.view().cache);
    if (ttl <= std::chrono::milliseconds::zero())
        co_return 0;
    cache::MemoryCache *memory = cache.inProcess();
    int stored = 0;
    for (auto row = rows.rbegin(); row != rows.rend(); ++row) { // coldest first
        const QByteArray key = userCacheKey(row->value(QStringLiteral("id")).toInteger());
        const QByteArray data = QJsonDocument(*row).toJson(QJsonDocument::Compact);
        if (memory)
            memory->put(key, data, ttl);
        else
            co_await cache.set(key, data, ttl);
        ++stored;
    }
    co_return stored;
}

} // namespace perflab::lab

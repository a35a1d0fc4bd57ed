// The lab server as one object (one QObject facade for the whole long-running job, so that its
// users connect to one object and never reach into its threads): the routes of
// the lab, the HTTP engine, the metrics registry it feeds and the sampler that turns the
// registry into the live time series. `perflab serve`, `perflab run` and the desktop app all
// start the lab through this class.
#pragma once

#include "engine/cache/CacheSettingsLink.h"
#include "engine/cache/MemoryCache.h"
#include "engine/cache/RedisCache.h"
#include "engine/cache/SelectedCache.h"
#include "engine/http/HttpServer.h"
#include "engine/lab/AdminAccess.h"
#include "engine/lab/DatabaseUserStore.h"
#include "engine/lab/LabDatabase.h"
#include "engine/lab/UserRoutes.h"
#include "engine/metrics/Registry.h"
#include "engine/metrics/Sampler.h"
#include "engine/redis/RedisClient.h"
#include "engine/settings/SettingsStore.h"
#include "engine/tasks/BackgroundTasks.h"
#include "engine/tasks/JobHandlers.h"
#include "engine/tasks/JobQueue.h"

#include <QCoroTask>
#include <QElapsedTimer>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>

namespace perflab::redis {
class RedisClient;
}

namespace perflab::lab {

class ConcurrencyLimit;
class SharedSettings;
class HttpMetrics;
class RedisHealthEvents;

struct LabServerConfig
{
    http::ServerConfig server;
    // Folder for the lab's files (job queue, SQLite database); empty: the user's data folder.
    QString dataDir;
    // Start-up steps (dataset generation can take seconds) as lines of text; may be empty.
    std::function<void(const QString &)> progress;
    // The dataset generation's rows per phase (called on a database thread) and a flag that
    // cancels it between chunks (start() then fails with "... cancelled"); both may be unset.
    db::DatasetProgressCallback datasetProgress;
    const std::atomic<bool> *cancel = nullptr;
    // A member of a cluster: its name labels /metrics (instance="…") and it shares its live
    // settings with the other members through redis.url. Empty: a lab on its own.
    QString instance;
    // Lifespan warm-up: users 1..N are put in the cache before the port opens (0: none).
    int warmUsers = 1000;
    settings::LabSettings settings;
    // The /admin routes' token (AdminAccess.h): given, it is required on any address; empty,
    // one is generated when server.host is not loopback, and the routes stay open when it is.
    QString adminToken;
};

class LabServer final : public QObject
{
    Q_OBJECT
public:
    explicit LabServer(LabServerConfig config, QObject *parent = nullptr);
    ~LabServer() override;

    // Opens the stores, prepares the database and its dataset, warms the cache, then listens.
    // start() blocks in a nested event loop; startAsync() lets the caller's loop run (the
    // desktop window keeps painting and can cancel through LabServerConfig::cancel). The
    // server must outlive a startAsync() that has not finished.
    std::optional<http::StartError> start();
    QCoro::Task<std::optional<http::StartError>> startAsync();
    QString url() const { return m_server->url(); }
    quint16 port() const { return m_server->port(); }
    int threadCount() const { return m_server->threadCount(); }
    // The token the /admin routes require (empty: open) and whether it was generated here, in
    // which case the caller shows it to the user: nobody else knows it.
    QString adminToken() const { return m_adminAccess.token; }
    bool adminTokenGenerated() const { return m_adminAccess.generated; }
    void drain();

    http::HttpServer &httpServer() { return *m_server; }
    metrics::Registry &registry() { return m_registry; }
    metrics::Sampler &sampler() { return *m_sampler; }
    settings::SettingsStore &settings() { return m_settings; }
    tasks::JobQueue &jobs() { return *m_jobs; }
    LabDatabase &database() { return *m_database; }
    // The cache the routes use (cache.backend, switched live) and the Redis client of its redis
    // backend: health() for the panels, turned() of cacheRedisEvents() for the chart markers.
    cache::SelectedCache &cache() { return m_cache; }
    redis::RedisClient &cacheRedis() { return m_cacheRedis; }
    RedisHealthEvents &cacheRedisEvents() { return *m_cacheRedisEvents; }
    // The folder for the lab's files, created on demand.
    QString dataDir() const;

Q_SIGNALS:
    void drained();

private:
    void onSettingsChanged(const QJsonObject &patch, const QJsonObject &settings);
    // Sections of /admin/stats; called on worker threads.
    QJsonObject serverSummary() const;
    QJsonObject labSummary() const;
    QJsonObject redisQueueSummary() const;
    QJsonObject cacheSummary() const;
    QJsonObject redisSummary() const;
    static http::ServerLimits limitsFrom(const settings::LabSettings &settings, http::ServerLimits base);

    LabServerConfig m_config;
    AdminAccess m_adminAccess;
    settings::SettingsStore m_settings;
    metrics::Registry m_registry;
    // Stores the handlers use: declared before the server, so they outlive its workers.
    redis::RedisClient m_cacheRedis; // redis_up{role="cache"}
    cache::MemoryCache m_memoryCache;
    cache::CacheSettingsLink m_cacheLink;
    cache::RedisCache m_redisCache;
    cache::SelectedCache m_cache;
    std::unique_ptr<LabDatabase> m_database;
    std::unique_ptr<DatabaseUserStore> m_users;
    std::shared_ptr<tasks::JobHandlers> m_jobHandlers;
    std::unique_ptr<tasks::JobQueue> m_jobs;
    std::unique_ptr<tasks::BackgroundRunner> m_background;
    std::shared_ptr<http::Router> m_router;
    std::shared_ptr<http::MiddlewareChain> m_middleware;
    std::shared_ptr<HttpMetrics> m_httpMetrics;
    std::shared_ptr<ConcurrencyLimit> m_limiter;
    std::unique_ptr<http::HttpServer> m_server;
    std::unique_ptr<metrics::Sampler> m_sampler;
    // Cluster members only; after the server, so a settings change in flight finds them.
    std::unique_ptr<redis::RedisClient> m_settingsRedis;
    std::unique_ptr<SharedSettings> m_sharedSettings;
    std::unique_ptr<RedisHealthEvents> m_cacheRedisEvents;
    QElapsedTimer m_uptime;
    // Written before the workers start, read by them afterwards.
    QString m_url;
    int m_threads = 0;
};

} // namespace perflab::lab

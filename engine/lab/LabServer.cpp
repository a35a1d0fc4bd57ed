// See LabServer.h.
#include "engine/lab/LabServer.h"

#include "engine/lab/SharedSettings.h"
#include "engine/redis/RedisClient.h"

#include "engine/db/SlowQueryLog.h"
#include "engine/lab/BaselineRoutes.h"
#include "engine/lab/ConcurrencyRoutes.h"
#include "engine/lab/DbRoutes.h"
#include "engine/lab/SlowQueryRoutes.h"
#include "engine/lab/StreamingRoutes.h"
#include "engine/lab/TaskRoutes.h"
#include "engine/lab/UserRoutes.h"
#include "engine/lab/WorkloadRoutes.h"
#include "engine/settings/SettingsSecrets.h"
#include "engine/tasks/GuideTasks.h"
#include "engine/tasks/RedisJobQueue.h"

#include "engine/lab/HttpCacheRoutes.h"
#include "engine/lab/HttpMetrics.h"
#include "engine/lab/MetricsRoutes.h"
#include "engine/lab/RedisHealthEvents.h"
#include "engine/lab/SettingsRoutes.h"
#include "engine/lab/middleware/AdminAuth.h"
#include "engine/lab/middleware/Compression.h"
#include "engine/lab/middleware/ConcurrencyLimit.h"
#include "engine/lab/middleware/HttpCaching.h"
#include "engine/lab/middleware/RequestIdTiming.h"
#include <QCoroTask>

#include <QDateTime>
#include <QDir>
#include <QJsonObject>
#include <QStandardPaths>

namespace perflab::lab {

LabServer::LabServer(LabServerConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)),
      m_adminAccess(adminAccessFor(m_config.server.host, m_config.adminToken)), m_settings(m_config.settings),
      m_cacheRedis(&m_registry, QStringLiteral("cache")), m_memoryCache(m_registry),
      m_cacheLink(m_memoryCache, m_settings), m_redisCache(m_cacheRedis, m_registry),
      m_cache(m_memoryCache, m_redisCache, m_cacheRedis, m_settings),
      m_database(std::make_unique<LabDatabase>(m_settings, m_registry, dataDir())),
      m_users(std::make_unique<DatabaseUserStore>(m_database->pool())),
      m_router(std::make_shared<http::Router>()), m_middleware(std::make_shared<http::MiddlewareChain>())
{
    addBaselineRoutes(*m_router);
    addSettingsRoutes(*m_router, m_settings);
    addHttpCacheRoutes(*m_router);
    addConcurrencyRoutes(*m_router, m_settings);
    addStreamingRoutes(*m_router, m_settings);
    addWorkloadRoutes(*m_router, m_settings);
    addUserRoutes(*m_router, m_settings, m_cache, *m_users);
    addDbRoutes(*m_router, m_database->pool());
    addSlowQueryRoutes(*m_router, m_database->slowQueries());
    // Background tasks and the durable job queue (guide chapter 2), in the data folder.
    m_jobHandlers = std::make_shared<tasks::JobHandlers>();
    tasks::addGuideTaskHandlers(*m_jobHandlers, m_settings, m_registry, dataDir());
    m_jobs = std::make_unique<tasks::JobQueue>(tasks::JobQueueConfig{dataDir()}, m_jobHandlers, m_settings,
                                               m_registry);
    m_background = std::make_unique<tasks::BackgroundRunner>(m_settings, m_jobHandlers, *m_jobs, m_registry);
    addTaskRoutes(*m_router, *m_background);
    addMetricsRoutes(
        *m_router, m_registry,
        [this] {
            return QJsonObject{{QStringLiteral("server"), serverSummary()},
                               {QStringLiteral("lab"), labSummary()},
                               {QStringLiteral("redis"), redisSummary()}};
        },
        m_config.instance);
    // Routes are complete: the metrics can size their per-route tables.
    m_httpMetrics = std::make_shared<HttpMetrics>(m_registry, *m_router);
    // The middleware chain, outermost first (docs/architecture.md). Request metrics are not a step:
    // the connection reports every request (404s and refused ones included) to HttpMetrics.
    m_middleware->add(std::make_shared<RequestIdTiming>());
    // Before anything that holds a permit or does work: a refused admin request costs nothing.
    if (m_adminAccess.required())
        m_middleware->add(std::make_shared<AdminAuth>(m_adminAccess.token));
    m_limiter = std::make_shared<ConcurrencyLimit>(m_settings, m_registry);
    m_middleware->add(m_limiter);
    m_middleware->add(std::make_shared<HttpCaching>(m_settings, m_registry));
    m_middleware->add(std::make_shared<Compression>(m_settings, m_registry));

    m_config.server.limits = limitsFrom(m_settings.view(), m_config.server.limits);
    // server.threads is read at start; a thread count given by the caller (--threads) wins.
    if (m_config.server.threads <= 0)
        m_config.server.threads = m_settings.view().server.threads;
    m_server = std::make_unique<http::HttpServer>(m_router, m_config.server, m_httpMetrics, m_middleware);
    m_sampler = std::make_unique<metrics::Sampler>(m_registry, HttpMetrics::sampleSpecs());
    // Slow statements become markers on the charts, as settings changes do (the log limits
    // them to one per fingerprint per second).
    m_database->slowQueries().setListener([store = m_sampler->store()](const db::SlowQueryEntry &entry) {
        store->addEvent(entry.lastAtMs, QStringLiteral("slow_query"), entry.toJson());
    });
    // Redis going away and coming back, likewise.
    m_cacheRedisEvents =
        std::make_unique<RedisHealthEvents>(m_cacheRedis, QStringLiteral("cache"), m_sampler->store());
    // Direct: a PATCH is answered on a worker thread right after changed() returns, so what
    // its reply promises must already hold (a client that sets pool_size 1 and then checks
    // out the only connection must find it taken). Everything onSettingsChanged touches is
    // thread-safe; the server's own limits are handed to its thread inside.
    connect(&m_settings, &settings::SettingsStore::changed, this, &LabServer::onSettingsChanged,
            Qt::DirectConnection);
    connect(m_server.get(), &http::HttpServer::drained, this, [this] {
        m_sampler->stop();
        Q_EMIT drained();
    });
}

LabServer::~LabServer()
{
    m_server->stop(); // the workers use the router, metrics, registry and queue: join them first
    m_jobs->stop();
}

std::optional<http::StartError> LabServer::start()
{
    return QCoro::waitFor(startAsync());
}

QCoro::Task<std::optional<http::StartError>> LabServer::startAsync()
{
    m_uptime.start();
    // Lifespan start-up (guide chapter 5): warm the cache with the hottest users before the port
    // opens, so the first requests already hit.
    // Open the stores first: the job queue re-queues what a crashed run left running.
    if (auto error = m_jobs->start())
        co_return http::StartError{http::StartError::Kind::Other,
                                   QStringLiteral("job queue: %1").arg(*error)};
    auto preparing = m_database->startAsync(m_config.progress, m_config.datasetProgress, m_config.cancel);
    if (auto error = co_await std::move(preparing)) {
        m_jobs->stop();
        co_return http::StartError{http::StartError::Kind::Other, *error};
    }
    if (m_config.warmUsers > 0) {
        std::optional<QString> warmUpError;
        try {
            // On the redis backend too (the guide's lifespan warms its Redis cache); a Redis that
            // is not there drops the entries, counted as errors, and the start goes on.
            auto warming = warmUpUserCache(m_cache, *m_users, m_settings, m_config.warmUsers);
            co_await std::move(warming);
        } catch (const UserStoreError &error) {
            warmUpError = error.detail;
        }
        if (warmUpError) {
            m_jobs->stop();
            co_return http::StartError{http::StartError::Kind::Other,
                                       QStringLiteral("cache warm-up: %1").arg(*warmUpError)};
        }
    }
    if (!m_config.instance.isEmpty()) {
        // A cluster member takes the cluster's settings before it serves its first request.
        const auto url = redis::parseRedisUrl(m_settings.view().redis.url).url;
        if (!url) {
            m_jobs->stop();
            co_return http::StartError{
                http::StartError::Kind::Other,
                QStringLiteral("instance %1 of a cluster needs the cluster's Redis (redis.url or --redis)")
                    .arg(m_config.instance)};
        }
        m_settingsRedis = std::make_unique<redis::RedisClient>(&m_registry, QStringLiteral("settings"));
        m_settingsRedis->setUrl(*url);
        m_sharedSettings = std::make_unique<SharedSettings>(m_settings, *m_settingsRedis);
        co_await m_sharedSettings->start();
    }
    if (auto error = m_server->start()) {
        m_jobs->stop();
        co_return error;
    }
    m_url = m_server->url();
    m_threads = m_server->threadCount();
    m_sampler->start();
    co_return std::nullopt;
}

http::ServerLimits LabServer::limitsFrom(const settings::LabSettings &settings, http::ServerLimits base)
{
    base.keepAliveTimeout = std::chrono::milliseconds(qint64(settings.server.keepAliveS * 1000));
    base.maxConnections = settings.server.maxConnections;
    base.parser.maxBodyBytes = settings.server.maxBodyBytes;
    return base;
}

void LabServer::onSettingsChanged(const QJsonObject &patch, const QJsonObject &)
{
    // A marker on every chart, at the time of the change. Events reach reports and the
    // window's tables: a database password in the patch is masked there.
    m_sampler->store()->addEvent(QDateTime::currentMSecsSinceEpoch(), QStringLiteral("settings"),
                                 settings::withSecretsMasked(patch));
    if (patch.contains(QStringLiteral("database")))
        m_database->applySettings();
    if (patch.contains(QStringLiteral("server"))) {
        // HttpServer and m_config belong to this object's thread.
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_config.server.limits = limitsFrom(m_settings.view(), m_config.server.limits);
                m_server->setLimits(m_config.server.limits);
            },
            Qt::AutoConnection);
    }
}

QJsonObject LabServer::serverSummary() const
{
    return QJsonObject{
        {QStringLiteral("url"), m_url},
        {QStringLiteral("threads"), m_threads},
        {QStringLiteral("uptime_s"), double(m_uptime.elapsed()) / 1000.0},
        {QStringLiteral("open_connections"), m_server->openConnections()},
        {QStringLiteral("version"), QStringLiteral(PERFLAB_VERSION)},
        {QStringLiteral("instance"), m_config.instance},
    };
}

QJsonObject LabServer::labSummary() const
{
    return QJsonObject{
        {QStringLiteral("cache"), cacheSummary()},
        {QStringLiteral("limiter"),
         QJsonObject{
             {QStringLiteral("limited_in_flight"), m_limiter->limitedInFlight()},
             {QStringLiteral("queued_in_flight"), m_limiter->queuedInFlight()},
             {QStringLiteral("max_in_flight"), m_settings.view().concurrency.maxInFlight},
             {QStringLiteral("queue_size"), m_settings.view().concurrency.queueSize},
         }},
        {QStringLiteral("database"), m_database->summary()},
        {QStringLiteral("jobs"),
         QJsonObject{
             {QStringLiteral("workers"), m_jobs->workerCount()},
             {QStringLiteral("busy_workers"), m_jobs->busyWorkerCount()},
             {QStringLiteral("mode"), m_settings.view().background.mode},
             {QStringLiteral("backend"), m_jobs->backendName()},
         }},
        {QStringLiteral("redis_queue"), redisQueueSummary()},
    };
}

QJsonObject LabServer::redisQueueSummary() const
{
    // The job queue's Redis (the cache's has its own section): whether it is set, answers, and
    // why not, in the words a 503 would use.
    const redis::RedisHealth health = m_jobs->redis().health();
    return QJsonObject{
        {QStringLiteral("configured"), health.configured},
        {QStringLiteral("used"), m_jobs->backendName() == QLatin1String("redis")},
        {QStringLiteral("up"), health.up},
        {QStringLiteral("address"), health.address},
        {QStringLiteral("reason"), health.reason},
        {QStringLiteral("stream"), QString::fromUtf8(m_jobs->redis().store().streamKey())},
        {QStringLiteral("workers"), m_jobs->redis().workerCount()},
    };
}

QJsonObject LabServer::cacheSummary() const
{
    const cache::CacheStats cache = m_cache.stats();
    const double lookups = double(cache.hits + cache.misses);
    QJsonObject summary{
        {QStringLiteral("backend"), QLatin1String(cache.backend)},
        {QStringLiteral("hits"), double(cache.hits)},
        {QStringLiteral("misses"), double(cache.misses)},
        {QStringLiteral("errors"), double(cache.errors)},
        {QStringLiteral("hit_rate"), lookups > 0 ? double(cache.hits) / lookups : 0.0},
    };
    if (cache.entries >= 0) { // figures only an in-process backend has
        summary.insert(QStringLiteral("entries"), double(cache.entries));
        summary.insert(QStringLiteral("max_entries"), double(cache.maxEntries));
        summary.insert(QStringLiteral("evicted_lru"), double(cache.evictedLru));
        summary.insert(QStringLiteral("evicted_expired"), double(cache.evictedExpired));
    }
    return summary;
}

QJsonObject LabServer::redisSummary() const
{
    // By role: the job queue's Redis may be another one.
    const redis::RedisHealth health = m_cacheRedis.health();
    return QJsonObject{{QStringLiteral("cache"), QJsonObject{
                                                     {QStringLiteral("configured"), health.configured},
                                                     {QStringLiteral("up"), health.up},
                                                     {QStringLiteral("address"), health.address},
                                                     {QStringLiteral("reason"), health.reason},
                                                     {QStringLiteral("in_use"), m_cache.usesRedis()},
                                                 }}};
}

QString LabServer::dataDir() const
{
    const QString dir = m_config.dataDir.isEmpty()
                            ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
                            : m_config.dataDir;
    QDir().mkpath(dir);
    return dir;
}

void LabServer::drain()
{
    m_server->drain();
}

} // namespace perflab::lab

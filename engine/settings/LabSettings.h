// The lab's live settings (docs/reference/settings.md) as a plain value, with the JSON schema that
// validates and (de)serializes it. Defaults follow the guide. Every field is described once in the
// field table (SettingsFields.h), from which validation, JSON output, the error messages and the
// desktop panels derive.
#pragma once

#include <QJsonObject>
#include <QString>

#include <optional>
#include <variant>

namespace perflab::settings {

struct CacheSettings
{
    bool enabled = true;
    QString backend = QStringLiteral("memory"); // memory | redis
    double ttlS = 300;
    int maxEntries = 10000;
    QString redisUrl; // the cache's own Redis; empty: redis.url
};

struct HttpCacheSettings
{
    bool enabled = true;
};

struct CompressionSettings
{
    bool enabled = true;
    int minSize = 1000;
    int level = 6;
};

struct ConcurrencySettings
{
    bool limitEnabled = true;
    int maxInFlight = 10;
    int queueSize = 100;
    double queueTimeoutS = 5.0;
};

struct BackgroundSettings
{
    QString mode = QStringLiteral("background"); // inline | background | queue
    int workers = 4;
    QString queueBackend = QStringLiteral("sqlite"); // sqlite | redis
};

struct RedisSettings
{
    QString url; // redis://host:port/db; empty: none
};

struct DatabaseSettings
{
    QString url = QStringLiteral("sqlite:");
    int poolSize = 20;
    int maxOverflow = 10;
    double poolTimeoutS = 30;
    double poolRecycleS = 1800;
    bool poolPrePing = true;
    double slowQueryMs = 500;
    // The demo dataset (guide chapter 4 needs rows enough for the differences to be real).
    // Read when the lab starts: a start with other figures than the stored dataset's
    // regenerates it; changing them live takes effect at the next start.
    int datasetUsers = 1'000'000;
    int datasetOrders = 3'000'000;
    int datasetSeed = 42;
};

struct SimulationSettings
{
    double ioScale = 1.0;
    double failureRate = 0.0;
};

struct ServerSettings
{
    int threads = 0;
    double keepAliveS = 5;
    int maxConnections = 10000;
    int maxBodyBytes = 1024 * 1024;
};

struct LabSettings
{
    CacheSettings cache;
    HttpCacheSettings httpCache;
    CompressionSettings compression;
    ConcurrencySettings concurrency;
    BackgroundSettings background;
    RedisSettings redis;
    DatabaseSettings database;
    SimulationSettings simulation;
    ServerSettings server;

    QJsonObject toJson() const;
    // The Redis the cache uses: cache.redis_url, else redis.url; empty when neither is set.
    QString cacheRedisUrl() const { return cache.redisUrl.isEmpty() ? redis.url : cache.redisUrl; }
};

struct SettingsError
{
    QString field; // dotted path, e.g. "cache.ttl_s"
    QString rule;  // what was expected, e.g. "a number >= 0"
    QString message() const { return field.isEmpty() ? rule : field + QStringLiteral(": ") + rule; }
};

// Applies a partial document (JSON merge: only the fields present change) to `base`.
// Unknown sections or fields, wrong types and out-of-range values are errors naming the
// field; on error nothing is applied.
std::variant<LabSettings, SettingsError> applyPatch(const LabSettings &base, const QJsonObject &patch);

// The fields of the settings document `wanted` whose values differ in `base`, as a partial
// document (only sections with such fields): applyPatch(base, it) gives `wanted` back. Used
// to undo a scenario's settings and to keep only what a user changed from the defaults.
QJsonObject changedFields(const QJsonObject &base, const QJsonObject &wanted);

} // namespace perflab::settings

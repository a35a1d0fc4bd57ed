// See SettingsFields.h. The one description of the settings.
#include "engine/settings/SettingsFields.h"

#include "engine/settings/LabSettings.h"

#include "engine/redis/RedisUrl.h"

#include <cmath>
#include <type_traits>

namespace perflab::settings {

namespace {

struct Describe
{
    QString label;
    QString unit;
    QString help;
    FieldEffect effect = FieldEffect::Live;
};

template <typename Section, typename T>
SettingField field(const char *section, const char *name, Section LabSettings::*sec, T Section::*member,
                   FieldType type, double min, double max, QStringList choices, Describe text)
{
    SettingField f;
    f.section = QString::fromLatin1(section);
    f.name = QString::fromLatin1(name);
    f.type = type;
    f.min = min;
    f.max = max;
    f.choices = std::move(choices);
    f.label = std::move(text.label);
    f.unit = std::move(text.unit);
    f.help = std::move(text.help);
    f.effect = text.effect;
    f.get = [sec, member](const LabSettings &s) { return QJsonValue(s.*sec.*member); };
    f.set = [sec, member](LabSettings &s, const QJsonValue &v) {
        if constexpr (std::is_same_v<T, bool>)
            s.*sec.*member = v.toBool();
        else if constexpr (std::is_same_v<T, int>)
            s.*sec.*member = int(v.toDouble());
        else if constexpr (std::is_same_v<T, double>)
            s.*sec.*member = v.toDouble();
        else
            s.*sec.*member = v.toString();
    };
    return f;
}

template <typename Section>
SettingField flag(const char *section, const char *name, Section LabSettings::*sec, bool Section::*member,
                  Describe text)
{
    return field(section, name, sec, member, FieldType::Bool, 0, 0, {}, std::move(text));
}

template <typename Section>
SettingField integer(const char *section, const char *name, Section LabSettings::*sec, int Section::*member,
                     double min, double max, Describe text)
{
    return field(section, name, sec, member, FieldType::Int, min, max, {}, std::move(text));
}

template <typename Section>
SettingField number(const char *section, const char *name, Section LabSettings::*sec, double Section::*member,
                    double min, double max, Describe text)
{
    return field(section, name, sec, member, FieldType::Double, min, max, {}, std::move(text));
}

template <typename Section>
SettingField text(const char *section, const char *name, Section LabSettings::*sec, QString Section::*member,
                  QStringList choices, Describe description)
{
    const FieldType type = choices.isEmpty() ? FieldType::String : FieldType::Choice;
    return field(section, name, sec, member, type, 0, 0, std::move(choices), std::move(description));
}

// Empty (none) or a Redis URL: the error says which part is wrong, never echoing a password.
SettingField redisUrl(SettingField f)
{
    f.checkText = [](const QString &value) -> std::optional<QString> {
        if (value.isEmpty())
            return std::nullopt;
        redis::RedisUrlResult parsed = redis::parseRedisUrl(value);
        if (parsed.url)
            return std::nullopt;
        return parsed.error;
    };
    return f;
}

QString numberText(double v)
{
    return QString::number(v, 'g', 12);
}

using L = LabSettings;
const auto S = [](const char *s) { return QString::fromUtf8(s); };

} // namespace

std::optional<QString> SettingField::check(const QJsonValue &v) const
{
    switch (type) {
    case FieldType::Bool:
        if (!v.isBool())
            return QStringLiteral("expected true or false");
        return std::nullopt;
    case FieldType::Int:
        if (!v.isDouble() || std::floor(v.toDouble()) != v.toDouble() || v.toDouble() < min ||
            v.toDouble() > max)
            return QStringLiteral("expected an integer from %1 to %2").arg(numberText(min), numberText(max));
        return std::nullopt;
    case FieldType::Double:
        if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() < min || v.toDouble() > max)
            return QStringLiteral("expected a number from %1 to %2").arg(numberText(min), numberText(max));
        return std::nullopt;
    case FieldType::String:
        if (!v.isString())
            return QStringLiteral("expected a string");
        if (checkText)
            return checkText(v.toString());
        return std::nullopt;
    case FieldType::Choice:
        if (!v.isString() || !choices.contains(v.toString()))
            return QStringLiteral("expected one of %1").arg(choices.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    return std::nullopt;
}

const std::vector<SettingsSection> &settingsSections()
{
    static const std::vector<SettingsSection> sections = {
        {S("cache"), S("Caching"), S("chapter 3"),
         S("Keeps the answer of GET /users/{id} in memory for its time to live, so a repeated read skips the "
           "database; PUT /users/{id} deletes the entry."),
         S("Watch the hit rate climb and the GETs' latency fall; evictions mean the cache is too small."),
         S("enabled")},
        {S("http_cache"), S("HTTP caching"), S("chapter 3"),
         S("Sends ETag and Cache-Control; a client that asks again with If-None-Match and the same tag gets "
           "304 Not Modified and no body."),
         S("Watch the 304 share and the bytes saved: the server still runs the handler, the network carries nothing."),
         S("enabled")},
        {S("compression"), S("Compression"), S("chapter 5"),
         S("gzips responses of at least the minimum size for clients that accept it; the level trades CPU for size."),
         S("Watch the bytes out fall and the ratio; small bodies are left alone, where gzip would cost more than it saves."),
         S("enabled")},
        {S("concurrency"), S("Concurrency limits"), S("chapter 5"),
         S("/limited runs at most the maximum in flight at once; /queued lets a bounded queue wait a bounded time "
           "for a place, then answers 503."),
         S("Watch in flight stay at the limit, the queue depth grow under load, and 503s once the queue is full."),
         S("limit_enabled")},
        {S("background"), S("Background tasks"), S("chapter 2"),
         S("inline runs the task before the response (the client pays for it), background runs it after the "
           "response, queue hands it to the durable job queue."),
         S("Watch /send-notification's latency: the task's time leaves the response outside inline mode."),
         QString()},
        {S("redis"), S("Redis"), S("chapters 2 and 3"),
         S("The lab's Redis, shared by every instance that points at it: the cache with the redis backend and the "
           "job queue with the redis backend live there, so several processes serve as one."),
         S("Watch whether Redis answers and how long its commands take; when it goes away the cache falls back "
           "to the database and jobs are refused, and both come back by themselves."),
         QString()},
        {S("database"), S("Database"), S("chapter 4"),
         S("A pool of connections, with overflow when busy; a request waits a bounded time for one, then 503. "
           "Statements slower than the threshold go to the slow-query log."),
         S("Watch the pool in use against its size, the waiters, slow queries per second and the queries' p99."),
         QString()},
        {S("simulation"), S("Simulation"), S("chapters 1 and 2"),
         S("The guide's routes wait on simulated I/O (a remote API, a mail server); the scale stretches or shrinks "
           "every such wait, and a share of them can fail."),
         S("Watch the latency of the I/O routes follow the scale; with failures, the error rate."),
         QString()},
        {S("server"), S("Server"), S("chapters 1 and 5"),
         S("The HTTP server itself: worker threads, keep-alive, and the limits that protect it."),
         S("Watch open connections and requests per second."), QString()},
    };
    return sections;
}

const std::vector<SettingField> &settingFields()
{
    const FieldEffect atStart = FieldEffect::NextStart;
    static const std::vector<SettingField> table = {
        flag("cache", "enabled", &L::cache, &CacheSettings::enabled,
             {S("Cache"), {}, S("Serve GET /users/{id} from the cache.")}),
        text("cache", "backend", &L::cache, &CacheSettings::backend, {S("memory"), S("redis")},
             {S("Backend"),
              {},
              S("memory: entries kept in this process; redis: one cache shared by every instance.")}),
        number("cache", "ttl_s", &L::cache, &CacheSettings::ttlS, 0, 86400 * 365,
               {S("Time to live"), S("s"),
                S("How long an entry is served before it is read from the database again.")}),
        integer("cache", "max_entries", &L::cache, &CacheSettings::maxEntries, 1, 100'000'000,
                {S("Max entries"), S("entries"),
                 S("When full, the least recently used entry goes (memory backend).")}),
        redisUrl(text("cache", "redis_url", &L::cache, &CacheSettings::redisUrl, {},
                      {S("Cache's Redis"),
                       {},
                       S("redis://host:port/db for the cache alone; empty: the lab's Redis (redis.url).")})),
        flag("http_cache", "enabled", &L::httpCache, &HttpCacheSettings::enabled,
             {S("ETag and 304"), {}, S("Send validators and answer a matching If-None-Match with 304.")}),
        flag("compression", "enabled", &L::compression, &CompressionSettings::enabled,
             {S("gzip"), {}, S("Compress responses for clients that accept gzip.")}),
        integer("compression", "min_size", &L::compression, &CompressionSettings::minSize, 0, 1 << 30,
                {S("Minimum size"), S("bytes"), S("Smaller bodies are sent as they are.")}),
        integer("compression", "level", &L::compression, &CompressionSettings::level, 1, 9,
                {S("Level"), {}, S("1 is the fastest, 9 the smallest.")}),
        flag("concurrency", "limit_enabled", &L::concurrency, &ConcurrencySettings::limitEnabled,
             {S("Limit"), {}, S("Apply the limit to /limited and the queue to /queued.")}),
        integer("concurrency", "max_in_flight", &L::concurrency, &ConcurrencySettings::maxInFlight, 1, 100000,
                {S("Max in flight"), S("requests"),
                 S("/limited runs at most this many at once; the others wait.")}),
        integer(
            "concurrency", "queue_size", &L::concurrency, &ConcurrencySettings::queueSize, 0, 1000000,
            {S("Queue size"), S("requests"), S("/queued: how many requests may hold or wait for a place.")}),
        number("concurrency", "queue_timeout_s", &L::concurrency, &ConcurrencySettings::queueTimeoutS, 0,
               3600, {S("Queue timeout"), S("s"), S("A request that found no place in this time gets 503.")}),
        text("background", "mode", &L::background, &BackgroundSettings::mode,
             {S("inline"), S("background"), S("queue")},
             {S("Mode"),
              {},
              S("inline: before the response; background: after it; queue: as a durable job.")}),
        integer("background", "workers", &L::background, &BackgroundSettings::workers, 1, 256,
                {S("Job workers"), S("workers"), S("Workers taking jobs from the durable queue.")}),
        text(
            "background", "queue_backend", &L::background, &BackgroundSettings::queueBackend,
            {S("sqlite"), S("redis")},
            {S("Queue backend"),
             {},
             S("sqlite: the lab's own file; redis: Redis Streams shared by every instance. New jobs go to the "
               "one chosen; jobs already queued in the other still run.")}),
        redisUrl(text(
            "redis", "url", &L::redis, &RedisSettings::url, {},
            {S("Redis URL"), {}, S("redis://[:password@]host:port/db; --redis sets it. Empty: no Redis.")})),
        integer("database", "pool_size", &L::database, &DatabaseSettings::poolSize, 1, 1000,
                {S("Pool size"), S("connections"), S("Connections kept open.")}),
        integer("database", "max_overflow", &L::database, &DatabaseSettings::maxOverflow, 0, 1000,
                {S("Max overflow"), S("connections"),
                 S("Extra connections opened when the pool is busy, closed when given back.")}),
        number(
            "database", "pool_timeout_s", &L::database, &DatabaseSettings::poolTimeoutS, 0, 3600,
            {S("Pool timeout"), S("s"), S("How long a request waits for a connection before it gets 503.")}),
        number("database", "pool_recycle_s", &L::database, &DatabaseSettings::poolRecycleS, 0, 86400 * 7,
               {S("Recycle after"), S("s"), S("A connection older than this is closed and opened again.")}),
        flag("database", "pool_pre_ping", &L::database, &DatabaseSettings::poolPrePing,
             {S("Pre-ping"), {}, S("Check a connection before a request uses it.")}),
        number("database", "slow_query_ms", &L::database, &DatabaseSettings::slowQueryMs, 0, 3'600'000,
               {S("Slow query"), S("ms"), S("Statements at least this long go to the slow-query log.")}),
        text("database", "url", &L::database, &DatabaseSettings::url, {},
             {S("Database URL"),
              {},
              S("sqlite: (the lab's file), sqlite:PATH or postgresql://user:pass@host:port/db."),
              atStart}),
        integer("database", "dataset_users", &L::database, &DatabaseSettings::datasetUsers, 0, 100'000'000,
                {S("Demo users"), S("rows"), S("Rows of the demo users table (made again when changed)."),
                 atStart}),
        integer("database", "dataset_orders", &L::database, &DatabaseSettings::datasetOrders, 0, 300'000'000,
                {S("Demo orders"), S("rows"), S("Rows of the demo orders table (made again when changed)."),
                 atStart}),
        integer("database", "dataset_seed", &L::database, &DatabaseSettings::datasetSeed, 0, 2'000'000'000,
                {S("Dataset random seed"), {}, S("The same seed makes the same demo rows."), atStart}),
        number("simulation", "io_scale", &L::simulation, &SimulationSettings::ioScale, 0, 100,
               {S("I/O time scale"), S("×"),
                S("Multiplies every simulated I/O wait; 1 is the guide's own times.")}),
        number("simulation", "failure_rate", &L::simulation, &SimulationSettings::failureRate, 0, 1,
               {S("Failure rate"), S("share"), S("Share of simulated calls that fail, from 0 to 1.")}),
        integer(
            "server", "threads", &L::server, &ServerSettings::threads, 0, 256,
            {S("Worker threads"), S("threads"), S("0: one per core. --threads, when given, wins."), atStart}),
        number("server", "keep_alive_s", &L::server, &ServerSettings::keepAliveS, 0.01, 3600,
               {S("Keep-alive"), S("s"), S("An idle connection is closed after this long.")}),
        integer("server", "max_connections", &L::server, &ServerSettings::maxConnections, 1, 1'000'000,
                {S("Max connections"), S("connections"),
                 S("Beyond this, a new connection gets 503 and is closed.")}),
        integer("server", "max_body_bytes", &L::server, &ServerSettings::maxBodyBytes, 0, 1 << 30,
                {S("Max body"), S("bytes"), S("A larger request body gets 413.")}),
    };
    return table;
}

const SettingField *findSettingField(const QString &section, const QString &name)
{
    for (const SettingField &f : settingFields()) {
        if (f.section == section && f.name == name)
            return &f;
    }
    return nullptr;
}

const SettingsSection *findSettingsSection(const QString &key)
{
    for (const SettingsSection &s : settingsSections()) {
        if (s.key == key)
            return &s;
    }
    return nullptr;
}

} // namespace perflab::settings

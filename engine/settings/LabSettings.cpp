// See LabSettings.h. The field table below is the single description of the settings.
#include "settings/LabSettings.h"

#include <QJsonArray>
#include <QStringList>

#include <cmath>
#include <functional>
#include <vector>

namespace perflab::settings {

namespace {

struct Field
{
    const char *section;
    const char *name;
    enum class Type { Bool, Int, Double, String, Enum } type;
    double min = 0;
    double max = 0;
    QStringList choices; // Enum
    std::function<QJsonValue(const LabSettings &)> get;
    std::function<void(LabSettings &, const QJsonValue &)> set;
};

template<typename Section, typename T>
Field field(const char *section, const char *name, Section LabSettings::*sec, T Section::*member,
            Field::Type type, double min = 0, double max = 0, QStringList choices = {})
{
    Field f{section, name, type, min, max, std::move(choices), {}, {}};
    f.get = [sec, member](const LabSettings &s) { return QJsonValue(s.*sec.*member); };
    f.set = [sec, member, type](LabSettings &s, const QJsonValue &v) {
        if constexpr (std::is_same_v<T, bool>)
            s.*sec.*member = v.toBool();
        else if constexpr (std::is_same_v<T, int>)
            s.*sec.*member = int(v.toDouble());
        else if constexpr (std::is_same_v<T, double>)
            s.*sec.*member = v.toDouble();
        else
            s.*sec.*member = v.toString();
        Q_UNUSED(type);
    };
    return f;
}

const std::vector<Field> &fields()
{
    using T = Field::Type;
    using L = LabSettings;
    static const std::vector<Field> table = {
        field("cache", "enabled", &L::cache, &CacheSettings::enabled, T::Bool),
        field("cache", "backend", &L::cache, &CacheSettings::backend, T::Enum, 0, 0, {QStringLiteral("memory"), QStringLiteral("redis")}),
        field("cache", "ttl_s", &L::cache, &CacheSettings::ttlS, T::Double, 0, 86400 * 365),
        field("cache", "max_entries", &L::cache, &CacheSettings::maxEntries, T::Int, 1, 100'000'000),
        field("cache", "redis_url", &L::cache, &CacheSettings::redisUrl, T::String),
        field("http_cache", "enabled", &L::httpCache, &HttpCacheSettings::enabled, T::Bool),
        field("compression", "enabled", &L::compression, &CompressionSettings::enabled, T::Bool),
        field("compression", "min_size", &L::compression, &CompressionSettings::minSize, T::Int, 0, 1 << 30),
        field("compression", "level", &L::compression, &CompressionSettings::level, T::Int, 1, 9),
        field("concurrency", "limit_enabled", &L::concurrency, &ConcurrencySettings::limitEnabled, T::Bool),
        field("concurrency", "max_in_flight", &L::concurrency, &ConcurrencySettings::maxInFlight, T::Int, 1, 100000),
        field("concurrency", "queue_size", &L::concurrency, &ConcurrencySettings::queueSize, T::Int, 0, 1000000),
        field("concurrency", "queue_timeout_s", &L::concurrency, &ConcurrencySettings::queueTimeoutS, T::Double, 0, 3600),
        field("background", "mode", &L::background, &BackgroundSettings::mode, T::Enum, 0, 0, {QStringLiteral("inline"), QStringLiteral("background"), QStringLiteral("queue")}),
        field("background", "workers", &L::background, &BackgroundSettings::workers, T::Int, 1, 256),
        field("database", "url", &L::database, &DatabaseSettings::url, T::String),
        field("database", "pool_size", &L::database, &DatabaseSettings::poolSize, T::Int, 1, 1000),
        field("database", "max_overflow", &L::database, &DatabaseSettings::maxOverflow, T::Int, 0, 1000),
        field("database", "pool_timeout_s", &L::database, &DatabaseSettings::poolTimeoutS, T::Double, 0, 3600),
        field("database", "pool_recycle_s", &L::database, &DatabaseSettings::poolRecycleS, T::Double, 0, 86400 * 7),
        field("database", "pool_pre_ping", &L::database, &DatabaseSettings::poolPrePing, T::Bool),
        field("database", "slow_query_ms", &L::database, &DatabaseSettings::slowQueryMs, T::Double, 0, 3'600'000),
        field("database", "dataset_users", &L::database, &DatabaseSettings::datasetUsers, T::Int, 0, 100'000'000),
        field("database", "dataset_orders", &L::database, &DatabaseSettings::datasetOrders, T::Int, 0, 300'000'000),
        field("database", "dataset_seed", &L::database, &DatabaseSettings::datasetSeed, T::Int, 0, 2'000'000'000),
        field("simulation", "io_scale", &L::simulation, &SimulationSettings::ioScale, T::Double, 0, 100),
        field("simulation", "failure_rate", &L::simulation, &SimulationSettings::failureRate, T::Double, 0, 1),
        field("server", "threads", &L::server, &ServerSettings::threads, T::Int, 0, 256),
        field("server", "keep_alive_s", &L::server, &ServerSettings::keepAliveS, T::Double, 0.01, 3600),
        field("server", "max_connections", &L::server, &ServerSettings::maxConnections, T::Int, 1, 1'000'000),
        field("server", "max_body_bytes", &L::server, &ServerSettings::maxBodyBytes, T::Int, 0, 1 << 30),
    };
    return table;
}

QString number(double v)
{
    return QString::number(v, 'g', 12);
}

std::optional<QString> checkValue(const Field &f, const QJsonValue &v)
{
    switch (f.type) {
    case Field::Type::Bool:
        if (!v.isBool())
            return QStringLiteral("expected true or false");
        return std::nullopt;
    case Field::Type::Int:
        if (!v.isDouble() || std::floor(v.toDouble()) != v.toDouble() || v.toDouble() < f.min || v.toDouble() > f.max)
            return QStringLiteral("expected an integer from %1 to %2").arg(number(f.min), number(f.max));
        return std::nullopt;
    case Field::Type::Double:
        if (!v.isDouble() || !std::isfinite(v.toDouble()) || v.toDouble() < f.min || v.toDouble() > f.max)
            return QStringLiteral("expected a number from %1 to %2").arg(number(f.min), number(f.max));
        return std::nullopt;
    case Field::Type::String:
        if (!v.isString())
            return QStringLiteral("expected a string");
        return std::nullopt;
    case Field::Type::Enum:
        if (!v.isString() || !f.choices.contains(v.toString()))
            return QStringLiteral("expected one of %1").arg(f.choices.join(QStringLiteral(", ")));
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace

QJsonObject LabSettings::toJson() const
{
    QJsonObject root;
    for (const Field &f : fields()) {
        const QString section = QString::fromLatin1(f.section);
        QJsonObject object = root.value(section).toObject();
        object.insert(QString::fromLatin1(f.name), f.get(*this));
        root.insert(section, object);
    }
    return root;
}

std::variant<LabSettings, SettingsError> applyPatch(const LabSettings &base, const QJsonObject &patch)
{
    LabSettings result = base;
    for (auto section = patch.begin(); section != patch.end(); ++section) {
        bool knownSection = false;
        for (const Field &f : fields())
            knownSection |= section.key() == QLatin1String(f.section);
        if (!knownSection)
            return SettingsError{section.key(), QStringLiteral("unknown section; expected one of cache, http_cache, compression, concurrency, background, database, simulation, server")};
        if (!section.value().isObject())
            return SettingsError{section.key(), QStringLiteral("expected an object")};
        const QJsonObject values = section.value().toObject();
        for (auto value = values.begin(); value != values.end(); ++value) {
            const QString path = section.key() + QLatin1Char('.') + value.key();
            const Field *match = nullptr;
            for (const Field &f : fields()) {
                if (section.key() == QLatin1String(f.section) && value.key() == QLatin1String(f.name))
                    match = &f;
            }
            if (!match)
                return SettingsError{path, QStringLiteral("unknown setting")};
            if (auto problem = checkValue(*match, value.value()))
                return SettingsError{path, *problem};
            match->set(result, value.value());
        }
    }
    return result;
}

QJsonObject changedFields(const QJsonObject &base, const QJsonObject &wanted)
{
    QJsonObject patch;
    for (auto section = wanted.begin(); section != wanted.end(); ++section) {
        const QJsonObject was = base.value(section.key()).toObject();
        const QJsonObject is = section.value().toObject();
        QJsonObject fields;
        for (auto field = is.begin(); field != is.end(); ++field)
            if (was.value(field.key()) != field.value())
                fields.insert(field.key(), field.value());
        if (!fields.isEmpty())
            patch.insert(section.key(), fields);
    }
    return patch;
}

} // namespace perflab::settings

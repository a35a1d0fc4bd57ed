// See RedisLab.h.
#include "RedisLab.h"

#include "SmallDataset.h"

#include "engine/metrics/Registry.h"
#include "engine/metrics/TimeSeriesStore.h"

#include <QCoro/QCoroTask>
#include <QJsonDocument>

namespace perflab::cache::test {

using perflab::test::RawResponse;

RedisLab::RedisLab(const RedisLabOptions &options)
{
    lab::LabServerConfig config;
    config.server.port = 0;
    config.server.threads = 2; // requests on worker threads, each with its own Redis connection
    config.dataDir = m_dataDir.path();
    config.warmUsers = options.warmUsers;
    settings::LabSettings &s = config.settings;
    s.database.url = QStringLiteral("sqlite:") + options.sqlitePath;
    s.database.datasetUsers = perflab::test::kSmallDatasetUsers;
    s.database.datasetOrders = perflab::test::kSmallDatasetOrders;
    s.cache.backend = options.backend;
    s.cache.redisUrl = options.cacheRedisUrl;
    s.cache.ttlS = options.ttlS;
    m_lab = std::make_unique<lab::LabServer>(config);
}

RedisLab::~RedisLab() = default;

QString RedisLab::start()
{
    const auto error = m_lab->start();
    return error ? error->message : QString();
}

RawResponse RedisLab::get(const QByteArray &target)
{
    return perflab::test::exchange(m_lab->port(), perflab::test::simpleGet(target));
}

RawResponse RedisLab::put(const QByteArray &target)
{
    return perflab::test::exchange(m_lab->port(), perflab::test::httpRequest("PUT", target, ""));
}

RawResponse RedisLab::patch(const QByteArray &json)
{
    return perflab::test::exchange(m_lab->port(),
                                   perflab::test::httpRequest("PATCH", "/admin/settings", json));
}

QJsonObject RedisLab::stats()
{
    return QJsonDocument::fromJson(get("/admin/stats").body).object();
}

std::uint64_t RedisLab::cacheRequests(const QString &backend, const QString &result) const
{
    return perflab::test::counterValue(m_lab->registry(), QStringLiteral("cache_requests_total"),
                                       {backend, result});
}

std::int64_t RedisLab::redisUp() const
{
    return perflab::test::gaugeValue(m_lab->registry(), QStringLiteral("redis_up"), {QStringLiteral("cache")})
        .value_or(-1);
}

QStringList RedisLab::redisEvents() const
{
    QStringList texts;
    for (const metrics::TimeSeriesEvent &event : m_lab->sampler().store()->events()) {
        if (event.kind == QLatin1String("redis"))
            texts.append(event.detail.value(QStringLiteral("text")).toString());
    }
    return texts;
}

RedisProbe::RedisProbe(const QString &url)
{
    m_client.setUrl(redis::parseRedisUrl(url).url);
}

redis::RedisReply RedisProbe::run(QList<QByteArray> args)
{
    return QCoro::waitFor(m_client.command(std::move(args)));
}

QByteArray userName(int id)
{
    return "User " + QByteArray::number(id);
}

} // namespace perflab::cache::test

// See RedisLab.h.
#include "RedisLab.h"

#include "SmallDataset.h"

#include "engine/metrics/Registry.h"
#include "engine/metrics/TimeSeriesStore.h"

#include <QCoro/QCoroTask>
#include <QJsonDocument>

namespace perflab::cache::test {

using perflab::test::RawHttpClient;
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

RawResponse RedisLab::send(const QByteArray &request)
{
    RawHttpClient client(m_lab->port());
    client.send(request);
    return client.readResponse().value_or(RawResponse{});
}

RawResponse RedisLab::get(const QByteArray &target)
{
    return send(perflab::test::simpleGet(target));
}

RawResponse RedisLab::put(const QByteArray &target)
{
    return send("PUT " + target + " HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n");
}

RawResponse RedisLab::patch(const QByteArray &json)
{
    return send(
        "PATCH /admin/settings HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: " +
        QByteArray::number(json.size()) + "\r\n\r\n" + json);
}

QJsonObject RedisLab::stats()
{
    return QJsonDocument::fromJson(get("/admin/stats").body).object();
}

std::uint64_t RedisLab::cacheRequests(const QString &backend, const QString &result) const
{
    const auto *family = dynamic_cast<const metrics::CounterFamily *>(
        m_lab->registry().find(QStringLiteral("cache_requests_total")));
    if (!family)
        return 0;
    for (const auto &entry : family->seriesList()) {
        if (entry.labelValues == QStringList{backend, result})
            return entry.series->value();
    }
    return 0;
}

std::int64_t RedisLab::redisUp() const
{
    const auto *family =
        dynamic_cast<const metrics::GaugeFamily *>(m_lab->registry().find(QStringLiteral("redis_up")));
    if (!family)
        return -1;
    for (const auto &entry : family->seriesList()) {
        if (entry.labelValues == QStringList{QStringLiteral("cache")})
            return entry.series->value();
    }
    return -1;
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

QByteArray fromDatabase(int id, const QByteArray &name)
{
    return R"({"source":"database","data":{"id":)" + QByteArray::number(id) + R"(,"name":")" + name + "\"}}";
}

QByteArray fromCache(int id, const QByteArray &name)
{
    return R"({"source":"cache","data":{"id":)" + QByteArray::number(id) + R"(,"name":")" + name + "\"}}";
}

QByteArray userName(int id)
{
    return "User " + QByteArray::number(id);
}

} // namespace perflab::cache::test

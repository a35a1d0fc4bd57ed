#include "engine/cluster/LocalCluster.h"

#include "engine/cluster/ChildProcess.h"
#include "engine/db/DatabaseUrl.h"
#include "engine/redis/RedisUrl.h"

#include <QThread>

#include <variant>

namespace perflab::cluster {

namespace {

QString maskedDatabaseUrl(const QString &url)
{
    const auto parsed = db::parseDatabaseUrl(url);
    if (const auto *ok = std::get_if<db::DatabaseUrl>(&parsed))
        return ok->masked();
    return QStringLiteral("(a database URL)");
}

QString maskedRedisUrl(const QString &url)
{
    const auto parsed = redis::parseRedisUrl(url);
    return parsed.url ? QStringLiteral("redis://%1").arg(parsed.url->address())
                      : QStringLiteral("(a Redis URL)");
}

} // namespace

LocalCluster::LocalCluster(ClusterConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config)),
      m_threads(m_config.threads > 0
                    ? m_config.threads
                    : std::max(1, QThread::idealThreadCount() / std::max(1, m_config.instances))),
      m_instances(InstanceConfig{m_config.program, m_config.folder, {}, {}, m_config.settingsFile, m_threads})
{
    connect(&m_instances, &LabInstances::instanceExited, this, &LocalCluster::instanceExited);
}

LocalCluster::~LocalCluster()
{
    stop();
}

void LocalCluster::say(const QString &line) const
{
    if (m_config.progress)
        m_config.progress(line);
}

QString LocalCluster::url() const
{
    const QString host =
        m_config.host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(m_config.host) : m_config.host;
    return QStringLiteral("http://%1:%2").arg(host).arg(m_config.port);
}

std::optional<QString> LocalCluster::start(const std::function<bool()> &stopRequested)
{
    if (auto error = startBackends())
        return error;
    return startMembers(stopRequested);
}

std::optional<QString> LocalCluster::startBackends()
{
    const auto fail = [this](const QString &why) {
        stop();
        return std::optional<QString>(why);
    };
    m_databaseUrl = m_config.databaseUrl;
    if (m_databaseUrl.isEmpty()) {
        say(QStringLiteral("starting PostgreSQL"));
        // Each instance's pool (20 + 10 overflow by default), and room for psql and friends.
        if (auto error = m_postgres.start(m_config.folder, 40 * m_config.instances + 20))
            return fail(*error);
        m_databaseUrl = m_postgres.url();
    }
    m_redisUrl = m_config.redisUrl;
    if (m_redisUrl.isEmpty()) {
        if (auto error = m_redis.start(m_config.folder + QStringLiteral("/redis")))
            return fail(*error);
        m_redisUrl = m_redis.url();
    }
    say(QStringLiteral("database %1%2, Redis %3%4")
            .arg(maskedDatabaseUrl(m_databaseUrl),
                 m_config.databaseUrl.isEmpty() ? QStringLiteral(" (started here)") : QString(),
                 maskedRedisUrl(m_redisUrl),
                 m_config.redisUrl.isEmpty() ? QStringLiteral(" (started here)") : QString()));
    m_instances.setBackends(m_databaseUrl, m_redisUrl);
    return std::nullopt;
}

void LocalCluster::addInProcessMember(const QString &url, quint16 port)
{
    m_inProcessUrls.append(url);
    m_inProcessPorts.append(port);
    say(QStringLiteral("instance %1 at %2 (this process)").arg(m_inProcessUrls.size()).arg(url));
}

std::optional<QString> LocalCluster::startMembers(const std::function<bool()> &stopRequested)
{
    const auto fail = [this](const QString &why) {
        stop();
        return std::optional<QString>(why);
    };
    for (int i = int(m_inProcessUrls.size()) + 1; i <= m_config.instances; ++i) {
        const QString name = QString::number(i);
        if (auto error = m_instances.startOne(name, stopRequested))
            return fail(*error);
        say(QStringLiteral("instance %1 at %2").arg(name, m_instances.urls().constLast()));
    }
    if (m_config.port == 0)
        m_config.port = freeLoopbackPort();
    const BalancerConfig balancer{m_config.folder + QStringLiteral("/nginx"), m_config.host, m_config.port,
                                  m_inProcessPorts + m_instances.ports()};
    if (auto error = m_nginx.start(balancer))
        return fail(*error);
    say(QStringLiteral("%1 instances of %2 threads behind nginx at %3 (config %4/nginx.conf)")
            .arg(m_config.instances)
            .arg(m_threads)
            .arg(url(), balancer.folder));
    return std::nullopt;
}

void LocalCluster::stop()
{
    m_nginx.stop();
    m_instances.stop();
    m_redis.stop();
    m_postgres.stop();
    // The in-process members are their owner's to stop; they are no longer members.
    m_inProcessUrls.clear();
    m_inProcessPorts.clear();
}

} // namespace perflab::cluster

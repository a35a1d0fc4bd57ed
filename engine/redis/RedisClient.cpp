#include "engine/redis/RedisClient.h"

#include "engine/metrics/Registry.h"

#include <QPointer>
#include <QThread>
#include <QTimer>

namespace perflab::redis {

namespace {

std::atomic<quint64> g_nextClientId{1};

// The last connection this thread asked for, so that a command finds it without the lock.
struct ThreadConnection
{
    quint64 clientId = 0;
    RedisConnection *connection = nullptr;
};
thread_local ThreadConnection t_connection;

} // namespace

RedisClient::RedisClient(metrics::Registry *registry, const QString &role, QObject *parent)
    : QObject(parent), m_id(g_nextClientId.fetch_add(1)), m_monitor(new QTimer(this))
{
    if (registry) {
        m_upGauge =
            registry
                ->gaugeFamily(QStringLiteral("redis_up"),
                              QStringLiteral("1 while the lab's Redis answers, 0 when it is unreachable "
                                             "or not configured"),
                              {QStringLiteral("role")})
                .withLabels({role});
        m_commandDuration =
            registry
                ->histogramFamily(QStringLiteral("redis_command_duration_seconds"),
                                  QStringLiteral("Time from sending a Redis command to its reply"),
                                  {QStringLiteral("role")})
                .withLabels({role});
    }
    connect(m_monitor, &QTimer::timeout, this, [this] { ping(); });
}

RedisClient::~RedisClient()
{
    std::lock_guard lock(m_mutex);
    for (RedisConnection *connection : std::as_const(m_connections)) {
        QObject::disconnect(connection, nullptr, this, nullptr);
        if (connection->thread() == QThread::currentThread())
            delete connection;
        else
            connection->deleteLater(); // on its own thread, whose notifiers it owns
    }
    m_connections.clear();
    m_reports.clear();
    if (t_connection.clientId == m_id)
        t_connection = {};
}

void RedisClient::setUrl(std::optional<RedisUrl> url)
{
    QList<RedisConnection *> connections;
    {
        std::lock_guard lock(m_mutex);
        if (url == m_url)
            return;
        m_url = url;
        m_configured = url.has_value();
        m_health = RedisHealth{url.has_value(), false, url ? url->address() : QString(),
                               url ? QStringLiteral("connecting to Redis at %1").arg(url->address())
                                   : QStringLiteral("no Redis configured (redis.url or --redis)")};
        if (url)
            connections = m_connections.values();
        m_reports.clear(); // what the connections said was about the old Redis
    }
    if (m_upGauge)
        m_upGauge->set(0);
    Q_EMIT healthChanged();
    // Outside the lock: a connection of this very thread is moved at once, and dropping its old
    // Redis reports a state change, which takes the lock. (That report is about the old address
    // and is ignored: see onConnectionState.)
    for (RedisConnection *connection : std::as_const(connections)) {
        const RedisUrl target = *url;
        QMetaObject::invokeMethod(connection, [connection, target] { connection->setUrl(target); });
    }
}

std::optional<RedisUrl> RedisClient::url() const
{
    std::lock_guard lock(m_mutex);
    return m_url;
}

RedisConnection &RedisClient::threadConnection()
{
    if (t_connection.clientId == m_id)
        return *t_connection.connection;
    std::unique_lock lock(m_mutex);
    QThread *thread = QThread::currentThread();
    RedisConnection *&connection = m_connections[thread];
    std::optional<RedisUrl> moveTo;
    if (!connection) {
        RedisConnectionOptions options;
        options.url = m_url.value_or(RedisUrl{});
        options.commandDuration = m_commandDuration;
        connection = new RedisConnection(std::move(options));
        connect(
            connection, &RedisConnection::stateChanged, this,
            [this, connection](bool up, const QString &reason) {
                onConnectionState(*connection, up, reason);
            },
            Qt::DirectConnection);
        if (thread != this->thread()) {
            // A worker thread's connection goes with the thread, while its event loop's notifiers
            // can still be deleted there.
            QPointer<RedisClient> client(this);
            connect(
                thread, &QThread::finished, connection,
                [client, thread, connection] {
                    if (client) {
                        std::lock_guard lock(client->m_mutex);
                        client->m_connections.remove(thread);
                        client->m_reports.remove(connection);
                    }
                    if (t_connection.connection == connection)
                        t_connection = {};
                    delete connection;
                },
                Qt::DirectConnection);
        }
    } else if (m_url && connection->url() != *m_url) {
        moveTo = m_url;
    }
    RedisConnection *found = connection;
    lock.unlock(); // moving reports a state change, which takes the lock
    if (moveTo)
        found->setUrl(*moveTo);
    t_connection = {m_id, found};
    return *found;
}

namespace {
QCoro::Task<RedisReply> notConfigured()
{
    co_return RedisReply::failed(QStringLiteral("no Redis configured (redis.url or --redis)"));
}
} // namespace

// Not a coroutine: the connection's task is handed on as it is (no frame of its own on the
// path every cache request takes).
QCoro::Task<RedisReply> RedisClient::command(QList<QByteArray> args)
{
    if (!m_configured.load(std::memory_order_relaxed))
        return notConfigured();
    return threadConnection().command(std::move(args));
}

RedisHealth RedisClient::health() const
{
    std::lock_guard lock(m_mutex);
    return m_health;
}

int RedisClient::connectionCount() const
{
    std::lock_guard lock(m_mutex);
    return int(m_connections.size());
}

void RedisClient::setMonitoring(bool on, std::chrono::milliseconds interval)
{
    QMetaObject::invokeMethod(this, [this, on, interval] {
        if (!on) {
            m_monitor->stop();
            return;
        }
        m_monitor->start(interval);
        ping();
    });
}

void RedisClient::onConnectionState(const RedisConnection &connection, bool up, const QString &reason)
{
    {
        std::lock_guard lock(m_mutex);
        // A connection not yet moved to the current address speaks of the old Redis (called on
        // the connection's own thread, the only one that changes its address).
        if (!m_url || connection.url() != *m_url)
            return;
        // Each thread sees Redis go and come on its own loop, some later than others (a busy
        // or blocked thread): a loss reported by a connection that was last up before Redis was
        // already seen back is that old outage, told late, and must not take the health down again.
        Report &report = m_reports[&connection];
        const bool stale = !up && report.lastUp && report.recoveriesSeen < m_recoveries;
        report.lastUp = up;
        if (up && !m_health.up)
            ++m_recoveries;
        report.recoveriesSeen = m_recoveries;
        if (stale || (m_health.up == up && m_health.reason == reason))
            return;
        m_health.up = up;
        m_health.reason = reason;
    }
    if (m_upGauge)
        m_upGauge->set(up ? 1 : 0);
    Q_EMIT healthChanged();
}

QCoro::Task<> RedisClient::ping()
{
    if (!m_configured.load(std::memory_order_relaxed))
        co_return;
    QList<QByteArray> args{QByteArray("PING")};
    co_await command(std::move(args));
}

} // namespace perflab::redis

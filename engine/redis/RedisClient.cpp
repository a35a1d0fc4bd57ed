#include "redis/RedisClient.h"

#include "metrics/Registry.h"

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
        m_upGauge = registry->gaugeFamily(QStringLiteral("redis_up"),
                                          QStringLiteral("1 while the lab's Redis answers, 0 when it is unreachable "
                                                         "or not configured"),
                                          {QStringLiteral("role")})
                        .withLabels({role});
        m_commandDuration = registry
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
    if (t_connection.clientId == m_id)
        t_connection = {};
}

void RedisClient::setUrl(std::optional<RedisUrl> url)
{
    {
        std::lock_guard lock(m_mutex);
        if (url == m_url)
            return;
        m_url = url;
        m_configured = url.has_value();
        m_health = RedisHealth{url.has_value(), false, url ? url->address() : QString(),
                               url ? QStringLiteral("connecting to Redis at %1").arg(url->address())
                                   : QStringLiteral("no Redis configured (redis.url or --redis)")};
        if (url) {
            for (RedisConnection *connection : std::as_const(m_connections)) {
                const RedisUrl target = *url;
                // Queued even on the connection's own thread: its setUrl() drops the link and
                // reports the state, which takes this lock again. A command issued meanwhile
                // moves its connection over by itself (threadConnection()).
                QMetaObject::invokeMethod(connection, [connection, target] { connection->setUrl(target); },
                                          Qt::QueuedConnection);
            }
        }
    }
    if (m_upGauge)
        m_upGauge->set(0);
    Q_EMIT healthChanged();
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
    std::lock_guard lock(m_mutex);
    QThread *thread = QThread::currentThread();
    RedisConnection *&connection = m_connections[thread];
    if (!connection) {
        RedisConnectionOptions options;
        options.url = m_url.value_or(RedisUrl{});
        options.commandDuration = m_commandDuration;
        connection = new RedisConnection(std::move(options));
        connect(connection, &RedisConnection::stateChanged, this, &RedisClient::onConnectionState,
                Qt::DirectConnection);
        if (thread != this->thread()) {
            // A worker thread's connection goes with the thread, while its event loop's notifiers
            // can still be deleted there.
            QPointer<RedisClient> client(this);
            connect(thread, &QThread::finished, connection, [client, thread, connection] {
                if (client) {
                    std::lock_guard lock(client->m_mutex);
                    client->m_connections.remove(thread);
                }
                if (t_connection.connection == connection)
                    t_connection = {};
                delete connection;
            }, Qt::DirectConnection);
        }
    } else if (m_url && connection->url() != *m_url) {
        connection->setUrl(*m_url);
    }
    t_connection = {m_id, connection};
    return *connection;
}

QCoro::Task<RedisReply> RedisClient::command(QList<QByteArray> args)
{
    if (!m_configured.load(std::memory_order_relaxed))
        co_return RedisReply::failed(QStringLiteral("no Redis configured (redis.url or --redis)"));
    co_return co_await threadConnection().command(std::move(args));
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

void RedisClient::onConnectionState(bool up, const QString &reason)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_health.up == up && m_health.reason == reason)
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

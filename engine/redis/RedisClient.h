// The lab's Redis, shared by the cache and the job queue: one RedisConnection per thread that
// uses it (each HTTP worker drives its own on its own event loop, so no command ever crosses a
// thread or takes a lock), the address from the settings (changed live), and one health figure
// for the panels, /admin/stats and the redis_up gauge.
#pragma once

#include "engine/redis/RedisConnection.h"
#include "engine/redis/RedisReply.h"
#include "engine/redis/RedisUrl.h"

#include <QCoro/QCoroTask>
#include <QHash>
#include <QObject>

#include <atomic>
#include <mutex>
#include <optional>

class QThread;
class QTimer;

namespace perflab::metrics {
class Gauge;
class HistogramSeries;
class Registry;
} // namespace perflab::metrics

namespace perflab::redis {

struct RedisHealth
{
    bool configured = false;
    bool up = false;
    QString address; // "127.0.0.1:6379", never the password
    QString reason;  // when down: "Redis unreachable: connection refused at 127.0.0.1:6379"
};

class RedisClient final : public QObject
{
    Q_OBJECT
public:
    // `registry` (may be null) gets redis_up{role} and redis_command_duration_seconds{role}, where
    // `role` says who uses this client ("cache", "queue"): each may point at another Redis.
    explicit RedisClient(metrics::Registry *registry, const QString &role = QStringLiteral("lab"),
                         QObject *parent = nullptr);
    ~RedisClient() override;

    // nullopt: no Redis (commands fail at once saying so). Any thread; connections follow.
    void setUrl(std::optional<RedisUrl> url);
    std::optional<RedisUrl> url() const;

    // On any thread with an event loop: the command on that thread's own connection.
    QCoro::Task<RedisReply> command(QList<QByteArray> args);

    RedisHealth health() const;
    // Threads that have a connection now (a worker thread's goes when the thread ends).
    int connectionCount() const;
    // While on, a connection of the client's own thread PINGs every `interval`, so that the
    // health follows Redis even when no request uses it (the panel shows it going and coming).
    void setMonitoring(bool on, std::chrono::milliseconds interval = std::chrono::seconds(1));

Q_SIGNALS:
    // Any change of health (up, down with its reason, address); emitted on the thread that saw it.
    void healthChanged();

private:
    RedisConnection &threadConnection();
    void onConnectionState(const RedisConnection &connection, bool up, const QString &reason);
    QCoro::Task<> ping();

    const quint64 m_id;
    metrics::Gauge *m_upGauge = nullptr;
    metrics::HistogramSeries *m_commandDuration = nullptr;
    QTimer *m_monitor = nullptr;
    std::atomic<bool> m_configured{false}; // m_url has a value; read without the lock
    mutable std::mutex m_mutex;            // guards what follows
    std::optional<RedisUrl> m_url;
    QHash<QThread *, RedisConnection *> m_connections;
    RedisHealth m_health;
    // What each connection said last, and how many times the health had come back up by then.
    struct Report
    {
        bool lastUp = false;
        quint64 recoveriesSeen = 0;
    };
    QHash<const RedisConnection *, Report> m_reports;
    quint64 m_recoveries = 0; // times the health went from down to up
};

} // namespace perflab::redis

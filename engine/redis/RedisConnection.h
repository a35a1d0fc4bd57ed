// One asynchronous connection to Redis, driven by the event loop of the thread it lives on
// (hiredis's async context on QSocketNotifiers): command() never blocks that thread, and
// commands issued before the replies come back share the socket (Redis pipelining).
//
// When Redis cannot be reached, or goes away, command() fails at once with the reason in words
// ("Redis unreachable: connection refused at 127.0.0.1:6379") instead of waiting, and the
// connection tries again by itself after a backoff (100 ms doubling up to 2 s), so a Redis
// that comes back is used again without anyone asking. A command Redis does not answer within
// the command timeout fails too and drops the connection (a stopped Redis must not hang the
// lab's requests).
#pragma once

#include "engine/redis/RedisReply.h"
#include "engine/redis/RedisUrl.h"

#include <QCoro/QCoroTask>
#include <QList>
#include <QObject>

#include <chrono>
#include <coroutine>
#include <deque>

struct redisAsyncContext;
class QTimer;

namespace perflab::metrics {
class HistogramSeries;
}

namespace perflab::redis {

struct RedisConnectionOptions
{
    RedisUrl url;
    std::chrono::milliseconds commandTimeout{1000};
    std::chrono::milliseconds minBackoff{100};
    std::chrono::milliseconds maxBackoff{2000};
    // redis_command_duration_seconds, recorded for every reply; may be null.
    metrics::HistogramSeries *commandDuration = nullptr;
};

class RedisConnection final : public QObject
{
    Q_OBJECT
public:
    explicit RedisConnection(RedisConnectionOptions options, QObject *parent = nullptr);
    ~RedisConnection() override; // commands still waiting resume with a failure

    // On this object's thread only. Resumes with Redis's reply, or a failed reply saying why.
    QCoro::Task<RedisReply> command(QList<QByteArray> args);

    // Points the connection at another Redis: the current one is dropped (its waiting commands
    // fail with "Redis address changed") and the next command connects to the new one.
    void setUrl(const RedisUrl &url);
    const RedisUrl &url() const { return m_options.url; }
    bool isUp() const { return m_up; }
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    // up: Redis answered since the connection was made (reason empty); down: why, in words.
    // Emitted on changes only.
    void stateChanged(bool up, const QString &reason);

private:
    struct Awaiter;
    friend struct Awaiter;

    bool ensureConnecting();
    bool send(Awaiter &awaiter, const QList<QByteArray> &args); // false: not sent, the reply says why
    // Frees the context; its waiting commands resume with `reason`.
    void drop(const QString &reason);
    void markUp();
    void markDown(const QString &reason);
    void scheduleReconnect();
    void checkTimeouts();
    QString lostReason(const redisAsyncContext &context) const;

    static void onConnect(const redisAsyncContext *context, int status);
    static void onDisconnect(const redisAsyncContext *context, int status);
    static void onReply(redisAsyncContext *context, void *reply, void *privdata);
    static void onHelloReply(redisAsyncContext *context, void *reply, void *privdata);

    RedisConnectionOptions m_options;
    redisAsyncContext *m_context = nullptr;
    QTimer *m_timeoutCheck = nullptr;
    QTimer *m_reconnect = nullptr;
    // When each command still waiting for its reply was sent (replies come in order).
    std::deque<std::chrono::steady_clock::time_point> m_sentAt;
    std::chrono::steady_clock::time_point m_nextAttempt{};
    std::chrono::milliseconds m_backoff{0};
    QString m_lastError;
    QString m_dropReason; // what waiting commands resume with while the context is freed
    bool m_up = false;
    bool m_destroying = false;
};

} // namespace perflab::redis

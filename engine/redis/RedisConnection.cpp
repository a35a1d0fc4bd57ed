#include "engine/redis/RedisConnection.h"

#include "engine/metrics/HistogramSeries.h"

#include <QSocketNotifier>
#include <QTimer>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <cerrno>
#include <cstring>

namespace perflab::redis {

namespace {

using Clock = std::chrono::steady_clock;

// The event-loop glue for one hiredis context, in place of hiredis's own adapters/qt.h: that
// one needs moc run on a system header and connects the Qt 5 signal activated(int), which Qt 6
// no longer has. One watcher per context (not per connection), so that a context hiredis frees
// later (inside its own callback) cleans up its own notifiers and never a newer context's.
class ContextWatcher
{
public:
    static void attach(redisAsyncContext *context, QObject *owner)
    {
        auto *watcher = new ContextWatcher(context, owner);
        context->ev.data = watcher;
        context->ev.addRead = [](void *data) { static_cast<ContextWatcher *>(data)->enable(true, true); };
        context->ev.delRead = [](void *data) { static_cast<ContextWatcher *>(data)->enable(true, false); };
        context->ev.addWrite = [](void *data) { static_cast<ContextWatcher *>(data)->enable(false, true); };
        context->ev.delWrite = [](void *data) { static_cast<ContextWatcher *>(data)->enable(false, false); };
        context->ev.cleanup = [](void *data) { delete static_cast<ContextWatcher *>(data); };
    }

    ~ContextWatcher()
    {
        // hiredis calls cleanup from inside a read or write handler: the notifier that is
        // emitting must not be deleted under its own feet.
        for (QSocketNotifier *notifier : {m_read, m_write}) {
            if (notifier) {
                notifier->setEnabled(false);
                notifier->deleteLater();
            }
        }
    }

private:
    ContextWatcher(redisAsyncContext *context, QObject *owner) : m_context(context), m_owner(owner) {}

    void enable(bool read, bool on)
    {
        QSocketNotifier *&notifier = read ? m_read : m_write;
        if (!notifier) {
            if (!on)
                return;
            notifier = new QSocketNotifier(m_context->c.fd,
                                           read ? QSocketNotifier::Read : QSocketNotifier::Write, m_owner);
            redisAsyncContext *context = m_context;
            if (read)
                QObject::connect(notifier, &QSocketNotifier::activated,
                                 [context] { redisAsyncHandleRead(context); });
            else
                QObject::connect(notifier, &QSocketNotifier::activated,
                                 [context] { redisAsyncHandleWrite(context); });
        }
        notifier->setEnabled(on);
    }

    redisAsyncContext *m_context;
    QObject *m_owner;
    QSocketNotifier *m_read = nullptr;
    QSocketNotifier *m_write = nullptr;
};

// hiredis's "Connection refused" as the middle of a sentence.
QString lowerFirst(const char *text)
{
    QString words = QString::fromLocal8Bit(text);
    if (!words.isEmpty())
        words[0] = words[0].toLower();
    return words;
}

} // namespace

struct RedisConnection::Awaiter
{
    RedisConnection &connection;
    const QList<QByteArray> &args;
    RedisReply reply;
    Clock::time_point sentAt;
    std::coroutine_handle<> waiting;

    bool await_ready()
    {
        if (connection.ensureConnecting())
            return false;
        reply = RedisReply::failed(connection.m_lastError);
        return true;
    }
    bool await_suspend(std::coroutine_handle<> handle)
    {
        waiting = handle;
        return connection.send(*this, args);
    }
    RedisReply await_resume() { return std::move(reply); }
};

RedisConnection::RedisConnection(RedisConnectionOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_timeoutCheck(new QTimer(this)),
      m_reconnect(new QTimer(this))
{
    m_timeoutCheck->setInterval(
        std::max<std::chrono::milliseconds>(m_options.commandTimeout / 4, std::chrono::milliseconds(10)));
    connect(m_timeoutCheck, &QTimer::timeout, this, &RedisConnection::checkTimeouts);
    m_reconnect->setSingleShot(true);
    connect(m_reconnect, &QTimer::timeout, this, [this] {
        // A PING, so that the state comes back to "up" without waiting for a user's command.
        // The timer says when the attempt is due: a timer that fires a little early (Qt's coarse
        // timers may) must not find the backoff still running and end the chain of retries.
        if (m_context)
            return;
        m_nextAttempt = {};
        if (ensureConnecting()) {
            m_sentAt.push_back(Clock::now());
            redisAsyncCommand(m_context, &RedisConnection::onHelloReply, nullptr, "PING");
        }
    });
}

RedisConnection::~RedisConnection()
{
    m_destroying = true;
    drop(QStringLiteral("Redis connection closed at %1").arg(m_options.url.address()));
}

QCoro::Task<RedisReply> RedisConnection::command(QList<QByteArray> args)
{
    // Named, not a temporary inside co_await (the README's GCC 12 rule).
    Awaiter awaiter{*this, args, {}, {}, {}};
    co_return co_await awaiter;
}

void RedisConnection::setUrl(const RedisUrl &url)
{
    if (url == m_options.url)
        return;
    drop(QStringLiteral("Redis address changed from %1 to %2").arg(m_options.url.address(), url.address()));
    m_options.url = url;
    m_backoff = std::chrono::milliseconds(0);
    m_nextAttempt = {};
    m_reconnect->stop();
}

bool RedisConnection::ensureConnecting()
{
    if (m_context)
        return true;
    if (m_destroying || Clock::now() < m_nextAttempt)
        return false;
    const RedisUrl &url = m_options.url;
    redisAsyncContext *context = redisAsyncConnect(url.host.toUtf8().constData(), url.port);
    if (!context) {
        markDown(QStringLiteral("Redis unreachable: out of memory at %1").arg(url.address()));
        return false;
    }
    if (context->err) {
        const QString reason =
            QStringLiteral("Redis unreachable: %1 at %2").arg(lowerFirst(context->errstr), url.address());
        redisAsyncFree(context);
        markDown(reason);
        return false;
    }
    context->data = this;
    ContextWatcher::attach(context, this);
    redisAsyncSetConnectCallback(context, &RedisConnection::onConnect);
    redisAsyncSetDisconnectCallback(context, &RedisConnection::onDisconnect);
    m_context = context;
    m_sentAt.clear();
    // Queued now, sent first once the socket connects: every later command runs authenticated
    // in the right database.
    if (!url.password.isEmpty()) {
        m_sentAt.push_back(Clock::now());
        const QByteArray password = url.password.toUtf8();
        if (url.user.isEmpty())
            redisAsyncCommand(context, &RedisConnection::onHelloReply, nullptr, "AUTH %b",
                              password.constData(), size_t(password.size()));
        else {
            const QByteArray user = url.user.toUtf8();
            redisAsyncCommand(context, &RedisConnection::onHelloReply, nullptr, "AUTH %b %b",
                              user.constData(), size_t(user.size()), password.constData(),
                              size_t(password.size()));
        }
    }
    if (url.db != 0) {
        m_sentAt.push_back(Clock::now());
        redisAsyncCommand(context, &RedisConnection::onHelloReply, nullptr, "SELECT %d", url.db);
    }
    m_timeoutCheck->start();
    return true;
}

bool RedisConnection::send(Awaiter &awaiter, const QList<QByteArray> &args)
{
    // hiredis wants C arrays; a command has a handful of arguments.
    constexpr int kInline = 16;
    const char *inlineArgv[kInline];
    size_t inlineLengths[kInline];
    std::vector<const char *> heapArgv;
    std::vector<size_t> heapLengths;
    const char **argv = inlineArgv;
    size_t *lengths = inlineLengths;
    if (args.size() > kInline) {
        heapArgv.resize(size_t(args.size()));
        heapLengths.resize(size_t(args.size()));
        argv = heapArgv.data();
        lengths = heapLengths.data();
    }
    for (qsizetype i = 0; i < args.size(); ++i) {
        argv[i] = args[i].constData();
        lengths[i] = size_t(args[i].size());
    }
    awaiter.sentAt = Clock::now();
    if (redisAsyncCommandArgv(m_context, &RedisConnection::onReply, &awaiter, int(args.size()), argv,
                              lengths) != REDIS_OK) {
        awaiter.reply =
            RedisReply::failed(QStringLiteral("Redis connection closing at %1").arg(m_options.url.address()));
        return false; // not suspended: the caller goes on with the failure
    }
    m_sentAt.push_back(awaiter.sentAt);
    return true;
}

void RedisConnection::drop(const QString &reason)
{
    m_timeoutCheck->stop();
    if (!m_context)
        return;
    redisAsyncContext *context = m_context;
    m_context = nullptr; // from here, callbacks of this context are not "the current one"
    m_dropReason = reason;
    m_sentAt.clear();
    // Down (and the backoff set) before the waiting commands resume: code they resume may issue
    // the next command at once, which must then fail fast rather than open a connection whose
    // bookkeeping this drop would wipe afterwards.
    markDown(reason);
    redisAsyncFree(context); // waiting commands resume now (or, inside a callback, once it returns)
}

void RedisConnection::markUp()
{
    if (m_up) // every reply comes here: nothing to do while up
        return;
    m_backoff = std::chrono::milliseconds(0);
    m_nextAttempt = {};
    m_up = true;
    m_lastError.clear();
    Q_EMIT stateChanged(true, QString());
}

void RedisConnection::markDown(const QString &reason)
{
    // A Redis that stays away fails every retry the same way: said once, not every 2 s.
    const bool changed = m_up || reason != m_lastError;
    m_up = false;
    m_lastError = reason;
    // A connection going away with its thread or its client says nothing about Redis.
    if (m_destroying)
        return;
    scheduleReconnect();
    if (changed)
        Q_EMIT stateChanged(false, reason);
}

void RedisConnection::scheduleReconnect()
{
    m_backoff = m_backoff.count() == 0 ? m_options.minBackoff : std::min(m_backoff * 2, m_options.maxBackoff);
    m_nextAttempt = Clock::now() + m_backoff;
    m_reconnect->start(m_backoff);
}

void RedisConnection::checkTimeouts()
{
    if (!m_context || m_sentAt.empty())
        return;
    if (Clock::now() - m_sentAt.front() > m_options.commandTimeout)
        drop(QStringLiteral("Redis did not answer within %1 ms at %2")
                 .arg(m_options.commandTimeout.count())
                 .arg(m_options.url.address()));
}

QString RedisConnection::lostReason(const redisAsyncContext &context) const
{
    const QString what =
        context.err ? lowerFirst(context.errstr) : QStringLiteral("the server closed the connection");
    return QStringLiteral("Redis connection lost: %1 at %2").arg(what, m_options.url.address());
}

void RedisConnection::onConnect(const redisAsyncContext *context, int status)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self || self->m_context != context)
        return;
    // Connected is not up yet: a stopped Redis still completes the TCP handshake (the kernel
    // does), so the first reply is what marks the connection up (markUp() in the reply callbacks).
    if (status == REDIS_OK)
        return;
    // hiredis frees the context after this returns; its queued commands then resume failed.
    self->m_context = nullptr;
    self->m_dropReason = QStringLiteral("Redis unreachable: %1 at %2")
                             .arg(lowerFirst(context->errstr), self->m_options.url.address());
    self->m_timeoutCheck->stop();
    self->markDown(self->m_dropReason);
}

void RedisConnection::onDisconnect(const redisAsyncContext *context, int)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (!self || self->m_context != context)
        return; // our own drop(), already accounted for
    self->m_context = nullptr;
    self->m_timeoutCheck->stop();
    self->m_sentAt.clear();
    self->markDown(self->lostReason(*context));
}

void RedisConnection::onReply(redisAsyncContext *context, void *reply, void *privdata)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    auto *awaiter = static_cast<Awaiter *>(privdata);
    if (self->m_context == context && !self->m_sentAt.empty())
        self->m_sentAt.pop_front();
    if (reply) {
        if (self->m_context == context)
            self->markUp();
        awaiter->reply = RedisReply::from(*static_cast<redisReply *>(reply));
        if (self->m_options.commandDuration)
            self->m_options.commandDuration->record(Clock::now() - awaiter->sentAt);
    } else {
        // No reply: the context is being freed, by us (drop) or because the link broke.
        awaiter->reply =
            RedisReply::failed(self->m_context == context ? self->lostReason(*context) : self->m_dropReason);
    }
    awaiter->waiting.resume();
}

void RedisConnection::onHelloReply(redisAsyncContext *context, void *reply, void *)
{
    auto *self = static_cast<RedisConnection *>(context->data);
    if (self->m_context != context)
        return;
    if (!self->m_sentAt.empty())
        self->m_sentAt.pop_front();
    const auto *r = static_cast<const redisReply *>(reply);
    if (r && r->type != REDIS_REPLY_ERROR)
        self->markUp();
    if (r && r->type == REDIS_REPLY_ERROR)
        self->drop(QStringLiteral("Redis refused the connection at %1: %2")
                       .arg(self->m_options.url.address(), QString::fromUtf8(r->str, qsizetype(r->len))));
}

} // namespace perflab::redis

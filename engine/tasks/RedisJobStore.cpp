// See RedisJobStore.h.
#include "engine/tasks/RedisJobStore.h"

#include "engine/redis/RedisClient.h"
#include "engine/redis/RedisConnection.h"
#include "engine/tasks/RedisJobScripts.h"

#include <QDateTime>
#include <QUuid>

namespace perflab::tasks {

namespace {

using redis::RedisReply;

QByteArray nowMs()
{
    return QByteArray::number(QDateTime::currentMSecsSinceEpoch());
}

QDateTime timeFrom(const QByteArray &ms)
{
    bool ok = false;
    const qint64 value = ms.toLongLong(&ok);
    return ok ? QDateTime::fromMSecsSinceEpoch(value, Qt::UTC) : QDateTime();
}

// An entry as XREADGROUP and XAUTOCLAIM send it: [entry id, [field, value, ...]].
std::optional<RedisJobEntry> entryFrom(const RedisReply &reply)
{
    if (reply.kind != RedisReply::Kind::Array || reply.elements.size() != 2 ||
        reply.elements[1].kind != RedisReply::Kind::Array)
        return std::nullopt; // an entry deleted while pending comes without its fields
    RedisJobEntry entry;
    entry.entryId = reply.elements[0].text;
    const auto &fields = reply.elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        const QByteArray &field = fields[i].text;
        const QByteArray &value = fields[i + 1].text;
        if (field == "id")
            entry.id = QString::fromUtf8(value);
        else if (field == "name")
            entry.name = QString::fromUtf8(value);
        else if (field == "payload")
            entry.payload = value;
        else if (field == "created_at")
            entry.createdAt = value;
    }
    if (entry.id.isEmpty())
        return std::nullopt;
    return entry;
}

RedisJobRead readFailure(const RedisReply &reply)
{
    RedisJobRead read;
    read.error = reply.failureText();
    read.noGroup = reply.kind == RedisReply::Kind::Error && reply.text.startsWith("NOGROUP");
    return read;
}

} // namespace

RedisJobStore::RedisJobStore(redis::RedisClient &client, RedisQueueConfig config, int maxAttempts)
    : m_client(client), m_config(std::move(config)), m_maxAttempts(maxAttempts)
{
}

QByteArray RedisJobStore::streamKey() const
{
    return '{' + m_config.keyPrefix + "}:stream";
}

QByteArray RedisJobStore::jobKey(const QString &id) const
{
    return '{' + m_config.keyPrefix + "}:job:" + id.toUtf8();
}

QCoro::Task<RedisReply> RedisJobStore::eval(const char *script, QList<QByteArray> keys,
                                            QList<QByteArray> args)
{
    QList<QByteArray> command{QByteArrayLiteral("EVAL"), QByteArray(script), QByteArray::number(keys.size())};
    command += keys;
    command += args;
    auto running = m_client.command(std::move(command));
    co_return co_await std::move(running);
}

QCoro::Task<EnqueueResult> RedisJobStore::enqueue(QString name, QJsonObject payload)
{
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QList<QByteArray> keys{streamKey(), jobKey(id)};
    QList<QByteArray> args{id.toUtf8(), name.toUtf8(), jsonText(payload).toUtf8(), nowMs(),
                           QByteArray::number(qint64(m_config.resultTtl.count()))};
    auto adding = eval(redisscripts::kEnqueue, std::move(keys), std::move(args));
    const RedisReply reply = co_await std::move(adding);
    if (reply.isFailure())
        co_return EnqueueResult{std::nullopt, reply.failureText()};
    co_return EnqueueResult{id, {}};
}

QCoro::Task<JobLookup> RedisJobStore::find(QString id)
{
    QList<QByteArray> command{QByteArrayLiteral("HGETALL"), jobKey(id)};
    auto reading = m_client.command(std::move(command));
    const RedisReply reply = co_await std::move(reading);
    JobLookup lookup;
    if (reply.isFailure() || reply.kind != RedisReply::Kind::Array) {
        lookup.storeFailed = true;
        lookup.error =
            reply.isFailure() ? reply.failureText() : QStringLiteral("Redis sent an unexpected reply");
        co_return lookup;
    }
    if (reply.elements.empty())
        co_return lookup; // unknown, or expired
    JobRecord job;
    job.id = id;
    for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
        const QByteArray &field = reply.elements[i].text;
        const QByteArray &value = reply.elements[i + 1].text;
        if (field == "name")
            job.name = QString::fromUtf8(value);
        else if (field == "payload")
            job.payload = jsonFromText(QString::fromUtf8(value)).toObject();
        else if (field == "status")
            job.status = statusFromName(QString::fromUtf8(value)).value_or(JobStatus::Pending);
        else if (field == "result")
            job.result = jsonFromText(QString::fromUtf8(value));
        else if (field == "attempts")
            job.attempts = value.toInt();
        else if (field == "created_at")
            job.createdAt = timeFrom(value);
        else if (field == "started_at")
            job.startedAt = timeFrom(value);
        else if (field == "finished_at")
            job.finishedAt = timeFrom(value);
    }
    lookup.job = std::move(job);
    co_return lookup;
}

QCoro::Task<std::optional<qint64>> RedisJobStore::depth()
{
    QList<QByteArray> keys{streamKey()};
    QList<QByteArray> args{m_config.group};
    auto measuring = eval(redisscripts::kDepth, std::move(keys), std::move(args));
    const RedisReply reply = co_await std::move(measuring);
    if (reply.kind != RedisReply::Kind::Integer)
        co_return std::nullopt;
    co_return qint64(reply.integer);
}

QCoro::Task<QString> RedisJobStore::ensureGroup()
{
    // From the stream's start, not "$": jobs added before the group existed are work too.
    QList<QByteArray> command{
        QByteArrayLiteral("XGROUP"), QByteArrayLiteral("CREATE"),  streamKey(), m_config.group,
        QByteArrayLiteral("0"),      QByteArrayLiteral("MKSTREAM")};
    auto creating = m_client.command(std::move(command));
    const RedisReply reply = co_await std::move(creating);
    if (reply.kind == RedisReply::Kind::Error && reply.text.startsWith("BUSYGROUP"))
        co_return QString(); // another worker or instance was first
    co_return reply.failureText();
}

QCoro::Task<RedisJobRead> RedisJobStore::readNew(redis::RedisConnection &reader, QByteArray consumer)
{
    QList<QByteArray> command{QByteArrayLiteral("XREADGROUP"),
                              QByteArrayLiteral("GROUP"),
                              m_config.group,
                              consumer,
                              QByteArrayLiteral("COUNT"),
                              QByteArrayLiteral("1"),
                              QByteArrayLiteral("BLOCK"),
                              QByteArray::number(qint64(m_config.block.count())),
                              QByteArrayLiteral("STREAMS"),
                              streamKey(),
                              QByteArrayLiteral(">")};
    auto reading = reader.command(std::move(command));
    const RedisReply reply = co_await std::move(reading);
    if (reply.isFailure())
        co_return readFailure(reply);
    RedisJobRead read;
    // [[stream, [entry]]], or nil when the block ended with nothing new.
    if (reply.kind == RedisReply::Kind::Array && !reply.elements.empty()) {
        const RedisReply &stream = reply.elements[0];
        if (stream.kind == RedisReply::Kind::Array && stream.elements.size() == 2 &&
            !stream.elements[1].elements.empty())
            read.entry = entryFrom(stream.elements[1].elements[0]);
    }
    co_return read;
}

QCoro::Task<RedisJobRead> RedisJobStore::reclaim(QByteArray consumer, QByteArray cursor)
{
    QList<QByteArray> command{QByteArrayLiteral("XAUTOCLAIM"),
                              streamKey(),
                              m_config.group,
                              consumer,
                              QByteArray::number(qint64(m_config.visibilityTimeout.count())),
                              cursor,
                              QByteArrayLiteral("COUNT"),
                              QByteArrayLiteral("1")};
    auto claiming = m_client.command(std::move(command));
    const RedisReply reply = co_await std::move(claiming);
    if (reply.isFailure())
        co_return readFailure(reply);
    RedisJobRead read;
    // [next cursor, [entries], [ids of entries deleted while pending]]
    if (reply.kind == RedisReply::Kind::Array && reply.elements.size() >= 2) {
        read.nextCursor = reply.elements[0].text;
        if (!reply.elements[1].elements.empty())
            read.entry = entryFrom(reply.elements[1].elements[0]);
    }
    if (read.nextCursor.isEmpty())
        read.nextCursor = "0-0";
    co_return read;
}

QCoro::Task<RedisJobStart> RedisJobStore::start(RedisJobEntry entry, QByteArray consumer, bool reclaimed)
{
    const QByteArray abandoned =
        jsonText(
            QJsonObject{
                {QStringLiteral("error"),
                 QStringLiteral("abandoned: %1 executions started and none finished").arg(m_maxAttempts)}})
            .toUtf8();
    QList<QByteArray> keys{streamKey(), jobKey(entry.id)};
    QList<QByteArray> args{m_config.group,
                           entry.entryId,
                           entry.id.toUtf8(),
                           entry.name.toUtf8(),
                           entry.payload,
                           entry.createdAt,
                           nowMs(),
                           consumer,
                           reclaimed ? QByteArrayLiteral("1") : QByteArrayLiteral("0"),
                           QByteArray::number(m_maxAttempts),
                           QByteArray::number(qint64(m_config.resultTtl.count())),
                           abandoned};
    auto starting = eval(redisscripts::kStart, std::move(keys), std::move(args));
    const RedisReply reply = co_await std::move(starting);
    RedisJobStart start;
    if (reply.isFailure()) {
        start.error = reply.failureText();
        co_return start;
    }
    if (reply.kind != RedisReply::Kind::Array || reply.elements.size() != 2) {
        start.error = QStringLiteral("Redis sent an unexpected reply to the start of job %1").arg(entry.id);
        co_return start;
    }
    start.run = reply.elements[0].integer == 1;
    start.attempt = int(reply.elements[1].integer);
    co_return start;
}

QCoro::Task<> RedisJobStore::renewClaim(QByteArray entryId, QByteArray consumer)
{
    // JUSTID: the delivery count stays as it is; only the idle time starts again.
    QList<QByteArray> command{
        QByteArrayLiteral("XCLAIM"), streamKey(), m_config.group, consumer, QByteArrayLiteral("0"), entryId,
        QByteArrayLiteral("JUSTID")};
    auto claiming = m_client.command(std::move(command));
    co_await std::move(claiming); // a failure is harmless: at worst the job runs again elsewhere
}

QCoro::Task<QString> RedisJobStore::finish(RedisJobEntry entry, JobOutcome outcome)
{
    QList<QByteArray> keys{streamKey(), jobKey(entry.id)};
    QList<QByteArray> args{m_config.group,
                           entry.entryId,
                           statusName(outcome.status).toUtf8(),
                           jsonText(outcome.result).toUtf8(),
                           nowMs(),
                           QByteArray::number(qint64(m_config.resultTtl.count()))};
    auto finishing = eval(redisscripts::kFinish, std::move(keys), std::move(args));
    const RedisReply reply = co_await std::move(finishing);
    co_return reply.failureText();
}

QCoro::Task<QString> RedisJobStore::requeue(RedisJobEntry entry)
{
    QList<QByteArray> keys{streamKey(), jobKey(entry.id)};
    QList<QByteArray> args{m_config.group,      entry.entryId, entry.id.toUtf8(),
                           entry.name.toUtf8(), entry.payload, entry.createdAt};
    auto requeueing = eval(redisscripts::kRequeue, std::move(keys), std::move(args));
    const RedisReply reply = co_await std::move(requeueing);
    co_return reply.failureText();
}

QCoro::Task<> RedisJobStore::removeConsumer(QByteArray consumer)
{
    QList<QByteArray> command{QByteArrayLiteral("XGROUP"), QByteArrayLiteral("DELCONSUMER"), streamKey(),
                              m_config.group, consumer};
    auto removing = m_client.command(std::move(command));
    co_await std::move(removing); // a consumer left behind is only untidy
}

} // namespace perflab::tasks

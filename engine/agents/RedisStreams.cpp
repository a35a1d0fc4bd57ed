// See RedisStreams.h.
#include "engine/agents/RedisStreams.h"

#include "engine/agents/AgentKeys.h"

namespace perflab::agents {

namespace {

// [[id, [field, value, ...]], ...]: entries that do not have this shape are skipped (a
// stream only ever holds this shape; anything else is not ours to interpret).
std::vector<StreamEntry> entriesOf(const redis::RedisReply &list)
{
    std::vector<StreamEntry> entries;
    for (const redis::RedisReply &item : list.elements) {
        if (item.kind != redis::RedisReply::Kind::Array || item.elements.size() != 2)
            continue;
        StreamEntry entry;
        entry.id = item.elements[0].text;
        const auto &pairs = item.elements[1].elements;
        for (std::size_t i = 0; i + 1 < pairs.size(); i += 2)
            entry.fields.insert(pairs[i].text, pairs[i + 1].text);
        entries.push_back(std::move(entry));
    }
    return entries;
}

} // namespace

QCoro::Task<QString> appendEntry(redis::RedisConnection &connection, QByteArray key, QByteArray field,
                                 QByteArray value, int maxLength)
{
    auto adding = connection.command({QByteArrayLiteral("XADD"), key, QByteArrayLiteral("MAXLEN"),
                                      QByteArrayLiteral("~"), QByteArray::number(maxLength),
                                      QByteArrayLiteral("*"), field, value});
    const redis::RedisReply added = co_await std::move(adding);
    if (added.isFailure())
        co_return added.failureText();
    auto expiring = connection.command({QByteArrayLiteral("EXPIRE"), key, QByteArray::number(kKeysExpireS)});
    const redis::RedisReply expired = co_await std::move(expiring);
    co_return expired.isFailure() ? expired.failureText() : QString();
}

QCoro::Task<StreamRead> readAfter(redis::RedisConnection &connection, QByteArray key, QByteArray afterId,
                                  std::chrono::milliseconds block, int count)
{
    auto reading =
        connection.command({QByteArrayLiteral("XREAD"), QByteArrayLiteral("COUNT"), QByteArray::number(count),
                            QByteArrayLiteral("BLOCK"), QByteArray::number(qint64(block.count())),
                            QByteArrayLiteral("STREAMS"), key, afterId});
    const redis::RedisReply reply = co_await std::move(reading);
    StreamRead read;
    if (reply.isFailure()) {
        read.error = reply.failureText();
        co_return read;
    }
    // [[key, entries]], or nil when the block ran out with nothing new.
    if (reply.kind == redis::RedisReply::Kind::Array && !reply.elements.empty() &&
        reply.elements[0].elements.size() == 2)
        read.entries = entriesOf(reply.elements[0].elements[1]);
    co_return read;
}

QCoro::Task<StreamRead> lastEntry(redis::RedisConnection &connection, QByteArray key)
{
    auto reading =
        connection.command({QByteArrayLiteral("XREVRANGE"), key, QByteArrayLiteral("+"),
                            QByteArrayLiteral("-"), QByteArrayLiteral("COUNT"), QByteArrayLiteral("1")});
    const redis::RedisReply reply = co_await std::move(reading);
    StreamRead read;
    if (reply.isFailure())
        read.error = reply.failureText();
    else
        read.entries = entriesOf(reply);
    co_return read;
}

} // namespace perflab::agents

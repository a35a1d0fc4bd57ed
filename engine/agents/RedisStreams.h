// The few Redis stream commands a distributed run uses, as coroutines on one RedisConnection:
// append an entry (and keep the key's expiry fresh), read entries after an id (blocking up to a
// bound), and the last entry of a stream. Replies are reduced to entries of field -> value.
#pragma once

#include "engine/redis/RedisConnection.h"

#include <QByteArray>
#include <QCoroTask>
#include <QHash>
#include <QString>

#include <chrono>
#include <optional>
#include <vector>

namespace perflab::agents {

struct StreamEntry
{
    QByteArray id;
    QHash<QByteArray, QByteArray> fields;
};

struct StreamRead
{
    std::vector<StreamEntry> entries;
    QString error; // "" when Redis answered (a blocking read that timed out has no entries)
};

// XADD key MAXLEN ~ maxLength * field value, then EXPIRE; "" or the failure in words.
QCoro::Task<QString> appendEntry(redis::RedisConnection &connection, QByteArray key, QByteArray field,
                                 QByteArray value, int maxLength = 100'000);
// XREAD COUNT count BLOCK block STREAMS key afterId. The connection's command timeout must
// exceed `block`.
QCoro::Task<StreamRead> readAfter(redis::RedisConnection &connection, QByteArray key, QByteArray afterId,
                                  std::chrono::milliseconds block, int count = 500);
// XREVRANGE key + - COUNT 1.
QCoro::Task<StreamRead> lastEntry(redis::RedisConnection &connection, QByteArray key);

} // namespace perflab::agents

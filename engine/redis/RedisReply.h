// One Redis reply as a value (hiredis frees its own reply when the callback returns), or the
// reason there is none: Redis unreachable, the connection lost before the reply, a timeout.
#pragma once

#include <QByteArray>
#include <QString>

#include <vector>

struct redisReply;

namespace perflab::redis {

struct RedisReply
{
    enum class Kind { Failed, Nil, Status, Error, Integer, String, Array };

    Kind kind = Kind::Failed;
    QByteArray text; // Status, Error (Redis's own message) and String
    long long integer = 0;
    std::vector<RedisReply> elements;
    QString failure; // Failed: why no reply came ("Redis unreachable: connection refused at …")

    static RedisReply failed(QString why);
    static RedisReply from(const redisReply &reply);

    // Failed or a Redis error: the command did not do what was asked.
    bool isFailure() const { return kind == Kind::Failed || kind == Kind::Error; }
    bool isNil() const { return kind == Kind::Nil; }
    // The reason of a failure in words, for logs and 503 details.
    QString failureText() const;
};

} // namespace perflab::redis

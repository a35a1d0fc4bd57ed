#include "engine/redis/RedisReply.h"

#include <hiredis/hiredis.h>

namespace perflab::redis {

RedisReply RedisReply::failed(QString why)
{
    RedisReply reply;
    reply.failure = std::move(why);
    return reply;
}

RedisReply RedisReply::from(const redisReply &reply)
{
    RedisReply out;
    switch (reply.type) {
    case REDIS_REPLY_NIL:
        out.kind = Kind::Nil;
        break;
    case REDIS_REPLY_STATUS:
        out.kind = Kind::Status;
        out.text = QByteArray(reply.str, qsizetype(reply.len));
        break;
    case REDIS_REPLY_ERROR:
        out.kind = Kind::Error;
        out.text = QByteArray(reply.str, qsizetype(reply.len));
        break;
    case REDIS_REPLY_INTEGER:
        out.kind = Kind::Integer;
        out.integer = reply.integer;
        break;
    case REDIS_REPLY_STRING:
        out.kind = Kind::String;
        out.text = QByteArray(reply.str, qsizetype(reply.len));
        break;
    case REDIS_REPLY_ARRAY:
        out.kind = Kind::Array;
        out.elements.reserve(reply.elements);
        for (size_t i = 0; i < reply.elements; ++i)
            out.elements.push_back(reply.element[i] ? from(*reply.element[i]) : RedisReply{Kind::Nil});
        break;
    default:
        out = failed(QStringLiteral("Redis sent a reply of unknown type %1").arg(reply.type));
    }
    return out;
}

QString RedisReply::failureText() const
{
    if (kind == Kind::Failed)
        return failure;
    if (kind == Kind::Error)
        return QStringLiteral("Redis answered: %1").arg(QString::fromUtf8(text));
    return QString();
}

} // namespace perflab::redis

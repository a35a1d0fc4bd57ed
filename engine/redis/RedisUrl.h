// Where the lab's Redis is: redis://[[user]:password@]host[:port][/db], as redis-cli, Celery and
// ARQ write it. Parsed once; a bad URL is an error that names the part that is wrong.
#pragma once

#include <QString>

#include <optional>

namespace perflab::redis {

struct RedisUrl
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString user;     // Redis 6 ACL user; empty: the default user
    QString password; // empty: no AUTH
    int db = 0;

    // "127.0.0.1:6379" (with "/db" when not 0): the address as messages name it, never the password.
    QString address() const;
    bool operator==(const RedisUrl &) const = default;
};

struct RedisUrlResult
{
    std::optional<RedisUrl> url;
    QString error; // when url is empty: "expected redis://host[:port][/db], got …"
};

RedisUrlResult parseRedisUrl(const QString &text);

} // namespace perflab::redis

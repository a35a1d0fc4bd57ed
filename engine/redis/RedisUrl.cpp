#include "engine/redis/RedisUrl.h"

#include <QUrl>

namespace perflab::redis {

QString RedisUrl::address() const
{
    QString text = host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]:%2").arg(host).arg(port)
                                                   : QStringLiteral("%1:%2").arg(host).arg(port);
    if (db != 0)
        text += QStringLiteral("/%1").arg(db);
    return text;
}

RedisUrlResult parseRedisUrl(const QString &text)
{
    const auto fail = [&](const QString &why) {
        // The text is not echoed whole: it may hold a password.
        return RedisUrlResult{std::nullopt, QStringLiteral("expected redis://host[:port][/db]: %1").arg(why)};
    };
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return fail(QStringLiteral("not a URL (%1)").arg(url.errorString()));
    if (url.scheme() != QLatin1String("redis"))
        return fail(QStringLiteral("the scheme is \"%1\", not \"redis\"").arg(url.scheme()));
    if (url.host().isEmpty())
        return fail(QStringLiteral("no host"));
    if (url.hasQuery() || url.hasFragment())
        return fail(QStringLiteral("a query or fragment is not understood"));
    RedisUrl parsed;
    parsed.host = url.host();
    const int port = url.port(6379);
    if (port <= 0 || port > 65535)
        return fail(QStringLiteral("port %1 is out of range").arg(port));
    parsed.port = quint16(port);
    parsed.user = url.userName();
    parsed.password = url.password();
    QString path = url.path();
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    if (!path.isEmpty()) {
        bool ok = false;
        parsed.db = path.toInt(&ok);
        if (!ok || parsed.db < 0)
            return fail(QStringLiteral("the database \"%1\" is not a database number").arg(path));
    }
    return {parsed, QString()};
}

} // namespace perflab::redis

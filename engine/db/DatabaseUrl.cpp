// Parsing database.url: see DatabaseUrl.h.
#include "engine/db/DatabaseUrl.h"

#include "engine/net/MaskedUrl.h"

#include <QDir>
#include <QStandardPaths>
#include <QUrl>

namespace perflab::db {

namespace {

const QString sqlitePrefix = QStringLiteral("sqlite:");

} // namespace

QString DatabaseUrl::masked() const
{
    return net::maskedUrl(original);
}

std::variant<DatabaseUrl, QString> parseDatabaseUrl(const QString &url)
{
    DatabaseUrl parsed;
    parsed.original = url;
    if (url.startsWith(sqlitePrefix) && !url.startsWith(QStringLiteral("sqlite://"))) {
        parsed.driver = QStringLiteral("QSQLITE");
        parsed.databaseName = url.mid(sqlitePrefix.size());
        if (parsed.databaseName.isEmpty()) {
            const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
            QDir().mkpath(folder);
            parsed.databaseName = folder + QStringLiteral("/perflab.sqlite");
        }
        return parsed;
    }
    const QUrl qurl(url, QUrl::StrictMode);
    const QString scheme = qurl.scheme();
    if (!qurl.isValid() || (scheme != QStringLiteral("postgresql") && scheme != QStringLiteral("postgres")))
        return QStringLiteral("unsupported database url %1: expected sqlite:PATH or "
                              "postgresql://user:pass@host:port/db")
            .arg(net::maskedUrl(url));
    parsed.driver = QStringLiteral("QPSQL");
    parsed.host = qurl.host(QUrl::FullyDecoded);
    parsed.port = qurl.port(5432);
    parsed.userName = qurl.userName(QUrl::FullyDecoded);
    parsed.password = qurl.password(QUrl::FullyDecoded);
    parsed.databaseName = qurl.path(QUrl::FullyDecoded).mid(1);
    if (parsed.host.isEmpty() || parsed.databaseName.isEmpty())
        return QStringLiteral("database url %1 needs a host and a database name").arg(net::maskedUrl(url));
    return parsed;
}

} // namespace perflab::db

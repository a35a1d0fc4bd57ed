// The setting database.url parsed into what QSqlDatabase needs: `sqlite:`, `sqlite:PATH` or
// `postgresql://user:pass@host:port/db`. The password never appears in masked().
#pragma once

#include <QString>

#include <variant>

namespace perflab::db {

struct DatabaseUrl
{
    QString driver;       // "QSQLITE" or "QPSQL"
    QString databaseName; // SQLite: the file path; PostgreSQL: the database
    QString host;
    int port = -1;
    QString userName;
    QString password;
    QString original;

    bool isSqlite() const { return driver == QStringLiteral("QSQLITE"); }
    // The URL as given, with the password replaced by "***" (net::maskedUrl): safe for logs and errors.
    QString masked() const;
};

// `sqlite:` alone means perflab.sqlite in the user's data folder. Errors name the problem
// and quote the URL masked.
std::variant<DatabaseUrl, QString> parseDatabaseUrl(const QString &url);

} // namespace perflab::db

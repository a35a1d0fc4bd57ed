// Parsing of perflab's command line (docs/reference/command-line.md). Each command gets its typed
// options or a one-line error naming the flag and what was expected (exit code 2).
#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

namespace perflab::app {

// When several apply, the most basic wins: bad input (nothing ran), then a runtime failure
// (nothing complete to judge), then a generator that was the limit (the figures are the
// generator's, so a threshold or claim judged on them says nothing about the server), then a
// failed threshold or claim.
enum ExitCode {
    ExitOk = 0,
    ExitThresholdFailed = 1,
    ExitBadInput = 2,
    ExitRuntimeFailure = 3,
    ExitGeneratorLimited = 4,
};

struct ServeOptions
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 8000;
    int threads = 0;
    QString dataDir;      // empty: the user's data folder (QStandardPaths::AppDataLocation)
    QString settingsFile; // partial settings (docs/reference/settings.md) applied over the defaults
    QString databaseUrl;  // --db: database.url, over the settings file's
    QString redisUrl;     // --redis: redis.url, and the cache and job queue on it
    QString instance;     // --instance: a cluster member's name (settings shared through Redis)
    QString adminToken;   // --admin-token, else PERFLAB_ADMIN_TOKEN: the /admin routes' token
};

struct ClusterOptions
{
    int instances = 0;                          // required
    QString host = QStringLiteral("127.0.0.1"); // nginx's address
    quint16 port = 8000;                        // nginx's port
    int threads = 0;                            // per instance; 0: the cores shared out among the instances
    QString dataDir;                            // empty: the user's data folder + /cluster
    QString settingsFile;
    QString databaseUrl; // empty: a PostgreSQL started here
    QString redisUrl;    // empty: a Redis started here
};

struct UsageError
{
    QString message;
};

QString usageText();
// An integer flag value in [min, max], else nullopt (the caller names the flag).
std::optional<long long> parseInteger(const QString &text, long long min, long long max);
// args excludes the program name and the command.
std::variant<ServeOptions, UsageError> parseServeOptions(const QStringList &args);
std::variant<ClusterOptions, UsageError> parseClusterOptions(const QStringList &args);

// The admin token of `serve` and `run`: the flag's value when given, else PERFLAB_ADMIN_TOKEN
// (which, unlike a flag, other users cannot read in the process list); empty when neither.
// `flag` is the flag's value or a null string; `command` prefixes the error.
std::variant<QString, UsageError> adminTokenFrom(const QString &command, const QString &flag);

} // namespace perflab::app

// See CommandLine.h.
#include "CommandLine.h"

#include "db/DatabaseUrl.h"
#include "lab/AdminToken.h"

namespace perflab::app {

namespace {
const QString adminTokenRule =
    QStringLiteral("expects 1 to 1024 characters of A-Z a-z 0-9 - . _ ~ + / (trailing '=' allowed)");
} // namespace

QString usageText()
{
    return QStringLiteral(
        "usage:\n"
        "  perflab serve [--host 127.0.0.1] [--port 8000] [--threads N] [--settings FILE.json] [--data-dir DIR]\n"
        "                [--db sqlite:PATH | postgresql://user:pass@host:port/db] [--admin-token TOKEN]\n"
        "      runs the lab server until SIGINT/SIGTERM, then drains and exits 0; bound to an address\n"
        "      other than loopback, /admin/* needs `Authorization: Bearer TOKEN` (printed when generated)\n"
        "  perflab load URL [-c CONNECTIONS] [-d DURATION] [-R RATE] [--timeout T] [--threads N] [--json]\n"
        "      an ad-hoc load test (closed loop, or open loop at -R requests/s); perflab load --help\n"
        "  perflab run SCENARIO.json|ID [--target URL] [--out DIR] [--scale F] [--threads N] [--data-dir DIR]\n"
        "              [--admin-token TOKEN]\n"
        "      runs a scenario's phases and writes the report folder (default ./perflab-report)\n"
        "  perflab scenarios\n"
        "      lists the built-in scenarios: id, name and description\n"
        "PERFLAB_ADMIN_TOKEN stands for --admin-token when the flag is not given\n"
        "exit codes: 0 success, 1 threshold failed, 2 bad input, 3 runtime failure\n");
}

std::optional<long long> parseInteger(const QString &text, long long min, long long max)
{
    bool ok = false;
    const long long value = text.toLongLong(&ok);
    if (!ok || value < min || value > max)
        return std::nullopt;
    return value;
}

std::variant<ServeOptions, UsageError> parseServeOptions(const QStringList &args)
{
    ServeOptions options;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &flag = args[i];
        auto value = [&]() -> std::optional<QString> {
            if (i + 1 >= args.size())
                return std::nullopt;
            return args[++i];
        };
        if (flag == QLatin1String("--host")) {
            auto v = value();
            if (!v || v->isEmpty())
                return UsageError{QStringLiteral("serve: --host expects an address, e.g. 127.0.0.1")};
            options.host = *v;
        } else if (flag == QLatin1String("--port")) {
            auto v = value();
            auto port = v ? parseInteger(*v, 0, 65535) : std::nullopt;
            if (!port)
                return UsageError{QStringLiteral("serve: --port expects an integer 0..65535, got '%1'").arg(v.value_or(QString()))};
            options.port = quint16(*port);
        } else if (flag == QLatin1String("--threads")) {
            auto v = value();
            auto threads = v ? parseInteger(*v, 0, 256) : std::nullopt;
            if (!threads)
                return UsageError{QStringLiteral("serve: --threads expects an integer 0..256 (0 = one per core), got '%1'").arg(v.value_or(QString()))};
            options.threads = int(*threads);
        } else if (flag == QLatin1String("--settings")) {
            auto v = value();
            if (!v || v->isEmpty())
                return UsageError{QStringLiteral("serve: --settings expects a JSON file of settings (SPEC §4)")};
            options.settingsFile = *v;
        } else if (flag == QLatin1String("--data-dir")) {
            auto v = value();
            if (!v || v->isEmpty())
                return UsageError{QStringLiteral("serve: --data-dir expects a folder for the lab's files (job queue, database)")};
            options.dataDir = *v;
        } else if (flag == QLatin1String("--db")) {
            auto v = value();
            if (!v || v->isEmpty())
                return UsageError{QStringLiteral("serve: --db expects sqlite:PATH or postgresql://user:pass@host:port/db")};
            if (auto parsed = db::parseDatabaseUrl(*v); auto *error = std::get_if<QString>(&parsed))
                return UsageError{QStringLiteral("serve: --db: %1").arg(*error)};
            options.databaseUrl = *v;
        } else if (flag == QLatin1String("--admin-token")) {
            options.adminToken = value().value_or(QString());
            if (!lab::isWellFormedAdminToken(options.adminToken))
                return UsageError{QStringLiteral("serve: --admin-token %1").arg(adminTokenRule)};
        } else {
            return UsageError{QStringLiteral("serve: unknown argument '%1'").arg(flag)};
        }
    }
    return options;
}

std::variant<QString, UsageError> adminTokenFrom(const QString &command, const QString &flag)
{
    if (!flag.isNull())
        return flag;
    const QString fromEnvironment = qEnvironmentVariable("PERFLAB_ADMIN_TOKEN");
    if (fromEnvironment.isEmpty())
        return QString();
    if (!lab::isWellFormedAdminToken(fromEnvironment))
        return UsageError{QStringLiteral("%1: PERFLAB_ADMIN_TOKEN %2").arg(command, adminTokenRule)};
    return fromEnvironment;
}

} // namespace perflab::app

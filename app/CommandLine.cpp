// See CommandLine.h.
#include "CommandLine.h"

#include "engine/db/DatabaseUrl.h"
#include "engine/lab/AdminToken.h"
#include "engine/redis/RedisUrl.h"

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
        "                [--db sqlite:PATH | postgresql://user:pass@host:port/db] [--redis redis://host:6379/0]\n"
        "                [--instance NAME] [--admin-token TOKEN]\n"
        "      runs the lab server until SIGINT/SIGTERM, then drains and exits 0; bound to an address\n"
        "      other than loopback, /admin/* needs `Authorization: Bearer TOKEN` (printed when generated)\n"
        "  perflab cluster --instances N [--host 127.0.0.1] [--port 8000] [--threads N] [--settings FILE.json]\n"
        "                  [--data-dir DIR] [--db postgresql://...] [--redis redis://...]\n"
        "      N lab instances behind nginx, sharing one PostgreSQL and one Redis (started here when not given)\n"
        "  perflab load URL [-c CONNECTIONS] [-d DURATION] [-R RATE] [--timeout T] [--threads N] [--json]\n"
        "      an ad-hoc load test (closed loop, or open loop at -R requests/s); perflab load --help\n"
        "  perflab run SCENARIO.json|ID [--target URL] [--out DIR] [--scale F] [--threads N] [--data-dir DIR]\n"
        "              [--admin-token TOKEN] [--control-port P] [--agents redis://host:6379/0 --agent-count N\n"
        "              [--require-all-agents] [--agent-wait-s S]]\n"
        "      runs a scenario's phases and writes the report folder (default ./perflab-report)\n"
        "      --control-port P: GET/PATCH http://127.0.0.1:P/load changes the rate or connections live (0: any port)\n"
        "      --agents: N `perflab agent` processes send the load, each its share\n"
        "  perflab agent --redis redis://host:6379/0 [--name NAME] [--threads N]\n"
        "      a load agent: waits in Redis for `perflab run --agents` runs and sends its share of each\n"
        "  perflab knee URL|SCENARIO [--start-rate R] [--max-rate R] [--factor F | --step-rate R] [--refine N]\n"
        "               [--step-s S] [--warmup-s S] [--p99-ms B] [-c CONNECTIONS] [--json] [--out DIR]\n"
        "      finds the highest open-loop rate the target sustains and writes ./perflab-knee; perflab knee --help\n"
        "      (--concurrency-sweep: a closed-loop sweep fitted to the Universal Scalability Law)\n"
        "  perflab scenarios\n"
        "      lists the built-in scenarios: id, name and description\n"
        "  perflab compare RUN_A RUN_B [--max-regression p99=10%,rps=5%,error_rate=0.5pp] [--json] [--out DIR]\n"
        "      two saved report folders side by side per phase and route; with --max-regression, exit 1\n"
        "      when B is worse than A by more than a limit; --out writes comparison.html/.json/.pdf and charts\n"
        "PERFLAB_ADMIN_TOKEN stands for --admin-token when the flag is not given\n"
        "exit codes: 0 success, 1 threshold or claim failed, a compare regression, or knee: not even\n"
        "            --start-rate sustained, 2 bad input, 3 runtime failure,\n"
        "            4 the load generator was the limit (load, run; wins over 1)\n");
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
                return UsageError{QStringLiteral("serve: --port expects an integer 0..65535, got '%1'")
                                      .arg(v.value_or(QString()))};
            options.port = quint16(*port);
        } else if (flag == QLatin1String("--threads")) {
            auto v = value();
            auto threads = v ? parseInteger(*v, 0, 256) : std::nullopt;
            if (!threads)
                return UsageError{
                    QStringLiteral("serve: --threads expects an integer 0..256 (0 = one per core), got '%1'")
                        .arg(v.value_or(QString()))};
            options.threads = int(*threads);
        } else if (flag == QLatin1String("--settings")) {
            auto v = value();
            if (!v || v->isEmpty())
                return UsageError{QStringLiteral("serve: --settings expects a JSON file of settings")};
            options.settingsFile = *v;
        } else if (flag == QLatin1String("--data-dir")) {
            auto v = value();
            if (!v || v->isEmpty())
                return UsageError{QStringLiteral(
                    "serve: --data-dir expects a folder for the lab's files (job queue, database)")};
            options.dataDir = *v;
        } else if (flag == QLatin1String("--db")) {
            auto v = value();
            if (!v || v->isEmpty())
                return UsageError{
                    QStringLiteral("serve: --db expects sqlite:PATH or postgresql://user:pass@host:port/db")};
            if (auto parsed = db::parseDatabaseUrl(*v); auto *error = std::get_if<QString>(&parsed))
                return UsageError{QStringLiteral("serve: --db: %1").arg(*error)};
            options.databaseUrl = *v;
        } else if (flag == QLatin1String("--redis")) {
            auto v = value();
            if (!v || v->isEmpty())
                return UsageError{QStringLiteral("serve: --redis expects redis://host[:port][/db]")};
            if (const redis::RedisUrlResult parsed = redis::parseRedisUrl(*v); !parsed.url)
                return UsageError{QStringLiteral("serve: --redis: %1").arg(parsed.error)};
            options.redisUrl = *v;
        } else if (flag == QLatin1String("--instance")) {
            auto v = value();
            if (!v || v->isEmpty())
                return UsageError{
                    QStringLiteral("serve: --instance expects a name for this member of a cluster, e.g. 2")};
            options.instance = *v;
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

std::variant<ClusterOptions, UsageError> parseClusterOptions(const QStringList &args)
{
    ClusterOptions options;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &flag = args[i];
        auto value = [&]() -> std::optional<QString> {
            if (i + 1 >= args.size())
                return std::nullopt;
            return args[++i];
        };
        if (flag == QLatin1String("--instances")) {
            auto v = value();
            auto count = v ? parseInteger(*v, 1, 64) : std::nullopt;
            if (!count)
                return UsageError{QStringLiteral("cluster: --instances expects an integer 1..64, got '%1'")
                                      .arg(v.value_or(QString()))};
            options.instances = int(*count);
        } else if (flag == QLatin1String("--host")) {
            auto v = value();
            if (!v || v->isEmpty())
                return UsageError{
                    QStringLiteral("cluster: --host expects the balancer's address, e.g. 127.0.0.1")};
            options.host = *v;
        } else if (flag == QLatin1String("--port")) {
            auto v = value();
            auto port = v ? parseInteger(*v, 1, 65535) : std::nullopt;
            if (!port)
                return UsageError{QStringLiteral("cluster: --port expects an integer 1..65535, got '%1'")
                                      .arg(v.value_or(QString()))};
            options.port = quint16(*port);
        } else if (flag == QLatin1String("--threads")) {
            auto v = value();
            auto threads = v ? parseInteger(*v, 0, 256) : std::nullopt;
            if (!threads)
                return UsageError{
                    QStringLiteral(
                        "cluster: --threads expects an integer 0..256 per instance (0 = the cores shared out), got '%1'")
                        .arg(v.value_or(QString()))};
            options.threads = int(*threads);
        } else if (flag == QLatin1String("--settings")) {
            auto v = value();
            if (!v || v->isEmpty())
                return UsageError{QStringLiteral("cluster: --settings expects a JSON file of settings")};
            options.settingsFile = *v;
        } else if (flag == QLatin1String("--data-dir")) {
            auto v = value();
            if (!v || v->isEmpty())
                return UsageError{
                    QStringLiteral("cluster: --data-dir expects a folder for the cluster's files")};
            options.dataDir = *v;
        } else if (flag == QLatin1String("--db")) {
            auto v = value();
            if (!v || !v->startsWith(QLatin1String("postgresql://")))
                return UsageError{QStringLiteral(
                    "cluster: --db expects postgresql://user:pass@host:port/db (instances cannot share a SQLite file)")};
            if (auto parsed = db::parseDatabaseUrl(*v); auto *error = std::get_if<QString>(&parsed))
                return UsageError{QStringLiteral("cluster: --db: %1").arg(*error)};
            options.databaseUrl = *v;
        } else if (flag == QLatin1String("--redis")) {
            auto v = value();
            if (!v || v->isEmpty())
                return UsageError{QStringLiteral("cluster: --redis expects redis://host[:port][/db]")};
            if (const redis::RedisUrlResult parsed = redis::parseRedisUrl(*v); !parsed.url)
                return UsageError{QStringLiteral("cluster: --redis: %1").arg(parsed.error)};
            options.redisUrl = *v;
        } else {
            return UsageError{QStringLiteral("cluster: unknown argument '%1'").arg(flag)};
        }
    }
    if (options.instances == 0)
        return UsageError{
            QStringLiteral("cluster: --instances N is required (how many lab instances, 1..64)")};
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

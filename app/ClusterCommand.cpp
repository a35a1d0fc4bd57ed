// See ClusterCommand.h. Start order: the backends (PostgreSQL, Redis), the first instance alone
// (it makes the demo dataset if the database has none, which the others then find ready), the
// other instances, nginx last, so that the balancer never sends a request to nobody.
#include "ClusterCommand.h"

#include "SignalWatcher.h"
#include "cluster/LabInstances.h"
#include "cluster/LocalPostgres.h"
#include "cluster/LocalRedis.h"
#include "cluster/NginxBalancer.h"
#include "db/DatabaseUrl.h"
#include "redis/RedisUrl.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>
#include <QThread>

#include <cstdio>
#include <variant>

namespace perflab::app {

namespace {

void say(const QString &line)
{
    std::fprintf(stderr, "perflab cluster: %s\n", qPrintable(line));
    std::fflush(stderr);
}

QString maskedDatabaseUrl(const QString &url)
{
    const auto parsed = db::parseDatabaseUrl(url);
    if (const auto *ok = std::get_if<db::DatabaseUrl>(&parsed))
        return ok->masked();
    return QStringLiteral("(a database URL)");
}

QString maskedRedisUrl(const QString &url)
{
    const auto parsed = redis::parseRedisUrl(url);
    return parsed.url ? QStringLiteral("redis://%1").arg(parsed.url->address()) : QStringLiteral("(a Redis URL)");
}

} // namespace

int runCluster(const ClusterOptions &options)
{
    SignalWatcher signals;
    bool stopRequested = false;
    QObject::connect(&signals, &SignalWatcher::terminationRequested, [&stopRequested](int) { stopRequested = true; });

    const QString folder = options.dataDir.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/cluster")
        : QDir(options.dataDir).absolutePath();
    if (!QDir().mkpath(folder)) {
        say(QStringLiteral("cannot make the folder %1").arg(folder));
        return ExitRuntimeFailure;
    }
    const int threads = options.threads > 0 ? options.threads
                                            : std::max(1, QThread::idealThreadCount() / options.instances);

    cluster::LocalPostgres postgres;
    QString databaseUrl = options.databaseUrl;
    if (databaseUrl.isEmpty()) {
        say(QStringLiteral("starting PostgreSQL"));
        // Each instance's pool: 20 + 10 overflow by default, and room for psql and friends.
        if (auto error = postgres.start(folder, 40 * options.instances + 20)) {
            say(*error);
            return ExitRuntimeFailure;
        }
        databaseUrl = postgres.url();
    }
    cluster::LocalRedis redis;
    QString redisUrl = options.redisUrl;
    if (redisUrl.isEmpty()) {
        if (auto error = redis.start(folder + QStringLiteral("/redis"))) {
            say(*error);
            return ExitRuntimeFailure;
        }
        redisUrl = redis.url();
    }
    say(QStringLiteral("database %1%2, Redis %3%4")
            .arg(maskedDatabaseUrl(databaseUrl), options.databaseUrl.isEmpty() ? QStringLiteral(" (started here)") : QString(),
                 maskedRedisUrl(redisUrl), options.redisUrl.isEmpty() ? QStringLiteral(" (started here)") : QString()));

    cluster::LabInstances instances(cluster::InstanceConfig{QCoreApplication::applicationFilePath(), folder, databaseUrl,
                                                            redisUrl, options.settingsFile, threads});
    for (int i = 1; i <= options.instances; ++i) {
        const QString name = QString::number(i);
        if (auto error = instances.startOne(name, [&stopRequested] { return stopRequested; })) {
            say(*error);
            return stopRequested ? ExitOk : ExitRuntimeFailure;
        }
        say(QStringLiteral("instance %1 at %2").arg(name, instances.urls().constLast()));
    }

    cluster::NginxBalancer nginx;
    const cluster::BalancerConfig balancer{folder + QStringLiteral("/nginx"), options.host, options.port, instances.ports()};
    if (auto error = nginx.start(balancer)) {
        say(*error);
        return ExitRuntimeFailure;
    }
    const QString host = options.host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(options.host) : options.host;
    // The balancer's URL comes first on stdout, as serve's does, so that scripts can read it.
    std::printf("http://%s:%d\n", qPrintable(host), options.port);
    std::fflush(stdout);
    say(QStringLiteral("%1 instances of %2 threads behind nginx (config %3/nginx.conf); Ctrl+C stops them all")
            .arg(options.instances)
            .arg(threads)
            .arg(balancer.folder));

    QObject::connect(&instances, &cluster::LabInstances::instanceExited, [](const QString &name, int code) {
        say(QStringLiteral("instance %1 exited with code %2; nginx sends its share to the others").arg(name).arg(code));
    });
    QObject::connect(&signals, &SignalWatcher::terminationRequested, qApp, [](int) { QCoreApplication::exit(ExitOk); });
    if (!stopRequested)
        QCoreApplication::exec();

    say(QStringLiteral("stopping: nginx, then the instances (each drains its requests), then the backends started here"));
    nginx.stop();
    instances.stop();
    redis.stop();
    postgres.stop();
    return ExitOk;
}

} // namespace perflab::app

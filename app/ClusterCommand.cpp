// See ClusterCommand.h; the cluster itself is engine/cluster/LocalCluster.
#include "ClusterCommand.h"

#include "SignalWatcher.h"
#include "engine/cluster/LocalCluster.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>

#include <cstdio>

namespace perflab::app {

namespace {

void say(const QString &line)
{
    std::fprintf(stderr, "perflab cluster: %s\n", qPrintable(line));
    std::fflush(stderr);
}

} // namespace

int runCluster(const ClusterOptions &options)
{
    SignalWatcher signals;
    bool stopRequested = false;
    QObject::connect(&signals, &SignalWatcher::terminationRequested,
                     [&stopRequested](int) { stopRequested = true; });

    const QString folder =
        options.dataDir.isEmpty()
            ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/cluster")
            : QDir(options.dataDir).absolutePath();
    if (!QDir().mkpath(folder)) {
        say(QStringLiteral("cannot make the folder %1").arg(folder));
        return ExitRuntimeFailure;
    }
    cluster::ClusterConfig config;
    config.instances = options.instances;
    config.host = options.host;
    config.port = options.port;
    config.threads = options.threads;
    config.folder = folder;
    config.settingsFile = options.settingsFile;
    config.databaseUrl = options.databaseUrl;
    config.redisUrl = options.redisUrl;
    config.program = QCoreApplication::applicationFilePath();
    config.progress = say;
    cluster::LocalCluster cluster(config);
    if (auto error = cluster.start([&stopRequested] { return stopRequested; })) {
        say(*error);
        return stopRequested ? ExitOk : ExitRuntimeFailure;
    }
    // The balancer's URL comes first on stdout, as serve's does, so that scripts can read it.
    std::printf("%s\n", qPrintable(cluster.url()));
    std::fflush(stdout);
    say(QStringLiteral("Ctrl+C stops them all"));
    QObject::connect(&cluster, &cluster::LocalCluster::instanceExited, [](const QString &name, int code) {
        say(QStringLiteral("instance %1 exited with code %2; nginx sends its share to the others")
                .arg(name)
                .arg(code));
    });
    QObject::connect(&signals, &SignalWatcher::terminationRequested, qApp,
                     [](int) { QCoreApplication::exit(ExitOk); });
    if (!stopRequested)
        QCoreApplication::exec();
    say(QStringLiteral(
        "stopping: nginx, then the instances (each drains its requests), then the backends started here"));
    cluster.stop();
    return ExitOk;
}

} // namespace perflab::app

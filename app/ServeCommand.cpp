// See ServeCommand.h.
#include "ServeCommand.h"

#include "SignalWatcher.h"
#include "engine/db/DatabaseUrl.h"
#include "engine/lab/LabServer.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cstdio>

namespace perflab::app {

namespace {
// The settings file as a patch over `base`; an error names the file, the field and the rule.
std::variant<settings::LabSettings, QString> loadSettings(const QString &path,
                                                          const settings::LabSettings &base)
{
    if (path.isEmpty())
        return base;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("%1: cannot read: %2").arg(path, file.errorString());
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return QStringLiteral("%1: invalid JSON at offset %2: %3")
            .arg(path)
            .arg(parseError.offset)
            .arg(parseError.errorString());
    if (!doc.isObject())
        return QStringLiteral("%1: expected a JSON object of setting sections").arg(path);
    auto result = settings::applyPatch(base, doc.object());
    if (auto *error = std::get_if<settings::SettingsError>(&result))
        return QStringLiteral("%1: %2").arg(path, error->message());
    return std::get<settings::LabSettings>(result);
}
} // namespace

int runServe(const ServeOptions &options)
{
    settings::LabSettings base;
    if (!options.redisUrl.isEmpty()) {
        // The guide runs its cache and its job queue on Redis; --redis is the way to say so. A
        // backend the settings file names still wins (it is applied over this).
        base.redis.url = options.redisUrl;
        base.cache.backend = QStringLiteral("redis");
        base.background.queueBackend = QStringLiteral("redis");
    }
    auto loaded = loadSettings(options.settingsFile, base);
    if (auto *error = std::get_if<QString>(&loaded)) {
        std::fprintf(stderr, "perflab serve: %s\n", qPrintable(*error));
        return ExitBadInput;
    }
    auto adminToken = adminTokenFrom(QStringLiteral("serve"), options.adminToken);
    if (auto *error = std::get_if<UsageError>(&adminToken)) {
        std::fprintf(stderr, "perflab %s\n", qPrintable(error->message));
        return ExitBadInput;
    }
    SignalWatcher signals;
    lab::LabServerConfig config;
    config.adminToken = std::get<QString>(adminToken);
    config.server.host = options.host;
    config.server.port = options.port;
    config.server.threads = options.threads;
    config.dataDir = options.dataDir;
    config.instance = options.instance;
    config.settings = std::get<settings::LabSettings>(loaded);
    if (!options.databaseUrl.isEmpty()) {
        config.settings.database.url = options.databaseUrl;
    } else if (auto parsed = db::parseDatabaseUrl(config.settings.database.url);
               auto *error = std::get_if<QString>(&parsed)) {
        // A URL of the wrong form is bad input (2); one that does not answer is a runtime failure (3).
        std::fprintf(stderr, "perflab serve: %s: database.url: %s\n", qPrintable(options.settingsFile),
                     qPrintable(*error));
        return ExitBadInput;
    }
    // Start-up steps (the demo dataset can take seconds on a first start) go to stderr: the
    // URL stays the first line of stdout.
    config.progress = [](const QString &line) {
        std::fprintf(stderr, "perflab serve: %s\n", qPrintable(line));
        std::fflush(stderr);
    };
    // For measuring what the epoll dispatcher buys: PERFLAB_EVENT_DISPATCHER=qt uses Qt's own.
    config.server.useQtDispatcher = qEnvironmentVariable("PERFLAB_EVENT_DISPATCHER") == QLatin1String("qt");
    lab::LabServer server(config);
    if (auto error = server.start()) {
        std::fprintf(stderr, "perflab serve: %s\n", qPrintable(error->message));
        return error->kind == http::StartError::Kind::AddressInUse ||
                       error->kind == http::StartError::Kind::Other
                   ? ExitRuntimeFailure
                   : ExitBadInput;
    }
    // The URL comes first so that scripts can read it; a generated admin token, which
    // nobody else knows, on the next line (a token the user gave is not echoed into logs).
    std::printf("%s\n", qPrintable(server.url()));
    if (server.adminTokenGenerated())
        std::printf("admin token: %s\n", qPrintable(server.adminToken()));
    std::fflush(stdout);
    if (server.adminTokenGenerated())
        std::fprintf(stderr,
                     "perflab serve: %s is not loopback: /admin routes need the token above "
                     "(Authorization: Bearer TOKEN)\n",
                     qPrintable(options.host));
    else if (!server.adminToken().isEmpty())
        std::fprintf(stderr,
                     "perflab serve: /admin routes need the token given (Authorization: Bearer TOKEN)\n");
    else
        std::fprintf(stderr, "perflab serve: /admin routes open (bound to loopback)\n");
    std::fprintf(stderr, "perflab serve: %d worker threads; Ctrl+C drains and stops\n", server.threadCount());

    QObject::connect(&signals, &SignalWatcher::terminationRequested, &server, [&server](int) {
        std::fprintf(stderr, "perflab serve: draining in-flight requests\n");
        server.drain();
    });
    QObject::connect(&server, &lab::LabServer::drained, qApp, [] { QCoreApplication::exit(ExitOk); });
    return QCoreApplication::exec();
}

} // namespace perflab::app

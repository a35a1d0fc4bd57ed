// See ServeCommand.h.
#include "ServeCommand.h"

#include "SignalWatcher.h"
#include "lab/LabServer.h"

#include <QCoreApplication>

#include <cstdio>

namespace perflab::app {

int runServe(const ServeOptions &options)
{
    SignalWatcher signals;
    lab::LabServerConfig config;
    config.server.host = options.host;
    config.server.port = options.port;
    config.server.threads = options.threads;
    config.dataDir = options.dataDir;
    // For measuring what the epoll dispatcher buys: PERFLAB_EVENT_DISPATCHER=qt uses Qt's own.
    config.server.useQtDispatcher = qEnvironmentVariable("PERFLAB_EVENT_DISPATCHER") == QLatin1String("qt");
    lab::LabServer server(config);
    if (auto error = server.start()) {
        std::fprintf(stderr, "perflab serve: %s\n", qPrintable(error->message));
        return error->kind == http::StartError::Kind::AddressInUse || error->kind == http::StartError::Kind::Other
            ? ExitRuntimeFailure
            : ExitBadInput;
    }
    // The URL comes first so that scripts can read it (SPEC §2).
    std::printf("%s\n", qPrintable(server.url()));
    std::fflush(stdout);
    std::fprintf(stderr, "perflab serve: %d worker threads; Ctrl+C drains and stops\n", server.threadCount());

    QObject::connect(&signals, &SignalWatcher::terminationRequested, &server, [&server](int) {
        std::fprintf(stderr, "perflab serve: draining in-flight requests\n");
        server.drain();
    });
    QObject::connect(&server, &lab::LabServer::drained, qApp, [] { QCoreApplication::exit(ExitOk); });
    return QCoreApplication::exec();
}

} // namespace perflab::app

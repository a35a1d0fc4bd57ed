// The background-task part of the lab server, assembled as LabServer will assemble it: live
// settings, registry, seed handlers, durable job queue, background runner, task routes and a
// real HTTP server. Shared by the in-process tests and the crash test's child process.
#pragma once

#include "engine/http/HttpServer.h"
#include "engine/metrics/Registry.h"
#include "engine/settings/SettingsStore.h"
#include "engine/tasks/BackgroundTasks.h"
#include "engine/tasks/JobHandlers.h"
#include "engine/tasks/JobQueue.h"

#include <memory>
#include <optional>

namespace perflab::test {

class TaskLab
{
public:
    // Seed handlers are registered; add or replace handlers before start(). `queueConfig`'s
    // data folder is `dataDir`.
    TaskLab(const QString &dataDir, const settings::LabSettings &initial,
            tasks::JobQueueConfig queueConfig = {});
    ~TaskLab(); // stops the server, then the queue

    // Starts the queue, then the server (on `port`, 0 for any); nullopt or what failed.
    std::optional<QString> start(quint16 port = 0, int httpThreads = 2);
    void stop();

    quint16 port() const { return server ? server->port() : 0; }
    // The value of counter `name` with these label values (0 when never created).
    quint64 counter(const QString &name, const QStringList &labels = {});
    qint64 gauge(const QString &name);
    // Applies a settings patch; fails the calling test when it is rejected.
    bool patch(const QJsonObject &patch);

    const QString dataDir;
    settings::SettingsStore settings;
    metrics::Registry registry;
    std::shared_ptr<tasks::JobHandlers> handlers = std::make_shared<tasks::JobHandlers>();
    tasks::JobQueue queue;
    tasks::BackgroundRunner runner;
    std::shared_ptr<http::Router> router = std::make_shared<http::Router>();
    std::unique_ptr<http::HttpServer> server;
};

// io_scale 0.05 (send_email 100 ms, process_task 250 ms, process_data 500 ms), 4 workers.
settings::LabSettings fastSettings(double ioScale = 0.05, int workers = 4,
                                   const QString &mode = QStringLiteral("background"));

} // namespace perflab::test

// See TaskLab.h.
#include "TaskLab.h"

#include "engine/lab/TaskRoutes.h"
#include "engine/tasks/GuideTasks.h"

namespace perflab::test {

settings::LabSettings fastSettings(double ioScale, int workers, const QString &mode)
{
    settings::LabSettings s;
    s.simulation.ioScale = ioScale;
    s.background.workers = workers;
    s.background.mode = mode;
    return s;
}

namespace {

tasks::JobQueueConfig inFolder(tasks::JobQueueConfig config, const QString &dir)
{
    config.dataDir = dir;
    return config;
}

} // namespace

TaskLab::TaskLab(const QString &dir, const settings::LabSettings &initial, tasks::JobQueueConfig queueConfig)
    : dataDir(dir), settings(initial),
      queue(inFolder(std::move(queueConfig), dir), handlers, settings, registry),
      runner(settings, handlers, queue, registry)
{
    tasks::addGuideTaskHandlers(*handlers, settings, registry, dataDir);
    lab::addTaskRoutes(*router, runner);
}

TaskLab::~TaskLab()
{
    stop();
}

std::optional<QString> TaskLab::start(quint16 port, int httpThreads)
{
    if (auto error = queue.start())
        return error;
    http::ServerConfig config;
    config.port = port;
    config.threads = httpThreads;
    config.drainTimeout = std::chrono::milliseconds(2000);
    server = std::make_unique<http::HttpServer>(router, config);
    if (auto error = server->start()) {
        server.reset();
        queue.stop();
        return error->message;
    }
    return std::nullopt;
}

void TaskLab::stop()
{
    if (server) {
        server->stop(); // the routes and background tasks use the queue: stop them first
        server.reset();
    }
    queue.stop();
}

quint64 TaskLab::counter(const QString &name, const QStringList &labels)
{
    const auto *family = dynamic_cast<const metrics::CounterFamily *>(registry.find(name));
    if (!family)
        return 0;
    return const_cast<metrics::CounterFamily *>(family)->withLabels(labels)->value();
}

qint64 TaskLab::gauge(const QString &name)
{
    const auto *family = dynamic_cast<const metrics::GaugeFamily *>(registry.find(name));
    return family ? const_cast<metrics::GaugeFamily *>(family)->series()->value() : 0;
}

bool TaskLab::patch(const QJsonObject &patch)
{
    return std::holds_alternative<std::shared_ptr<const settings::LabSettings>>(settings.patch(patch));
}

} // namespace perflab::test

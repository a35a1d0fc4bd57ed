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
    : LoopbackLab(initial), dataDir(dir),
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
    if (auto error = LoopbackLab::start(loopbackConfig(httpThreads, port))) {
        queue.stop();
        return error;
    }
    return std::nullopt;
}

void TaskLab::stop()
{
    LoopbackLab::stop(); // the routes and background tasks use the queue: stop them first
    queue.stop();
}

} // namespace perflab::test

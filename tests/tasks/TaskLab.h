// The background-task part of the lab server, assembled as LabServer will assemble it: the
// loopback lab (LoopbackLab.h: live settings, registry, a real HTTP server) with guide handlers,
// durable job queue, background runner and task routes. Shared by the in-process tests and the crash test's
// child process.
#pragma once

#include "LoopbackLab.h"

#include "engine/tasks/BackgroundTasks.h"
#include "engine/tasks/JobHandlers.h"
#include "engine/tasks/JobQueue.h"

#include <memory>
#include <optional>

namespace perflab::test {

class TaskLab : public LoopbackLab
{
public:
    // Guide handlers are registered; add or replace handlers before start(). `queueConfig`'s
    // data folder is `dataDir`.
    TaskLab(const QString &dataDir, const settings::LabSettings &initial,
            tasks::JobQueueConfig queueConfig = {});
    ~TaskLab(); // stops the server, then the queue

    // Starts the queue, then the server (on `port`, 0 for any); nullopt or what failed.
    std::optional<QString> start(quint16 port = 0, int httpThreads = 2);
    void stop();

    // The value of counter `name` with these label values (0 when never created).
    quint64 counter(const QString &name, const QStringList &labels = {}) const
    {
        return counterValue(registry, name, labels);
    }
    qint64 gauge(const QString &name) const { return gaugeValue(registry, name).value_or(0); }

    const QString dataDir;
    std::shared_ptr<tasks::JobHandlers> handlers = std::make_shared<tasks::JobHandlers>();
    tasks::JobQueue queue;
    tasks::BackgroundRunner runner;
};

// io_scale 0.05 (send_email 100 ms, process_task 250 ms, process_data 500 ms), 4 workers.
settings::LabSettings fastSettings(double ioScale = 0.05, int workers = 4,
                                   const QString &mode = QStringLiteral("background"));

} // namespace perflab::test

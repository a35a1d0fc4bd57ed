// See GuideTasks.h.
#include "engine/tasks/GuideTasks.h"

#include "engine/async/RunBlocking.h"
#include "engine/async/SimulatedIo.h"
#include "engine/metrics/Registry.h"
#include "engine/tasks/JobHandlers.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QMutex>

#include <stdexcept>

namespace perflab::tasks {

QString taskLogPath(const QString &dataDir)
{
    return QDir(dataDir).filePath(QStringLiteral("log.txt"));
}

bool appendLine(const QString &path, const QString &line)
{
    static QMutex mutex; // whole lines, even when two tasks log at once
    const QMutexLocker lock(&mutex);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Append))
        return false;
    const QByteArray bytes = line.toUtf8() + '\n';
    return file.write(bytes) == bytes.size();
}

void addGuideTaskHandlers(JobHandlers &handlers, const settings::SettingsStore &settings,
                          metrics::Registry &registry, const QString &dataDir)
{
    const settings::SettingsStore *store = &settings;
    metrics::Counter *sent =
        registry
            .counterFamily(QStringLiteral("notifications_sent_total"),
                           QStringLiteral("Emails sent by the send_email task (simulated)."))
            .series();

    handlers.add(QStringLiteral("send_email"),
                 [store, sent](QJsonObject, JobContext context) -> QCoro::Task<QJsonValue> {
                     co_await async::simulatedIo(*store, 2.0, context.stop);
                     sent->inc();
                     co_return QJsonValue();
                 });

    const QString logPath = taskLogPath(dataDir);
    handlers.add(QStringLiteral("write_log"),
                 [logPath](QJsonObject payload, JobContext) -> QCoro::Task<QJsonValue> {
                     const QString message = payload.value(QStringLiteral("message")).toString();
                     auto append = [logPath, message] { return appendLine(logPath, message); };
                     if (!co_await async::runBlocking(std::move(append)))
                         throw std::runtime_error("cannot append to " + logPath.toStdString());
                     co_return QJsonValue();
                 });

    const auto processAfter = [store](double guideSeconds) {
        return [store, guideSeconds](QJsonObject payload, JobContext context) -> QCoro::Task<QJsonValue> {
            co_await async::simulatedIo(*store, guideSeconds, context.stop);
            co_return QJsonObject{{QStringLiteral("processed"), payload.value(QStringLiteral("data"))}};
        };
    };
    handlers.add(QStringLiteral("process_task"), processAfter(5.0));
    handlers.add(QStringLiteral("process_data"), processAfter(10.0));

    handlers.add(QStringLiteral("send_email_task"),
                 [](QJsonObject payload, JobContext) -> QCoro::Task<QJsonValue> {
                     co_return QJsonObject{{QStringLiteral("sent_to"), payload.value(QStringLiteral("to"))}};
                 });
    handlers.add(QStringLiteral("send_batch_emails"),
                 [](QJsonObject payload, JobContext) -> QCoro::Task<QJsonValue> {
                     co_return QJsonObject{
                         {QStringLiteral("sent"), payload.value(QStringLiteral("emails")).toArray().size()}};
                 });
}

} // namespace perflab::tasks

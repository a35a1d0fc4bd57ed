#include "engine/cluster/LabInstances.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QUrl>

#include <cstdio>

namespace perflab::cluster {

LabInstances::LabInstances(InstanceConfig config, QObject *parent)
    : QObject(parent), m_config(std::move(config))
{
}

LabInstances::~LabInstances()
{
    stop();
}

void LabInstances::forwardErrors(Instance &instance)
{
    const QByteArray text = instance.process->readAllStandardError();
    for (const QByteArray &line : text.split('\n')) {
        if (!line.trimmed().isEmpty())
            std::fprintf(stderr, "[instance %s] %s\n", qPrintable(instance.name), line.constData());
    }
    std::fflush(stderr);
}

std::optional<QString> LabInstances::startOne(const QString &name, const std::function<bool()> &stopRequested)
{
    auto instance = std::make_unique<Instance>();
    instance->name = name;
    instance->process = std::make_unique<QProcess>();
    QProcess &process = *instance->process;
    const QString folder = m_config.folder + QStringLiteral("/instance-") + name;
    QDir().mkpath(folder);
    QStringList args{QStringLiteral("serve"),
                     QStringLiteral("--host"),
                     QStringLiteral("127.0.0.1"),
                     QStringLiteral("--port"),
                     QStringLiteral("0"),
                     QStringLiteral("--threads"),
                     QString::number(m_config.threads),
                     QStringLiteral("--data-dir"),
                     folder,
                     QStringLiteral("--db"),
                     m_config.databaseUrl,
                     QStringLiteral("--redis"),
                     m_config.redisUrl,
                     QStringLiteral("--instance"),
                     name};
    if (!m_config.settingsFile.isEmpty())
        args << QStringLiteral("--settings") << m_config.settingsFile;
    Instance *raw = instance.get();
    connect(&process, &QProcess::readyReadStandardError, this, [this, raw] { forwardErrors(*raw); });
    process.start(m_config.program, args);
    if (!process.waitForStarted(10000))
        return QStringLiteral("instance %1 did not start: %2").arg(name, process.errorString());
    // The first start makes the demo dataset: minutes for the default million users.
    while (!process.canReadLine()) {
        if (process.state() != QProcess::Running) {
            forwardErrors(*raw);
            return QStringLiteral("instance %1 exited with code %2 before serving (its messages are above)")
                .arg(name)
                .arg(process.exitCode());
        }
        if (stopRequested && stopRequested())
            return QStringLiteral("stopped while instance %1 was starting").arg(name);
        process.waitForReadyRead(100);
        forwardErrors(*raw);
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
    const QUrl url(QString::fromUtf8(process.readLine()).trimmed());
    if (!url.isValid() || url.port() <= 0)
        return QStringLiteral("instance %1 printed no URL").arg(name);
    instance->url = url.toString();
    instance->port = quint16(url.port());
    connect(&process, &QProcess::finished, this, [this, raw](int exitCode) {
        if (!m_stopping)
            Q_EMIT instanceExited(raw->name, exitCode);
    });
    m_instances.push_back(std::move(instance));
    return std::nullopt;
}

bool LabInstances::kill(const QString &name)
{
    for (const auto &instance : m_instances) {
        if (instance->name == name) {
            instance->process->kill();
            return true;
        }
    }
    return false;
}

QList<quint16> LabInstances::ports() const
{
    QList<quint16> ports;
    for (const auto &instance : m_instances)
        ports << instance->port;
    return ports;
}

QStringList LabInstances::urls() const
{
    QStringList urls;
    for (const auto &instance : m_instances)
        urls << instance->url;
    return urls;
}

void LabInstances::stop(int graceMs)
{
    m_stopping = true;
    for (const auto &instance : m_instances)
        instance->process->terminate();
    const QDeadlineTimer deadline(graceMs);
    for (const auto &instance : m_instances) {
        if (!instance->process->waitForFinished(int(std::max<qint64>(1, deadline.remainingTime())))) {
            instance->process->kill();
            instance->process->waitForFinished(5000);
        }
        forwardErrors(*instance);
    }
    m_instances.clear();
}

} // namespace perflab::cluster

#include "engine/cluster/LocalRedis.h"

#include "engine/cluster/ChildProcess.h"

#include <QDir>
#include <QStandardPaths>

namespace perflab::cluster {

std::optional<QString> LocalRedis::start(const QString &folder)
{
    const QString program = QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    if (program.isEmpty())
        return QStringLiteral(
            "redis-server is not installed (Debian package redis-server), and no --redis was given");
    QDir().mkpath(folder);
    m_port = freeLoopbackPort();
    const QString log = folder + QStringLiteral("/redis.log");
    m_process.start(program, {QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                              QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                              QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--dir"),
                              folder, QStringLiteral("--logfile"), log});
    if (!m_process.waitForStarted(10000))
        return QStringLiteral("redis-server did not start: %1").arg(m_process.errorString());
    if (!waitForPort(m_port, 10000, [this] { return m_process.state() == QProcess::Running; }))
        return QStringLiteral("redis-server did not answer on 127.0.0.1:%1; its log says: %2")
            .arg(m_port)
            .arg(tailOfFile(log));
    return std::nullopt;
}

void LocalRedis::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate(); // redis-server shuts down on SIGTERM
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

} // namespace perflab::cluster

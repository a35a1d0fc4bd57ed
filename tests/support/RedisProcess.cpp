#include "RedisProcess.h"

#include <QDeadlineTimer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QUrl>

#include <csignal>

namespace perflab::test {

QString sharedRedisUrl()
{
    const QString text = qEnvironmentVariable("PERFLAB_TEST_REDIS_URL");
    if (text.isEmpty())
        qFatal("PERFLAB_TEST_REDIS_URL is not set: run scripts/test-services.sh start and eval its env");
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.scheme() != QLatin1String("redis") || url.host().isEmpty())
        qFatal("PERFLAB_TEST_REDIS_URL is not a redis:// URL: %s", qPrintable(text));
    return text;
}

QString sharedRedisUrl(int database)
{
    QUrl url(sharedRedisUrl(), QUrl::StrictMode);
    url.setPath(QLatin1Char('/') + QString::number(database));
    return url.toString();
}

RedisProcess::~RedisProcess()
{
    resume();
    kill();
}

quint16 RedisProcess::freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

bool RedisProcess::start(quint16 port, const QStringList &extraArgs)
{
    m_port = port ? port : freePort();
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(QStringLiteral("redis-server"),
                    QStringList{QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                                QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                                QStringLiteral("--appendonly"), QStringLiteral("no")} +
                        extraArgs);
    if (!m_process.waitForStarted(5000)) {
        m_error = QStringLiteral("redis-server did not start: %1").arg(m_process.errorString());
        return false;
    }
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired()) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (socket.waitForConnected(200))
            return true;
        if (m_process.state() != QProcess::Running)
            break;
        QThread::msleep(20);
    }
    m_error = QStringLiteral("redis-server on port %1 did not answer: %2")
                  .arg(m_port)
                  .arg(QString::fromLocal8Bit(m_process.readAll()));
    return false;
}

void RedisProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(5000);
}

void RedisProcess::pause()
{
    if (m_process.state() == QProcess::Running)
        ::kill(pid_t(m_process.processId()), SIGSTOP);
}

void RedisProcess::resume()
{
    if (m_process.state() == QProcess::Running)
        ::kill(pid_t(m_process.processId()), SIGCONT);
}

} // namespace perflab::test

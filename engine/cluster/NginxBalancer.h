// nginx in front of a cluster's instances: the configuration is generated (an upstream of the
// instances with keep-alive connections to them, buffering off so that streamed responses
// stream), and Debian's nginx runs it in the foreground under this process.
#pragma once

#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QString>

#include <optional>

namespace perflab::cluster {

struct BalancerConfig
{
    QString folder; // nginx.conf, error.log, temp folders, pid file
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 8000;
    QList<quint16> instancePorts; // each instance on 127.0.0.1
};

class NginxBalancer
{
public:
    ~NginxBalancer() { stop(); }
    static QByteArray configText(const BalancerConfig &config);
    // nullopt once it answers on the port; else why not (e.g. the port is in use).
    std::optional<QString> start(const BalancerConfig &config);
    void stop();
    bool isRunning() const { return m_process.state() == QProcess::Running; }

private:
    QProcess m_process;
};

} // namespace perflab::cluster

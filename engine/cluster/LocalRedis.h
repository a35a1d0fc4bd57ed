// A Redis for a cluster that was given none: Debian's redis-server on a free loopback port,
// nothing on disk (the lab keeps nothing in Redis that must outlive the cluster's run).
#pragma once

#include <QProcess>
#include <QString>

#include <optional>

namespace perflab::cluster {

class LocalRedis
{
public:
    ~LocalRedis() { stop(); }
    // nullopt when it answers; else why not.
    std::optional<QString> start(const QString &folder);
    void stop();
    QString url() const { return QStringLiteral("redis://127.0.0.1:%1/0").arg(m_port); }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace perflab::cluster

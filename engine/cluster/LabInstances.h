// The cluster's `perflab serve` processes: each on its own loopback port and data folder, with
// the cluster's database and Redis and its instance name; their start-up lines and errors go
// to this process's stderr prefixed with their name.
#pragma once

#include <QList>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace perflab::cluster {

struct InstanceConfig
{
    QString program; // this perflab
    QString folder;  // instance-<n> folders go here
    QString databaseUrl;
    QString redisUrl;
    QString settingsFile; // may be empty
    int threads = 1;
};

class LabInstances final : public QObject
{
    Q_OBJECT
public:
    explicit LabInstances(InstanceConfig config, QObject *parent = nullptr);
    ~LabInstances() override; // stop()

    // Starts instance `name` and waits for its URL (the first line it prints); nullopt on
    // success, else why not. `stopRequested` ends the wait early (Ctrl+C during a long start).
    std::optional<QString> startOne(const QString &name, const std::function<bool()> &stopRequested);
    // The database and Redis every instance started from now on uses.
    void setBackends(const QString &databaseUrl, const QString &redisUrl)
    {
        m_config.databaseUrl = databaseUrl;
        m_config.redisUrl = redisUrl;
    }
    QList<quint16> ports() const;
    bool kill(const QString &name); // SIGKILL; false for an unknown name
    QStringList urls() const;
    // SIGTERM to every instance (each drains its requests), then waits up to `graceMs`.
    void stop(int graceMs = 30000);

Q_SIGNALS:
    void instanceExited(const QString &name, int exitCode);

private:
    struct Instance
    {
        QString name;
        std::unique_ptr<QProcess> process;
        QString url;
        quint16 port = 0;
    };
    void forwardErrors(Instance &instance);

    InstanceConfig m_config;
    std::vector<std::unique_ptr<Instance>> m_instances;
    bool m_stopping = false;
};

} // namespace perflab::cluster

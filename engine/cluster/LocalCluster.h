// A lab cluster on this machine, as one object: a PostgreSQL and a Redis (started here when no
// URL is given), N `perflab serve` instances sharing them, nginx in front. `perflab cluster`
// runs one until Ctrl+C; a scenario whose target is a cluster runs one for the run.
//
// Start order: the backends, the first instance alone (it makes the demo dataset if the
// database has none, which the others then find ready), the other instances, nginx last, so
// that the balancer never sends a request to nobody. start() blocks (it turns the event loop
// while it waits, so Ctrl+C is heard); a start of a cluster made before takes about a second,
// the first one seconds more (initdb, the dataset).
//
// The desktop window runs its own lab as instance 1 of such a cluster: it calls the steps of
// start() one by one, starting its lab between them on the cluster's database and Redis
// (startBackends(), its lab, addInProcessMember(), startMembers()). Instance 1 then has no
// process of its own: killInstance("1") is refused.
#pragma once

#include "engine/cluster/LabInstances.h"
#include "engine/cluster/LocalPostgres.h"
#include "engine/cluster/LocalRedis.h"
#include "engine/cluster/NginxBalancer.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace perflab::cluster {

struct ClusterConfig
{
    int instances = 2;
    QString host = QStringLiteral("127.0.0.1");    // nginx's address
    quint16 port = 0;                              // nginx's port; 0: a free one
    int threads = 0;                               // per instance; 0: the cores shared out
    QString folder;                                // the cluster's files
    QString settingsFile;                          // every instance's start-up settings; may be empty
    QString databaseUrl;                           // empty: a PostgreSQL started here
    QString redisUrl;                              // empty: a Redis started here
    QString program;                               // the perflab binary that serves
    std::function<void(const QString &)> progress; // lines for the user; may be unset
};

class LocalCluster final : public QObject
{
    Q_OBJECT
public:
    explicit LocalCluster(ClusterConfig config, QObject *parent = nullptr);
    ~LocalCluster() override; // stop()

    // nullopt once nginx answers; else why not (what started is stopped again).
    std::optional<QString> start(const std::function<bool()> &stopRequested = {});
    // start()'s steps: the database and Redis (started here unless the config names them) ...
    std::optional<QString> startBackends();
    // ... a lab already running in this process as the next member (it must use databaseUrl()
    // and redisUrl(), and its instance name is the next number) ...
    void addInProcessMember(const QString &url, quint16 port);
    // ... then the other instances, up to config().instances, and nginx in front of all.
    std::optional<QString> startMembers(const std::function<bool()> &stopRequested = {});
    // nginx, then the instances (each drains), then what was started here.
    void stop();
    // SIGKILL to one instance (as a crash); nginx sends its share to the others.
    bool killInstance(const QString &name) { return m_instances.kill(name); }

    QString url() const; // the balancer's
    // Every member, instance 1 first (the in-process one, if any).
    QStringList instanceUrls() const { return m_inProcessUrls + m_instances.urls(); }
    QString databaseUrl() const { return m_databaseUrl; }
    QString redisUrl() const { return m_redisUrl; }
    int threadsPerInstance() const { return m_threads; }
    const ClusterConfig &config() const { return m_config; }

Q_SIGNALS:
    void instanceExited(const QString &name, int exitCode);

private:
    void say(const QString &line) const;

    ClusterConfig m_config;
    int m_threads = 1; // before m_instances, which is made with it
    LocalPostgres m_postgres;
    LocalRedis m_redis;
    LabInstances m_instances;
    NginxBalancer m_nginx;
    QString m_databaseUrl;
    QString m_redisUrl;
    QStringList m_inProcessUrls;
    QList<quint16> m_inProcessPorts;
};

} // namespace perflab::cluster

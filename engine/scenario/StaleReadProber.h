// The stale-read probe of a scenario (Scenario::staleReadProbe): beside the load, it renames a
// user with a name never used before and reads the user back right after, several times; a read
// that returns another name is stale. Through a balancer each read can reach another instance:
// with a cache per process, an instance that cached the user before the rename keeps serving
// the old name until its entry expires, which is why the guide puts its cache in Redis.
//
// Runs on the runner's thread with a network manager of its own (its requests are not the
// load's and are not in its statistics). Counts only reads that answered 200.
#pragma once

#include "engine/scenario/Scenario.h"

#include <QCoroTask>
#include <QObject>

#include <cstdint>
#include <memory>
#include <stop_token>

class QNetworkAccessManager;

namespace perflab::scenario {

class StaleReadProber final : public QObject
{
    Q_OBJECT
public:
    StaleReadProber(StaleReadProbe probe, QString baseUrl, QObject *parent = nullptr);
    ~StaleReadProber() override;

    void start();
    // Resumes once the probe's loop has ended (its request in flight answered or aborted).
    QCoro::Task<> stop();

    std::uint64_t reads() const { return m_reads; }
    std::uint64_t staleReads() const { return m_stale; }
    std::uint64_t failedRequests() const { return m_failed; }

Q_SIGNALS:
    void loopEnded();

private:
    QCoro::Task<> loop();
    // The name GET /users/{id} answered with, or nullopt when it did not answer 200.
    QCoro::Task<std::optional<QString>> readName(int id);
    QCoro::Task<bool> rename(int id, QString name);

    StaleReadProbe m_probe;
    QString m_baseUrl;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::stop_source m_stop;
    bool m_running = false;
    std::uint64_t m_reads = 0;
    std::uint64_t m_stale = 0;
    std::uint64_t m_failed = 0;
    std::uint64_t m_renames = 0;
};

} // namespace perflab::scenario

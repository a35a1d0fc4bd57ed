// The job probe of a scenario (Scenario::jobProbe): beside the load, it enqueues jobs through
// the target (POST /enqueue) at a steady rate and keeps the id of every job the target accepted;
// when the phases are over it asks for each (GET /job/{id}) until it completed or failed, for at
// most the settle time. A job accepted and never completed is lost: the figure that tells an
// at-least-once queue from one that drops work when an instance dies.
#pragma once

#include "engine/scenario/Scenario.h"

#include <QCoroTask>
#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <stop_token>
#include <vector>

class QNetworkAccessManager;

namespace perflab::scenario {

struct JobProbeCounts
{
    std::uint64_t accepted = 0;  // answered 200 with a job id
    std::uint64_t refused = 0;   // answered otherwise (503 while the queue's Redis is away)
    std::uint64_t completed = 0; // by the end of the settle time
    std::uint64_t failed = 0;
};

class JobProber final : public QObject
{
    Q_OBJECT
public:
    JobProber(JobProbe probe, QString baseUrl, QObject *parent = nullptr);
    ~JobProber() override;

    void start();
    // Stops enqueueing (resumes once the loop has ended); the counts so far are final for
    // accepted and refused.
    QCoro::Task<> stopEnqueueing();
    // Polls every accepted job until each has ended or the settle time is over.
    QCoro::Task<> settle(std::stop_token stop);

    // The counts of the jobs enqueued while `phase` was the current one (set by the runner).
    void setPhase(int phase) { m_phase = phase; }
    JobProbeCounts countsOfPhase(int phase) const;
    JobProbeCounts total() const;

Q_SIGNALS:
    void loopEnded();

private:
    struct Job
    {
        QString id;
        int phase = 0;
        enum class State { Waiting, Completed, Failed } state = State::Waiting;
    };
    QCoro::Task<> loop();

    JobProbe m_probe;
    QString m_baseUrl;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::stop_source m_stop;
    bool m_running = false;
    int m_phase = 0;
    std::vector<Job> m_jobs;
    std::vector<std::uint64_t> m_refusedByPhase;
};

} // namespace perflab::scenario

// GeneratorProbe: the parts of GeneratorStats that no client thread records — what the
// schedule asked for, and how much CPU each client thread had — read by the engine when it
// takes a snapshot or a sample, never on the request path.
//
// Asked: the probe keeps its own OpenLoopSchedule, given the same models at the same instants
// as the client threads' (LoadEngine::start/setModel), so asked(t) = N(t), the integral of the
// rate, depends on the clock alone: a starved client thread cannot make the asked figure
// smaller by falling behind.
//
// CPU: each client thread registers its kernel thread id as it starts; a reading opens
// /proc/self/task/TID/schedstat (time on a CPU and time runnable but waiting for one, in ns).
// Where that file cannot be read, the thread's CPU clock (pthread_getcpuclockid) gives the
// time on a CPU alone. stop() takes a last reading and freezes every figure at that instant,
// so a snapshot taken after the threads are gone still describes the run.
//
// Any thread (a mutex; readings are at most a few per second per reader).
#pragma once

#include "engine/load/GeneratorStats.h"
#include "engine/load/LoadPlan.h"
#include "engine/load/OpenLoopSchedule.h"

#include <pthread.h>
#include <sys/types.h>

#include <mutex>
#include <vector>

namespace perflab::load {

class GeneratorProbe
{
public:
    void start(const LoadModel &model, std::int64_t atNs);
    void setModel(const LoadModel &model, std::int64_t atNs);
    void stop(std::int64_t atNs);

    // On the client thread itself, as it starts.
    void registerThread(int index);

    struct Reading
    {
        std::int64_t elapsedNs = 0;
        double asked = 0;
        std::vector<ClientThreadTime> threads;
        bool cpuKnown = false;
        bool runWaitKnown = false;
    };
    // As of now, or as of stop() once stopped; cumulative since the first start().
    Reading read();
    // The same into a snapshot's figures (elapsedNs, asked, threads, cpuKnown, runWaitKnown).
    void readInto(GeneratorStats &stats);

private:
    struct Thread
    {
        pid_t tid = 0;
        pthread_t handle{};
        ClientThreadTime atRegistration; // what the thread had used before it was ours
        ClientThreadTime before;         // earlier runs of the engine (a second start())
        ClientThreadTime last;           // the last reading, since registration
        bool live = false;
    };

    // Reads every live thread into `last`; the mutex is held.
    void refreshLocked();

    std::mutex m_mutex;
    OpenLoopSchedule m_schedule;
    bool m_running = false;
    std::int64_t m_startNs = 0;
    std::int64_t m_elapsedBeforeNs = 0; // earlier runs
    std::int64_t m_stoppedAtNs = 0;
    std::vector<Thread> m_threads;
    bool m_cpuKnown = true;
    bool m_runWaitKnown = true;
};

} // namespace perflab::load

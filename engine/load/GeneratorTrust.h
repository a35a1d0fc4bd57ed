// GeneratorTrust: whether a load run's figures describe the server or the load generator.
// A generator that cannot keep its schedule sends less, and later, than it was asked to, and
// the server then looks better than it is; wrk2 and most tools never say so. This judges one
// window of GeneratorStats (a run, or a phase: the difference of two snapshots).
//
// The run is *generator-limited* when any of these holds:
//  1. Open loop: fewer sends than asked, by more than 5 % of the asked requests plus one per
//     client thread (at any instant each thread may have one request between its intended
//     time and its send, so a window's edges cost up to that much without anything wrong) —
//     unless the generator can show it was not the cause. A due request is sent at once when
//     its thread runs and has a free connection, so a shortfall has two possible causes: the
//     thread (short of CPU), or the connections (every one busy with the server). When the
//     client threads had capacity (none busy 90 % of the time, none waiting for a CPU half of
//     it) and sent on time whenever a connection was free, the connections were the cause:
//     the server answered too slowly for rate x latency to fit in them. Any open-loop tool
//     with a fixed number of connections misses its rate then, and its figures are still the
//     server's (the wait for a connection counts from the intended time), so that is a note
//     rather than a verdict: flagging it would call every overloaded server's run the
//     generator's. Where the threads' CPU or run-queue wait cannot be read, a shortfall counts.
//  2. Open loop: send lag p99 above the bound, with at least 3 sends above it (fewer cannot
//     make a percentile). The bound is the mean interval between one thread's sends
//     (threads / asked rate), never less than kSendLagFloorMs (10 ms). Beyond the interval,
//     the next send was already due as this one left: the thread is behind its own schedule
//     and sends bunch into bursts the schedule did not have. The floor is what sharing a CPU
//     costs any process: Linux's scheduler lets a runnable thread wait up to its period for
//     its turn (CFS: 6 ms x (1 + log2 CPUs), 12 ms on 2 cores), and on this 2-core machine an
//     unhindered generator's p99 send lag reaches 3-4 ms while other builds run. Lateness
//     below 10 ms is that, not a generator short of CPU.
//  3. Either model: a client thread with (almost) no idle time: on a CPU, or runnable and
//     waiting for one, for at least 90 % of the window (/proc/self/task/TID/schedstat; on a
//     CPU alone where the kernel does not report the wait). A thread that hardly ever sleeps
//     in epoll_wait has no capacity left, whether it used the CPU itself or had to share it,
//     and its requests queue inside the generator. This is the only rule a closed loop has
//     (no asked rate): there, a saturated client thread means the rate measured is the
//     generator's ceiling rather than the server's. (Locust warns at the same 90 %.)
// Send lag cannot see a thread starved of CPU while every connection waits for an answer it
// has not read yet (the connections look busy): that shows as rule 1 with a thread that
// waited for a CPU half of the time or more, and the reason says so.
#pragma once

#include "engine/load/GeneratorStats.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace perflab::load {

namespace GeneratorBounds {
inline constexpr double kMinAchievedShare = 0.95;
inline constexpr double kSendLagFloorMs = 10.0;
inline constexpr std::uint64_t kMinLateSends = 3;
inline constexpr double kMaxBusyShare = 0.90;
// Not a rule of its own (a generator on a busy machine may wait that much and keep up): with
// a shortfall, it says the thread rather than the connections held the sends back.
inline constexpr double kStarvedRunWaitShare = 0.5;
} // namespace GeneratorBounds

struct ClientThreadShare
{
    double cpu = 0;     // on a CPU, share of the window
    double runWait = 0; // runnable, waiting for a CPU
    double busy() const { return cpu + runWait; }
};

struct GeneratorTrust
{
    bool openLoop = false; // something was asked (a closed loop has no asked rate)
    double durationS = 0;
    double asked = 0;
    std::uint64_t sent = 0;
    double askedPerS = 0;
    double achievedPerS = 0;  // sent / duration, either model
    double achievedShare = 0; // sent / asked, open loop
    std::uint64_t sendLagCount = 0;
    double sendLagP50Ms = 0, sendLagP99Ms = 0, sendLagMaxMs = 0;
    double sendLagBoundMs = 0; // open loop
    std::vector<ClientThreadShare> threads;
    bool cpuKnown = false;
    bool runWaitKnown = false;
    std::int64_t connectionsOpen = 0;
    std::int64_t connectionsConnecting = 0;
    std::uint64_t connectFailures = 0;

    bool generatorLimited = false;
    QStringList reasons; // one per rule broken, in words, e.g. "send lag p99 12.3 ms > bound 10 ms"
    QStringList notes;   // what is worth saying without being the generator's fault (rule 1's connections)

    // The thread with the largest busy share (-1 without threads).
    int busiestThread() const;
};

GeneratorTrust assessGenerator(const GeneratorStats &window);

// "ok: the generator kept its schedule, with CPU to spare" or "generator-limited: <reasons>".
QString trustVerdictText(const GeneratorTrust &trust);
// "ok" or "generator-limited".
QString trustVerdictWord(const GeneratorTrust &trust);

} // namespace perflab::load

// GeneratorStats: what the load generator measured about itself, cumulative since the engine
// started, as part of a LoadSnapshot. A phase's figures are the difference of two snapshots
// (subtract), like the request statistics beside them; the connection gauges are the later
// snapshot's. GeneratorTrust.h judges them.
//
//   asked     open loop: requests the schedule intended (the integral of the rate), 0 in a
//             closed loop, which has no asked rate
//   sent      requests handed to a connection, either model
//   sendLag   open loop: how late each send left (µs), counted from its intended time or from
//             the moment the thread last had a free connection, whichever is later: a send
//             that waited for a busy connection waited for the server, not for the generator
//   threads   each client thread's time on a CPU and waiting in the run queue for one (ns,
//             from /proc/self/task/TID/schedstat, read off the request path by the engine)
#pragma once

#include "engine/metrics/LatencyHistogram.h"

#include <cstdint>
#include <vector>

namespace perflab::load {

struct ClientThreadTime
{
    std::int64_t cpuNs = 0;     // on a CPU
    std::int64_t runWaitNs = 0; // runnable, waiting for a CPU
};

struct GeneratorStats
{
    std::int64_t elapsedNs = 0; // the generator's running time (stops when it stops)
    double asked = 0;           // open loop: requests intended (fractional: the rate's integral)
    std::uint64_t sent = 0;
    metrics::LatencyHistogram sendLag;     // µs, open loop only
    std::vector<ClientThreadTime> threads; // by client thread index
    bool cpuKnown = false;                 // the threads' CPU time could be read
    bool runWaitKnown = false;             // and their run-queue wait (schedstat)
    std::int64_t connectionsOpen = 0;      // at the snapshot: connected sockets
    std::int64_t connectionsConnecting =
        0;                             // at the snapshot: connecting, or waiting to retry a failed connect
    std::uint64_t connectFailures = 0; // connects that failed or timed out

    // this - earlier for the cumulative figures; the gauges stay this snapshot's.
    void subtract(const GeneratorStats &earlier);
    // The reverse: this + a later interval of the same generator (its threads by index); the
    // gauges become the interval's. Rebuilds cumulative figures from interval reports.
    void accumulate(const GeneratorStats &later);
};

} // namespace perflab::load

// See GeneratorStats.h.
#include "engine/load/GeneratorStats.h"

#include <algorithm>

namespace perflab::load {

void GeneratorStats::subtract(const GeneratorStats &earlier)
{
    elapsedNs = std::max<std::int64_t>(0, elapsedNs - earlier.elapsedNs);
    asked = std::max(0.0, asked - earlier.asked);
    sent = sent > earlier.sent ? sent - earlier.sent : 0;
    sendLag.subtract(earlier.sendLag);
    // A thread the earlier snapshot did not know yet had done nothing before it.
    for (std::size_t i = 0; i < threads.size() && i < earlier.threads.size(); ++i) {
        threads[i].cpuNs = std::max<std::int64_t>(0, threads[i].cpuNs - earlier.threads[i].cpuNs);
        threads[i].runWaitNs = std::max<std::int64_t>(0, threads[i].runWaitNs - earlier.threads[i].runWaitNs);
    }
    connectFailures =
        connectFailures > earlier.connectFailures ? connectFailures - earlier.connectFailures : 0;
}

void GeneratorStats::accumulate(const GeneratorStats &later)
{
    const bool first = elapsedNs == 0 && sent == 0 && threads.empty();
    elapsedNs += later.elapsedNs;
    asked += later.asked;
    sent += later.sent;
    sendLag.add(later.sendLag);
    if (threads.size() < later.threads.size())
        threads.resize(later.threads.size());
    for (std::size_t i = 0; i < later.threads.size(); ++i) {
        threads[i].cpuNs += later.threads[i].cpuNs;
        threads[i].runWaitNs += later.threads[i].runWaitNs;
    }
    cpuKnown = first ? later.cpuKnown : cpuKnown && later.cpuKnown;
    runWaitKnown = first ? later.runWaitKnown : runWaitKnown && later.runWaitKnown;
    connectionsOpen = later.connectionsOpen;
    connectionsConnecting = later.connectionsConnecting;
    connectFailures += later.connectFailures;
}

} // namespace perflab::load

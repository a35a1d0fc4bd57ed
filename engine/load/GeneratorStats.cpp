// See GeneratorStats.h.
#include "load/GeneratorStats.h"

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
    connectFailures = connectFailures > earlier.connectFailures ? connectFailures - earlier.connectFailures : 0;
}

} // namespace perflab::load

// See SweepPlan.h.
#include "engine/knee/SweepPlan.h"

#include <algorithm>

namespace perflab::knee {

std::vector<int> sweepConcurrencies(int maxConcurrency)
{
    std::vector<int> concurrencies;
    for (int n = 1; n < maxConcurrency; n *= 2)
        concurrencies.push_back(n);
    concurrencies.push_back(std::max(1, maxConcurrency));
    return concurrencies;
}

std::optional<std::size_t> highestThroughput(const std::vector<KneeStep> &steps)
{
    std::optional<std::size_t> highest;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (!highest || steps[i].achievedRps > steps[*highest].achievedRps)
            highest = i;
    }
    return highest;
}

KneeMove nextSweepMove(const std::vector<KneeStep> &steps, int maxConcurrency)
{
    const std::vector<int> plan = sweepConcurrencies(maxConcurrency);
    KneeMove move;
    if (steps.size() < plan.size()) {
        move.kind = StepKind::Sweep;
        move.concurrency = plan[steps.size()];
        move.fromIdle = steps.empty();
        return move;
    }
    move.done = true;
    move.stoppedBecause = KneeReason::SweepCompleted;
    move.capacityStep = highestThroughput(steps);
    if (move.capacityStep)
        move.capacityRps = steps[*move.capacityStep].achievedRps;
    return move;
}

} // namespace perflab::knee

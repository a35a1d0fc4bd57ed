// SweepPlan: the steps of a closed-loop concurrency sweep (`perflab knee --concurrency-sweep`),
// the alternative to the rate search for fitting the Universal Scalability Law (UslFit): N
// clients that each send as soon as their previous answer came, N = 1, 2, 4, ... doubling up
// to the largest concurrency, which is always measured last. Doubling spreads the points
// evenly on the log scale on which contention and coherency show apart, in few steps. Every
// concurrency runs: there is no stopping rule, the fit needs the retrograde part too.
#pragma once

#include "engine/knee/KneeRule.h"

#include <vector>

namespace perflab::knee {

std::vector<int> sweepConcurrencies(int maxConcurrency);

// The step with the highest throughput (achieved rate), nullopt without steps.
std::optional<std::size_t> highestThroughput(const std::vector<KneeStep> &steps);

// The next sweep step after `steps`, or done (SweepCompleted, the capacity being the highest
// throughput measured) once every concurrency has run. Only the first step starts from idle:
// the others add clients to the running ones.
KneeMove nextSweepMove(const std::vector<KneeStep> &steps, int maxConcurrency);

} // namespace perflab::knee

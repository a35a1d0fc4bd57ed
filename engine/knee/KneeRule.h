// KneeRule: the stopping rule of a capacity search, as pure functions over step results, so
// every decision can be tested on hand-made steps (tests/knee) and the runner only measures.
//
// A step passes when all of these hold (checked in this order; the first that fails names
// the verdict):
//   errors      error share <= maxErrorShare (1 %): a service that answers fast with errors
//               has no capacity at that rate, whatever its latency;
//   rate        achieved >= minFollowShare (95 %) x offered: below capacity the responses
//               per second follow the offered rate to within counting noise (the requests in
//               flight at the window's edges, under 1 % of a step at any sensible length), so
//               a larger shortfall means the service has stopped keeping up;
//   latency     p99 <= p99Ms (corrected for coordinated omission): past capacity a queue
//               grows for as long as the step lasts, so the p99 of an overloaded step grows
//               with the overload times the step's length and crosses any fixed bound soon
//               after the knee, while below it p99 stays near the service time.
//
// The rates: a rising sequence from startRps, each step previous x factor (or + stepRps),
// the last one exactly maxRps. It stops at the first step that fails. Then up to
// `refinements` steps bisect between the highest rate that passed and the lowest that failed;
// each narrows that bracket by half. The capacity is the highest offered rate that passed.
// Outcomes: a knee (capacity between two measured rates), maxRps sustained (no knee within
// the range), or no capacity at all (the first step failed: start lower).
#pragma once

#include "engine/knee/KneeStep.h"

#include <cstddef>
#include <optional>
#include <vector>

namespace perflab::knee {

struct KneeBounds
{
    double p99Ms = 100;
    double minFollowShare = 0.95;
    double maxErrorShare = 0.01;
};

// None when the step passes, else the first bound it broke (see above).
KneeReason judgeStep(const KneeStep &step, const KneeBounds &bounds);

struct RatePlan
{
    double startRps = 100;
    double maxRps = 100'000;
    double factor = 1.5; // geometric rise, used when stepRps is 0
    double stepRps = 0;  // linear rise: previous + stepRps
    int refinements = 3;

    // The rise after `previousRps`, never above maxRps.
    double nextRise(double previousRps) const;
};

struct KneeMove
{
    bool done = false;

    // Not done: the next step.
    double rateRps = 0;
    int concurrency = 0; // a sweep step's clients (SweepPlan); 0 for a rate step
    StepKind kind = StepKind::Rise;
    // Start from an idle target: nothing queued from an earlier step. The first step and
    // every refinement (which follows a failed, overloaded step, or comes back from one).
    bool fromIdle = false;

    // Done: the outcome.
    KneeReason stoppedBecause = KneeReason::None; // a step's failure, MaxRateSustained, SweepCompleted
    double capacityRps = 0;                       // 0 when no step passed
    std::optional<std::size_t> capacityStep;      // the step that set it (index into steps)
    std::optional<std::size_t> kneeStep;          // the lowest failed step above it
};

// The steps that bound the capacity: the highest offered rate that passed and the lowest that
// failed (either may be missing), judging each step with `bounds`.
struct KneeBracket
{
    std::optional<std::size_t> best;
    std::optional<std::size_t> lowestFailed;
};
KneeBracket bracketOf(const std::vector<KneeStep> &steps, const KneeBounds &bounds);

// What to do after `steps` (in the order they ran), judging each with `bounds`.
KneeMove nextMove(const std::vector<KneeStep> &steps, const KneeBounds &bounds, const RatePlan &plan);

} // namespace perflab::knee

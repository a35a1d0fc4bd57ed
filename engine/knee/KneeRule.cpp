// See KneeRule.h.
#include "engine/knee/KneeRule.h"

#include <algorithm>

namespace perflab::knee {

namespace {

// Rates are compared with a relative margin: maxRps reached by repeated multiplication must
// count as reached.
bool atLeast(double rate, double bound)
{
    return rate >= bound * (1 - 1e-9);
}

} // namespace

KneeReason judgeStep(const KneeStep &step, const KneeBounds &bounds)
{
    if (step.errorShare > bounds.maxErrorShare)
        return KneeReason::Errors;
    if (step.achievedRps < bounds.minFollowShare * step.offeredRps)
        return KneeReason::RateNotFollowed;
    if (step.p99Ms > bounds.p99Ms)
        return KneeReason::LatencyKnee;
    return KneeReason::None;
}

double RatePlan::nextRise(double previousRps) const
{
    const double next = stepRps > 0 ? previousRps + stepRps : previousRps * factor;
    return std::min(next, maxRps);
}

KneeBracket bracketOf(const std::vector<KneeStep> &steps, const KneeBounds &bounds)
{
    KneeBracket bracket;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const double rate = steps[i].offeredRps;
        if (judgeStep(steps[i], bounds) == KneeReason::None) {
            if (!bracket.best || rate > steps[*bracket.best].offeredRps)
                bracket.best = i;
        } else if (!bracket.lowestFailed || rate < steps[*bracket.lowestFailed].offeredRps) {
            bracket.lowestFailed = i;
        }
    }
    return bracket;
}

KneeMove nextMove(const std::vector<KneeStep> &steps, const KneeBounds &bounds, const RatePlan &plan)
{
    KneeMove move;
    const KneeBracket bracket = bracketOf(steps, bounds);
    std::optional<std::size_t> lastRise;
    int refinements = 0;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        if (steps[i].kind == StepKind::Refine)
            ++refinements;
        else
            lastRise = i;
    }
    const auto capacityOf = [&](KneeMove &done) {
        done.done = true;
        done.capacityStep = bracket.best;
        done.capacityRps = bracket.best ? steps[*bracket.best].offeredRps : 0;
    };

    if (!bracket.lowestFailed) {
        // Every step passed so far (or none ran): rise, or stop at the top of the range.
        if (!lastRise) {
            move.rateRps = std::min(plan.startRps, plan.maxRps);
            move.fromIdle = true;
            return move;
        }
        const double last = steps[*lastRise].offeredRps;
        if (atLeast(last, plan.maxRps)) {
            capacityOf(move);
            move.stoppedBecause = KneeReason::MaxRateSustained;
            return move;
        }
        move.rateRps = plan.nextRise(last);
        return move;
    }

    if (bracket.best && refinements < plan.refinements) {
        move.rateRps = (steps[*bracket.best].offeredRps + steps[*bracket.lowestFailed].offeredRps) / 2;
        move.kind = StepKind::Refine;
        move.fromIdle = true;
        return move;
    }
    capacityOf(move);
    move.stoppedBecause = judgeStep(steps[*bracket.lowestFailed], bounds);
    move.kneeStep = bracket.lowestFailed;
    return move;
}

} // namespace perflab::knee

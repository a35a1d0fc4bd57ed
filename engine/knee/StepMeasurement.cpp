// See StepMeasurement.h.
#include "engine/knee/StepMeasurement.h"

#include "engine/report/ReportStats.h"

namespace perflab::knee {

KneeStep measureStep(StepKind kind, double offeredRps, const load::LoadSnapshot &from,
                     const load::LoadSnapshot &to, double measuredS)
{
    const load::RouteStats total = load::LoadSnapshot::between(to, from).total();
    // The report's own summaries: percentiles capped at the exact max, as run.json has them.
    const report::LatencySummaryMs corrected = report::summarizeLatency(total.corrected);
    KneeStep step;
    step.kind = kind;
    step.offeredRps = offeredRps;
    step.measuredS = measuredS;
    step.responses = total.responses;
    step.achievedRps = measuredS > 0 ? double(total.responses) / measuredS : 0;
    step.requests = report::requestCount(total);
    step.errors = total.errorCount();
    step.errorShare = report::errorRate(total);
    step.p50Ms = corrected.p50;
    step.p99Ms = corrected.p99;
    step.maxMs = corrected.max;
    step.p99UncorrectedMs = report::summarizeLatency(total.uncorrected).p99;
    return step;
}

} // namespace perflab::knee

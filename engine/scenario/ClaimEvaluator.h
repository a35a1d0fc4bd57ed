// evaluateClaims(): a scenario's claims judged on a finished (or interrupted) run's report —
// each figure from the phase statistics the report tables show (hit_rate from the server's
// cache counters within the phase's time window), so a claim's figures are the report's.
//
// A figure that cannot be had (no responses on the route, no cache lookups, no server series
// with an external target, a reference of 0) makes the claim NotVerified with the reason: a
// claim nobody could check has not been shown. A claim that reads a phase that was
// interrupted or never ran is NotEvaluated. A phase split by a live load change
// (PhaseReport::phaseIndex) is read as all its segments merged.
#pragma once

#include "engine/report/RunReport.h"
#include "engine/scenario/Scenario.h"

#include <vector>

namespace perflab::scenario {

std::vector<report::ClaimResult> evaluateClaims(const Scenario &scenario, const report::RunReport &report);

} // namespace perflab::scenario

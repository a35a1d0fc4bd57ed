// StepMeasurement: a knee step's figures from two cumulative snapshots of the load engine,
// taken at the end of the step's warm-up and at the step's end (LoadSnapshot::between, as a
// scenario's phases are measured). A request counts in the window in which it completed.
#pragma once

#include "engine/knee/KneeStep.h"
#include "engine/load/LoadSnapshot.h"

namespace perflab::knee {

// `measuredS`: the time between the two snapshots, from a monotonic clock. The verdict is
// left as None; the search judges the step.
KneeStep measureStep(StepKind kind, double offeredRps, const load::LoadSnapshot &from,
                     const load::LoadSnapshot &to, double measuredS);

} // namespace perflab::knee

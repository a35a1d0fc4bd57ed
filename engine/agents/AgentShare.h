// The part of a load that one of N agents sends: the rate divided by N (stages: each stage's
// rate), the connections spread as evenly as whole numbers allow (the first agents take one
// more each when they do not divide), at least one each.
#pragma once

#include "engine/load/LoadPlan.h"

namespace perflab::agents {

load::LoadModel agentShare(const load::LoadModel &whole, int index, int count);
// The fraction of the whole that agent `index` sends: 1/N of a rate, its connections' share
// of a closed loop.
double agentShareFraction(const load::LoadModel &whole, int index, int count);

} // namespace perflab::agents

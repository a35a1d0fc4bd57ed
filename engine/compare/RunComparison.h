// RunComparison: two saved runs side by side, the rows `perflab compare` prints. Phases match
// by name and routes by their template (the request as the scenario wrote it), in run A's
// order, then what only run B has; each phase also gets its "all" row (every route merged). A
// phase or route that only one run has is a row with the other side missing, listed as such
// rather than dropped: a renamed phase must not make a comparison look clean.
#pragma once

#include "engine/compare/SavedRun.h"

#include <optional>
#include <vector>

namespace perflab::compare {

struct ComparisonRow
{
    QString phase;
    QString route; // "all" for the phase's merged row
    std::optional<RouteFigures> a;
    std::optional<RouteFigures> b;
};

std::vector<ComparisonRow> compareRuns(const SavedRun &a, const SavedRun &b);

// (b − a) / a in %; nullopt when a is 0 (no base to compare with).
std::optional<double> changePercent(double a, double b);

} // namespace perflab::compare

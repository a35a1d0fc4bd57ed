// ComparisonJson: the one JSON document of a comparison, what `perflab compare --json` prints
// and comparison.json holds: `a`, `b` (`folder`, `scenario`, `started`), `rows` (`phase`,
// `route`, `a`/`b` figures or null, `change_percent` per figure, `error_rate_change_pp`, or
// `only_in`), `gated`, `regressions` (`phase`, `route`, `metric`, `a`, `b`, `change`, `limit`,
// `text`) and `passed`.
#pragma once

#include "engine/compare/RegressionGate.h"

#include <QJsonObject>

#include <vector>

namespace perflab::compare {

QJsonObject comparisonJson(const SavedRun &a, const SavedRun &b, const std::vector<ComparisonRow> &rows,
                           const std::vector<Regression> &regressions, bool gated);

} // namespace perflab::compare

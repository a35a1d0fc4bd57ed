// ComparisonExport: the whole comparison folder (compare/ComparisonFolder.h) — the engine's
// comparison.json, charts/*.svg and comparison.html, then charts/*.png (ChartImages) and
// comparison.pdf (ComparisonPdfWriter), the files that need QtGui — written into a staging
// folder and renamed into place once all are there. Used by `perflab compare --out` and the
// Compare runs dialog's Export…, so both write the same folder. Needs a QGuiApplication.
#pragma once

#include "engine/compare/ComparisonFolder.h"

#include <QString>

#include <optional>

namespace perflab::ui {

// nullopt on success, else an error naming the path that failed; `dir` is then unchanged.
std::optional<QString> exportComparison(const compare::Comparison &comparison, const QString &dir);

} // namespace perflab::ui

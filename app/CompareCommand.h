// `perflab compare RUN_A RUN_B [--max-regression LIMITS] [--json] [--out DIR]`: two saved runs
// side by side (engine/compare), per phase and route, with the change in %; with
// --max-regression a gate that exits 1 naming each regression; with --out the comparison
// folder (compare/ComparisonFolder.h: comparison.html, .json, .pdf, charts) as well. A folder
// that is not a run, or bad LIMITS, is exit 2 naming it; an --out folder that cannot be
// written is exit 3 (and wins over a regression's 1: the files asked for are missing).
#pragma once

#include "CommandLine.h"

#include "engine/compare/RegressionGate.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <variant>
#include <vector>

namespace perflab::app {

struct CompareOptions
{
    QString runA;
    QString runB;
    std::optional<std::vector<compare::GateLimit>> gate; // --max-regression
    bool json = false;
    QString outDir; // --out: empty for none
};

std::variant<CompareOptions, UsageError> parseCompareOptions(const QStringList &args);

// The side-by-side text `perflab compare` prints (without the gate's verdict).
QString comparisonText(const compare::SavedRun &a, const compare::SavedRun &b,
                       const std::vector<compare::ComparisonRow> &rows);

int runCompare(const CompareOptions &options);

} // namespace perflab::app

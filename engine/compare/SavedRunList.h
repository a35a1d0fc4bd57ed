// SavedRunList: the runs kept in a reports folder (the window writes each finished run to
// <data>/reports/<scenario>-<time>), newest first, each with what tells it apart at a glance:
// when, which scenario, whether it passed, its rate and p99. A folder whose run.json cannot be
// read is listed with the reason instead of its figures, so it is not silently missing.
#pragma once

#include "engine/compare/SavedRun.h"

#include <QString>

#include <vector>

namespace perflab::compare {

struct SavedRunEntry
{
    QString folder; // absolute
    QString error;  // why it could not be read; the figures below are empty then
    QString scenarioName;
    QString started; // ISO 8601
    bool passed = true;
    double durationS = 0;
    double requestsPerS = 0; // the whole run's
    double p99Ms = 0;
    int phaseCount = 0;
};

// Every subfolder holding a run.json; newest first (by `started`, else the folder's time).
std::vector<SavedRunEntry> listSavedRuns(const QString &reportsDir);

} // namespace perflab::compare

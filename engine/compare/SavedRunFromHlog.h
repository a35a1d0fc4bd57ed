// SavedRunFromHlog: a SavedRun rebuilt from a folder's latency.hlog alone (report/HlogWriter.h),
// for folders that lost their run.json or were written by another HdrHistogram tool. Phases
// come from the tags' phase parts in order of first appearance, routes from their route parts
// (report/HlogTag.h); a tag without a route part (another writer's, or none) counts in its
// phase's total only. Per route: requests = the merged histogram's count, the rate = that count
// over the seconds the phase's intervals cover (first start to last end), p50…max from the
// merged histogram (ms, capped at its max as run.json's are; the max is a bucket bound, within
// 0.1 % of the exact one). The log holds latencies only: errors, error rates and bytes are
// unknown and left 0; the scenario name is empty and `passed` true.
#pragma once

#include "engine/compare/SavedRun.h"

#include <variant>

namespace perflab::compare {

// `hlogFile` is the latency.hlog; errors name the file and the line.
std::variant<SavedRun, QString> loadSavedRunFromHlog(const QString &hlogFile);

} // namespace perflab::compare

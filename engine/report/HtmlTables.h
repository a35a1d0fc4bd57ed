// HtmlTables: the figure tables of report.html (phases, routes, Server-Timing split), as
// HTML fragments. Every string from the input is HTML-escaped here.
//
// Change against the previous phase: each numeric cell of the phase table after the first
// phase carries the relative change in % (class "better" / "worse" / "same"). Better means
// lower for latencies, errors and error rate, higher for requests/s and cache hit rate;
// duration and request count are shown but not judged (they follow from the phase length).
//
// Server-Timing split, per phase, over all routes: the mean of each part over the responses
// that carried it. Top-level parts are those the lab's RequestIdTiming middleware lays side
// by side: `queue` (waiting for a concurrency slot) and `handler` (the rest of the chain);
// every other part (pool, db, ...) is a part *of* the handler and is listed indented,
// never added again. `total` is the server's own time from the request's first byte. The
// remainder "network and client" = client mean (uncorrected, i.e. from the actual send)
// - server total mean (or - the sum of the top-level means when no `total` was sent): what
// the wire, the kernels and the load generator's own queueing cost.
#pragma once

#include "engine/report/ReportStats.h"
#include "engine/report/RunReport.h"

#include <QString>

namespace perflab::report {

QString phaseTableHtml(const RunReport &report);
QString routeTablesHtml(const RunReport &report);
QString serverTimingHtml(const RunReport &report);

// A numeric cell: `text`, then (when there is a previous value) the change in %.
QString numberCell(const QString &text, double value, std::optional<double> previous, Better better);

} // namespace perflab::report

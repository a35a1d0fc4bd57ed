// ReportStats: the figures every report file derives from a RunReport in the same way, so
// run.json, the CSV, the charts and the HTML tables never disagree: latency summaries in ms,
// request and error counts, route merging, phase lookup by time, phase slugs, and which time
// series columns are counters (shown as rates) and which are gauges; a phase's headline
// figures and the verdict on their change from the previous phase (report.html's phase table
// and the app's phase comparison judge alike).
//
// The merging here is the report's own (LatencyHistogram::add and map sums) rather than
// load::RouteStats::add(): the writers depend on LatencyHistogram and plain values only.
#pragma once

#include "engine/report/RunReport.h"

#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace perflab::report {

// Percentiles of one histogram, in milliseconds (the histogram holds µs); HdrHistogram's
// valueAtPercentile(), but never above the exact max (the .hgrm files keep the raw values).
struct LatencySummaryMs
{
    std::uint64_t count = 0;
    double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0, mean = 0;
};
LatencySummaryMs summarizeLatency(const metrics::LatencyHistogram &histogram);

// Requests sent = complete responses + requests that ended in a transport error (connect,
// timeout, reset, protocol); 4xx/5xx are responses, counted once.
// (RouteStats::transportErrors() and errorCount() count them.)
std::uint64_t requestCount(const load::RouteStats &stats);
double errorRate(const load::RouteStats &stats); // errors / requests, 0 when none

// Every route merged into one named "all" (RouteStats::add; LoadSnapshot::total() for a
// whole snapshot).
load::RouteStats mergedRoutes(const std::vector<load::RouteStats> &routes);
// Per route across phases, by route name in first-seen order, plus nothing else.
std::vector<load::RouteStats> routesAcrossPhases(const std::vector<PhaseReport> &phases);

double phaseDurationS(const PhaseReport &phase);

// The phase a sample ending at `timestampMs` belongs to: start < t <= end (a sample stamped
// at a phase's start measured the time before it). nullopt between or outside phases.
std::optional<qsizetype> phaseIndexAt(const std::vector<PhaseReport> &phases, qint64 timestampMs);
// The phase an event belongs to: the first one that had not ended yet. A phase's settings are
// applied just before its start, so they belong to it, not to the phase before.
std::optional<qsizetype> phaseIndexForEvent(const std::vector<PhaseReport> &phases, qint64 timestampMs);

// File-name slug: lowercase, every run of non-alphanumerics -> one '-', trimmed; unique
// within the run ("phase-N" for an empty one, "-2", "-3" appended to repeats).
QString slugify(const QString &name);
QStringList phaseSlugs(const std::vector<PhaseReport> &phases);

// Counter columns (CounterDelta: requests, errors, bytes_*, cache_hits, slow_queries,
// latency_count, ...) count events in the interval and are shown per second; gauges
// (in_flight, connections, connections_connecting, *_depth, *_entries, pool_*, *_in_use,
// *_idle, *_open) and every *_ms and *_pct value are shown as sampled. The RunReport carries
// names only, so this is decided by name, following the naming of metrics/Sample.h.
bool isGaugeColumn(const QString &column);

// Sum of a column over the samples with start < timestamp <= end; nullopt without the column.
std::optional<double> sumColumn(const SeriesTable &table, const QString &column, qint64 startMs,
                                qint64 endMs);
// Server cache hit rate in % over (start, end]; nullopt without cache columns or lookups.
std::optional<double> cacheHitRatePercent(const SeriesTable &server, qint64 startMs, qint64 endMs);

// One phase over all its routes (LoadSnapshot::total()), as the phase tables show it.
struct PhaseSummary
{
    double durationS = 0;
    std::uint64_t requests = 0;
    double requestsPerS = 0; // 0 for a phase without duration
    std::uint64_t errors = 0;
    double errorRatePercent = 0;
    LatencySummaryMs corrected;
    LatencySummaryMs uncorrected;
    std::optional<double> cacheHitRatePercent; // from report.server; nullopt without lookups
};
PhaseSummary summarizePhase(const RunReport &report, const PhaseReport &phase);

// Which way a figure improves: lower for latencies and errors, higher for throughput and
// hit rate; Neither for figures that only follow from the phase (duration, request count).
enum class Better { Higher, Lower, Neither };
enum class ChangeVerdict { Same, Unjudged, Better, Worse };
// The verdict on a change of `changePercent` (changePercent() of ReportFormat.h): Same when
// it prints as "0.0%" or is smaller than `samePercent` either way, Unjudged for
// Better::Neither, else Better or Worse.
ChangeVerdict judgeChange(double changePercent, Better better, double samePercent = 0);

} // namespace perflab::report

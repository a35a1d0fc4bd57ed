// JsonReport: run.json, the machine-readable whole of a run (everything, histograms included;
// docs/reference/report-folder.md). Layout, format "perflab-run/1":
//   scenario {name, description, file, document}, target, scale, started_ms, finished_ms,
//   started (ISO 8601 UTC), duration_s, passed (every threshold passed and no claim was
//   found untrue), generator_limited (some phase's trust says so), environment {...},
//   thresholds [{phase, name, limit, actual, passed}],
//   claims [{claim, metric, phase, route ("" = whole run / every route), at_most | at_least,
//            value, status ("verified" | "not_verified" | "not_evaluated"), verified, reason,
//            text (the figures as `perflab run` prints them); relative claims add
//            vs {phase, route}, vs_value, ratio; a figure that could not be had is null}],
//   phases [{name, slug, start_ms, end_ms, duration_s, settings_patch, settings, model,
//            total: ROUTE, routes: [ROUTE...], generator: the raw figures the trust verdict is
//            judged from (elapsed_ns, asked, sent, send_lag_us buckets, threads' cpu_ns and
//            run_wait_ns, connections), trust: the generator's verdict on itself in
//            the phase (report/TrustReport.h); segment_of: the scenario phase's name when the
//            load changed while it ran and it is one of that phase's segments}],
//   total: ROUTE (all phases, all routes), routes: [ROUTE...] (all phases, per route),
//   series {client|server: {columns: ["timestamp_ms", "interval_s", ...], rows: [[...]]}},
//   events [{timestamp_ms, kind, detail}] (kind "load_changed": detail {phase, segment,
//            change, from: model, to: model})
// ROUTE = {route, requests, responses, requests_per_s, error_count, error_rate,
//   transport_errors, errors {kind: n}, status_counts {"200": n}, bytes_received, late_sends,
//   server_timing {part: {mean_ms, total_ms, count}}, latency_ms and latency_uncorrected_ms
//   {count p50 p90 p99 p999 max mean}, histogram_us {corrected, uncorrected}: the non-zero
//   buckets as [[value_us, count], ...] (value = the bucket's lowest value, HdrHistogram's
//   valueAtIndex), so the histograms can be rebuilt exactly}.
// Time series values are the samples as taken (per-interval counts, not rates).
// The per-second interval histograms are not here: latency.hlog holds them (HlogWriter.h).
#pragma once

#include "engine/report/RunReport.h"

#include <QJsonArray>
#include <QJsonObject>

namespace perflab::report {

QJsonObject runJson(const RunReport &report);

// Pieces, public for the tests and for `perflab load --json`-like callers.
QJsonArray histogramBuckets(const metrics::LatencyHistogram &histogram);
QJsonObject routeJson(const load::RouteStats &stats, double durationS);
QJsonObject modelJson(const load::LoadModel &model);
QJsonObject seriesJson(const SeriesTable &table);
QJsonObject environmentJson(const Environment &environment); // also knee.json's

} // namespace perflab::report

// KneeJson: knee.json and `perflab knee --json`, one object, format "perflab-knee/1":
//   format, mode ("rate_search" | "concurrency_sweep"), target (as given), url, embedded,
//   requests ["GET /limited", ...],
//   capacity_rps (the highest offered rate that passed; null when none did),
//   capacity_step (1-based, as the table numbers steps; null), knee_rps and knee_step (the
//   lowest offered rate that failed; null when none did), stopped_because ("p99_over_bound",
//   "rate_not_followed", "errors", "max_rate_sustained", "interrupted"), stopped_because_text,
//   flags {start_rate, max_rate, factor or step_rate, refine, step_s, warmup_s, p99_ms,
//          min_follow_share, max_error_share, connections, threads, timeout_s},
//   steps [{step, kind ("rise" | "refine"), offered_rps, achieved_rps, followed_share,
//           measured_s, responses, requests, errors, error_share, p50_ms, p99_ms, max_ms,
//           p99_uncorrected_ms, verdict ("passed" or a stopped_because key), passed}],
//   started_ms, finished_ms, started (ISO 8601 UTC), duration_s, environment {as run.json}.
// Latencies in ms, corrected for coordinated omission unless named uncorrected.
// A concurrency sweep: steps have kind "sweep", offered_rps 0 and `concurrency` (clients);
// capacity_rps is the highest throughput measured; knee_* are null; flags {concurrency_sweep,
// max_concurrency, step_s, warmup_s, max_error_share, threads, timeout_s}; and
// usl {lambda_rps, sigma, kappa, r_squared, peak_concurrency, peak_throughput_rps (null
// without a peak)} or null when no fit was possible.
#pragma once

#include "engine/knee/KneeResult.h"

#include <QJsonObject>

namespace perflab::knee {

QJsonObject kneeJson(const KneeResult &result);

} // namespace perflab::knee

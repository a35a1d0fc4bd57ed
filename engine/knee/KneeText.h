// KneeText: the terminal form of a capacity search — one table row per step as it finishes,
// then the capacity line — kept apart from the command so the wording is the same wherever
// it is printed (knee.html says the capacity line too).
#pragma once

#include "engine/knee/KneeResult.h"

#include <QString>

namespace perflab::knee {

// "949" at 100 req/s and above, "12.5" below.
QString formatRate(double rps);

QString stepTableHeader();
// `number` counts from 1.
QString stepTableRow(int number, const KneeStep &step, const KneeBounds &bounds);
// The same for a concurrency sweep: clients instead of the offered rate.
QString sweepTableHeader();
QString sweepTableRow(int number, const KneeStep &step, const KneeBounds &bounds);
// "USL fit: λ 95.1 req/s, σ 0.004, κ 1.2e-05, R² 0.97; peak at 288 clients: 1003 req/s", or
// why there is no peak, or no fit.
QString uslText(const std::optional<UslFit> &fit);
// What the bound a failed step broke was, with its figure: "p99 412 ms > 100 ms";
// "" for a step that passed.
QString verdictDetail(const KneeStep &step, const KneeBounds &bounds);
// "capacity: 949 req/s (step 9) — the knee: 1044 req/s, p99 412 ms > 100 ms"; also the
// other outcomes (--max-rate sustained, not even --start-rate, interrupted). A sweep: the
// highest throughput measured, then uslText().
QString capacityLine(const KneeResult &result);

} // namespace perflab::knee

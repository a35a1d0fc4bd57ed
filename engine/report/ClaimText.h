// ClaimText: how a judged claim reads, the same in `perflab run`'s output, report.html,
// report.pdf and the window's claims table:
//   p50_ms GET /users/{zipf:1..10000}: cache on 0.152 ms / cache off 0.311 ms = 0.49 ≤ 0.5
// Parts both sides share (metric, route, phase) are said once; each figure carries what
// differs.
#pragma once

#include "engine/report/ClaimResult.h"

#include <QString>

namespace perflab::report {

QString claimStatusText(ClaimStatus status);      // "verified", "not verified", "not evaluated"
QString claimBoundText(const ClaimResult &claim); // "≤ 0.5", "≥ 20"
// One figure of `metric` with its unit and 3 significant digits: "0.152 ms", "2.1 kB/req"...
QString claimFigureText(const QString &metric, double value);
// Everything after the claim's sentence: what was compared, both figures, the ratio and the
// bound, or why it could not be compared.
QString claimFiguresText(const ClaimResult &claim);
// "claim verified: SENTENCE — FIGURES"
QString claimLine(const ClaimResult &claim);

} // namespace perflab::report

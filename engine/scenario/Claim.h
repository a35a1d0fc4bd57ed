// Claim: one entry of a scenario's `expect` — what the scenario demonstrates, stated as a
// check between phases (or between routes of one phase) that every run evaluates.
//
//   {"claim": "A cache hit is far cheaper than a database read", "metric": "p50_ms",
//    "route": "GET /users/{zipf:1..10000}", "phase": "cache on", "vs": "cache off", "at_most": 0.5}
//
// `vs` names the reference: a phase name, or {"phase": ..., "route": ...} where each key left
// out is the claim's own (so {"route": "GET /serial"} compares two routes of one phase). With
// `vs` the bound is a ratio claim/reference (> 0); without it an absolute bound (>= 0).
// `phase` left out means every phase merged, `route` left out every route.
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace perflab::scenario {

// The metrics a claim may name; status_<code>_share (e.g. status_503_share) is the only
// pattern besides these.
inline const QStringList kClaimMetrics = {QStringLiteral("p50_ms"),
                                          QStringLiteral("p90_ms"),
                                          QStringLiteral("p99_ms"),
                                          QStringLiteral("rps"),
                                          QStringLiteral("error_rate"),
                                          QStringLiteral("bytes_per_request"),
                                          QStringLiteral("hit_rate"),
                                          QStringLiteral("stale_read_share"),
                                          QStringLiteral("job_completion_share"),
                                          QStringLiteral("status_<code>_share")};

struct ClaimSide
{
    std::optional<int> phase; // index into Scenario::phases; nullopt = every phase merged
    QString route;            // RequestSpec::name(); "" = every route
};

struct Claim
{
    QString text;
    QString metric;
    ClaimSide side;
    std::optional<ClaimSide> reference; // set: a ratio claim
    bool atMost = true;
    double limit = 0;
};

} // namespace perflab::scenario

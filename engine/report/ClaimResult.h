// ClaimResult: one `expect` claim of a scenario as the run judged it, with both figures, so
// every report file (and `perflab run`'s output) can show why it holds or not.
#pragma once

#include <QString>

#include <optional>

namespace perflab::report {

enum class ClaimStatus {
    Verified,
    NotVerified,  // the figures contradict it, or they cannot be had (`reason` says why)
    NotEvaluated, // a phase it reads was interrupted or never ran: neither held nor broken
};

struct ClaimResult
{
    QString claim;  // the scenario's sentence
    QString metric; // "p50_ms", "status_503_share", ...
    QString phase;  // "" = every phase merged
    QString route;  // "" = every route
    // A ratio claim compares (phase, route) to this reference; an absolute one has none.
    bool relative = false;
    QString referencePhase;
    QString referenceRoute;
    bool atMost = true; // the bound: value (or ratio) <= limit, else >= limit
    double limit = 0;

    std::optional<double> value;          // the claim's own figure
    std::optional<double> referenceValue; // the reference's figure (relative claims)
    std::optional<double> ratio;          // value / referenceValue
    ClaimStatus status = ClaimStatus::NotEvaluated;
    QString reason; // why a figure is missing; "" when both were measured

    // What the bound was checked on: the ratio, or the value for an absolute claim.
    std::optional<double> compared() const { return relative ? ratio : value; }
};

} // namespace perflab::report

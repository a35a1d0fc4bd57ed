// RegressionGate: `perflab compare --max-regression p99=10%,rps=5%,error_rate=0.5pp` — how much
// worse run B may be than run A before the comparison fails (exit 1), checked on every row that
// both runs have. Latency figures (p50 p90 p99 p999 max) regress when they grow, the rate (rps)
// when it falls, both in % of run A's value; the error rate regresses when it grows, in
// percentage points (an error rate of 0 in run A has no base for a %). A limit may be written
// without its unit when it is the metric's own (p99=10 is 10 %), never with the other one.
#pragma once

#include "engine/compare/RunComparison.h"

#include <QString>

#include <variant>
#include <vector>

namespace perflab::compare {

enum class GateMetric { P50, P90, P99, P999, Max, Rps, ErrorRate };

struct GateLimit
{
    GateMetric metric = GateMetric::P99;
    double limit = 0; // % for latency and rps, percentage points for error_rate
};

struct Regression
{
    QString phase;
    QString route;
    QString metric; // as written in --max-regression ("p99")
    double a = 0;
    double b = 0;
    double change = 0; // % or pp, in the direction that is worse (> limit)
    double limit = 0;
    QString text() const; // "phase 'cache on', GET /users/{id}: p99 0.41 ms -> 2.13 ms (+419.5 % > 10 %)"
};

QString gateMetricName(GateMetric metric);
// The error names the entry and says what was expected.
std::variant<std::vector<GateLimit>, QString> parseMaxRegression(const QString &spec);
std::vector<Regression> findRegressions(const std::vector<ComparisonRow> &rows,
                                        const std::vector<GateLimit> &limits);

} // namespace perflab::compare

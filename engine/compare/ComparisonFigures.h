// ComparisonFigures: the figures of the delta table of two saved runs (the window's Compare
// runs dialog, comparison.html and comparison.pdf), and the one verdict on each: green when B is
// better, red when worse — lower latency and error rate, higher rate — and no colour within
// kSameBelowPercent either way, the noise of a live run. The error rate is judged in
// percentage points: a rate of 0 has no ratio.
#pragma once

#include "engine/compare/SavedRun.h"
#include "engine/report/ReportStats.h"

#include <QString>

#include <array>

namespace perflab::compare {

enum class DeltaFigure { Rps, P50, P90, P99, P999, Max, ErrorRate };

inline constexpr std::array<DeltaFigure, 7> kDeltaFigures{
    DeltaFigure::Rps,  DeltaFigure::P50, DeltaFigure::P90,      DeltaFigure::P99,
    DeltaFigure::P999, DeltaFigure::Max, DeltaFigure::ErrorRate};
inline constexpr double kSameBelowPercent = 2.0;

// "req/s", "p50 ms", … "error rate"
QString deltaFigureHeader(DeltaFigure figure);
// The figure as the table shows it: the error rate in %.
double deltaFigureValue(const RouteFigures &figures, DeltaFigure figure);
report::ChangeVerdict deltaVerdict(const RouteFigures &a, const RouteFigures &b, DeltaFigure figure);
// A value as the files print it (C locale): req/s with 1 decimal, ms with 3 below 10 and 1 above,
// the error rate as "0.25 %".
QString deltaValueText(double value, DeltaFigure figure);
// "+12.3 %", "-4.0 %", "+0.50 pp" (error rate), "n/a" (A is 0: no base).
QString deltaChangeText(const RouteFigures &a, const RouteFigures &b, DeltaFigure figure);

} // namespace perflab::compare

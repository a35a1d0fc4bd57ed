// ReportFormat: how numbers and times read in the text files (CSV, HTML, SVG labels), so a
// value prints the same everywhere: fixed decimals with trailing zeros dropped, no exponent,
// empty for NaN/infinity.
#pragma once

#include <QString>

#include <optional>

namespace perflab::report {

// 12.5 -> "12.5", 3.0 -> "3", 0.00049 with 3 decimals -> "0"; NaN/inf -> "".
QString formatNumber(double value, int decimals = 3);
// Latency in ms for tables: 3 significant decimals below 10 ms, 2 below 100, 1 above.
QString formatMs(double ms);
// "2026-12-01 07:45:49 UTC"
QString formatUtc(qint64 msSinceEpoch);
// "1 min 20 s", "12.3 s"
QString formatDuration(double seconds);

// (current - previous) / previous in %, nullopt when previous is 0 (no meaningful ratio).
std::optional<double> changePercent(double previous, double current);
// "+12.3%", "-4.0%", "0.0%"
QString formatChange(double percent);

} // namespace perflab::report

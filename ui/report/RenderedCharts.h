// RenderedCharts: the report files that need QtGui, written next to the engine's
// (report/ReportWriter.h) into the same report folder (docs/reference/report-folder.md):
//   charts/<name>.png  one per chart ReportCharts draws (the SVGs' names: latency,
//                      throughput, and cache-hit-rate / slow-queries when the server series
//                      has them), 1200x500 pixels (ChartRender);
//   report.pdf         ReportPdfWriter.
// Each file through QSaveFile. Stops at the first failure, keeping what was written.
#pragma once

#include "engine/report/RunReport.h"

#include <QString>

#include <optional>

namespace perflab::ui {

// nullopt on success, else an error text naming the path that failed.
std::optional<QString> writeRenderedCharts(const report::RunReport &report, const QString &reportDir);

} // namespace perflab::ui

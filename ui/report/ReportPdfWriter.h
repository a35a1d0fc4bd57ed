// ReportPdfWriter: report.pdf, the printable form of report.html, A4 at 300 dpi:
//   title and description; the summary (result, target, scenario file, start, duration,
//   scale, requests, errors); the claims (verified or not, with their figures); the
//   thresholds; the charts (ReportCharts' specs drawn by
//   ChartRender, so they are vectors and match the PNG/SVG files); the per-phase table with
//   the change against the previous phase under each figure (green better, red worse, by
//   the rules of HtmlTables.h); the events (a printed chart has no tooltips); the
//   environment. Every figure comes from ReportStats/ReportFormat, as in the HTML.
// Written through QSaveFile: a failure leaves any previous report.pdf intact.
#pragma once

#include "engine/report/RunReport.h"

#include <QString>

#include <optional>

namespace perflab::ui {

// nullopt on success, else an error text naming the path that failed.
std::optional<QString> writeReportPdf(const report::RunReport &report, const QString &path);

} // namespace perflab::ui

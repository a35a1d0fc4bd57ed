// ComparisonPdfWriter: comparison.pdf, the printable form of comparison.html, A4 landscape at
// 300 dpi (PdfCursor): the two runs, the gate's verdict, the delta table — under each "A → B"
// the change, green when B is better and red when worse (compare::deltaVerdict, as the HTML and
// the window) — and the charts (the same ChartSpecs as the SVG and PNG files, drawn as vectors).
// Written through QSaveFile.
#pragma once

#include "engine/compare/ComparisonFolder.h"

#include <QString>

#include <optional>

namespace perflab::ui {

std::optional<QString> writeComparisonPdf(const compare::Comparison &comparison,
                                          const std::vector<report::NamedChart> &charts, const QString &path);

} // namespace perflab::ui

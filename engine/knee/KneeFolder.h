// KneeFolder: the output folder of `perflab knee` (default ./perflab-knee):
//   knee.json          KneeJson's object, indented (it is small and meant to be read)
//   charts/knee-rate.svg, charts/knee-latency.svg   KneeCharts, drawn by the report's SVG writer
//   knee.html          KneeHtml, written last: when it exists, every file it describes does
// The PNG twins of the charts need QtGui and come from the UI library (ui/report/ChartImages).
// Files are saved as the run report's are (report/SaveFile).
#pragma once

#include "engine/knee/KneeResult.h"

#include <QString>

#include <optional>

namespace perflab::knee {

// nullopt on success, else an error text naming the path that failed.
std::optional<QString> writeKneeFolder(const KneeResult &result, const QString &dir);

} // namespace perflab::knee

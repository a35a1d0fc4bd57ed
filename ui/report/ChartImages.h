// ChartImages: the PNG twin of each SVG chart of an output folder (charts/<name>.png beside
// charts/<name>.svg), 1200x500 pixels through ChartRender, from the same chart descriptions.
// Used by the run report (RenderedCharts) and the knee folder. Needs a QGuiApplication.
#pragma once

#include "engine/report/ReportCharts.h"

#include <QString>

#include <optional>
#include <vector>

namespace perflab::ui {

// Writes into `chartsDir` (made when missing); stops at the first failure, keeping what was
// written. nullopt on success, else an error text naming the path that failed.
std::optional<QString> writeChartImages(const std::vector<report::NamedChart> &charts,
                                        const QString &chartsDir);

} // namespace perflab::ui

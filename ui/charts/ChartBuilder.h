// ChartBuilder: one report::ChartSpec (the model the engine's ReportCharts builds from a
// RunReport, also behind charts/*.svg) turned into a QtCharts QChart, so the PNG, the PDF and
// the desktop window show the same columns, colours and transforms as the SVG/HTML report:
//   - each line is one or more QLineSeries: a NaN point (no data in that interval) ends a
//     segment, so gaps stay gaps; only a line's first segment has a legend entry;
//   - x in seconds since the run start, y from 0 to the top of ChartScale's y-scale rule on
//     nice ticks, or the spec's fixed yMax (100 for %), or a log axis (logY), all as the SVG;
//     spikes above the top are clipped and marked (SpikeOverlay);
//   - the phases as a category axis on top: their names centred over their span, dashed
//     boundaries and alternate shading;
//   - the events (setting changes) as a scatter series of triangles along the top edge.
// Kept apart from any widget: the desktop window can build a ChartSpec from live data and
// call buildChart() again, or reuse the pieces below on its own chart.
#pragma once

#include "engine/report/SvgChart.h"

#include <QChart>

#include <memory>

namespace perflab::ui {

// A chart without animations (an export must show the final state, not a frame of it).
std::unique_ptr<QChart> buildChart(const report::ChartSpec &spec);

// The segments of one line between its gaps (NaN y), after the spec's min/max downsampling.
std::vector<std::vector<QPointF>> lineSegments(const report::ChartLine &line, std::size_t maxPoints);

} // namespace perflab::ui

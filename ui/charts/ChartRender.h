// ChartRender: a report chart drawn away from any window, at a fixed logical size, so every
// export of it looks the same whatever the desktop window's size or screen:
//   PNG  1200x500 pixels at device pixel ratio 1 (QImage, antialiased),
//   SVG  the same 1200x500 through QSvgGenerator (text stays text, lines stay vectors),
//   PDF  (and any other QPainter) scaled into a target rectangle, still vector.
// The chart is laid out in its own QGraphicsScene at the logical size and rendered from
// there (QGraphicsScene::render), rather than grabbing a widget: a hidden or resized window
// would otherwise decide the export's size.
// Files are written through QSaveFile: a failed export leaves any previous file intact.
#pragma once

#include "engine/report/SvgChart.h"

#include <QImage>
#include <QRectF>
#include <QSize>
#include <QString>

#include <optional>

class QPainter;

namespace perflab::ui {

inline constexpr QSize kExportSize{1200, 500};

// Draws the chart of `spec`, laid out at `logicalSize`, into `target` of an active painter.
void renderChart(const report::ChartSpec &spec, QPainter &painter, const QRectF &target,
                 QSize logicalSize = kExportSize);

QImage chartImage(const report::ChartSpec &spec, QSize size = kExportSize);

// PNG or SVG by the path's suffix (case-insensitive); nullopt on success, else an error
// naming the path.
std::optional<QString> saveChart(const report::ChartSpec &spec, const QString &path,
                                 QSize size = kExportSize);

} // namespace perflab::ui

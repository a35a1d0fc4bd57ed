// ChartRender: see the header.
#include "ui/charts/ChartRender.h"

#include "ui/charts/ChartBuilder.h"
#include "ui/charts/SaveBytes.h"

#include <QBuffer>
#include <QChart>
#include <QFileInfo>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QPainter>
#include <QSvgGenerator>

namespace perflab::ui {

void renderChart(const report::ChartSpec &spec, QPainter &painter, const QRectF &target, QSize logicalSize)
{
    // A chart of its own in a scene of its own (declared first, so it outlives the chart and
    // the scene never deletes an item it no longer holds): a widget's chart is never moved.
    QGraphicsScene scene;
    const std::unique_ptr<QChart> owned = buildChart(spec);
    QChart &chart = *owned;
    scene.addItem(&chart);
    const QRectF source(QPointF(0, 0), QSizeF(logicalSize));
    chart.setGeometry(source);
    // The chart lays its axes and series out on a posted LayoutRequest; do it now.
    if (chart.layout())
        chart.layout()->activate();
    scene.setSceneRect(source);
    scene.render(&painter, target, source, Qt::IgnoreAspectRatio);
    scene.removeItem(&chart);
}

QImage chartImage(const report::ChartSpec &spec, QSize size)
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(1.0);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    renderChart(spec, painter, QRectF(QPointF(0, 0), QSizeF(size)), size);
    painter.end();
    return image;
}

std::optional<QString> saveChart(const report::ChartSpec &spec, const QString &path, QSize size)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (suffix == QLatin1String("png")) {
        if (!chartImage(spec, size).save(&buffer, "PNG"))
            return QStringLiteral("cannot encode PNG for %1").arg(path);
    } else if (suffix == QLatin1String("svg")) {
        QSvgGenerator generator;
        generator.setOutputDevice(&buffer);
        generator.setSize(size);
        generator.setViewBox(QRect(QPoint(0, 0), size));
        generator.setTitle(spec.title);
        generator.setDescription(QStringLiteral("Perflab chart: ") + spec.title);
        QPainter painter(&generator);
        if (!painter.isActive())
            return QStringLiteral("cannot render SVG for %1").arg(path);
        renderChart(spec, painter, QRectF(QPointF(0, 0), QSizeF(size)), size);
        painter.end();
    } else {
        return QStringLiteral("cannot write %1: unknown image type (use .png or .svg)").arg(path);
    }
    buffer.close();
    return saveBytes(path, bytes);
}

} // namespace perflab::ui

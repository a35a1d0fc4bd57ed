// ChartBuilder: see the header.
#include "ui/charts/ChartBuilder.h"

#include "engine/report/ChartScale.h"
#include "ui/charts/SpikeOverlay.h"

#include <QCategoryAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace perflab::ui {

namespace {

struct Range
{
    double xMin = 0, xMax = 1, yMin = 0, yMax = 1;
};

// The same rules as the SVG (SvgChart.cpp dataRange): y from 0 to the spec's fixed top or
// ChartScale's y-scale rule, x from the spec when given, else from the data and the phases.
Range dataRange(const report::ChartSpec &spec)
{
    Range r;
    r.xMin = std::numeric_limits<double>::infinity();
    r.xMax = -r.xMin;
    r.yMax = 0;
    for (const report::ChartLine &line : spec.lines) {
        for (const report::ChartPoint &p : line.points) {
            r.xMin = std::min(r.xMin, p.x);
            r.xMax = std::max(r.xMax, p.x);
            if (std::isfinite(p.y))
                r.yMin = std::min(r.yMin, p.y);
        }
    }
    for (const report::ChartPhase &phase : spec.phases) {
        r.xMin = std::min(r.xMin, phase.startS);
        r.xMax = std::max(r.xMax, phase.endS);
    }
    if (spec.xMax > spec.xMin) {
        r.xMin = spec.xMin;
        r.xMax = spec.xMax;
    }
    if (!std::isfinite(r.xMin) || !std::isfinite(r.xMax) || r.xMax <= r.xMin) {
        r.xMin = 0;
        r.xMax = std::isfinite(r.xMax) && r.xMax > 0 ? r.xMax : 1;
    }
    r.yMax = report::chartDataTop(spec);
    return r;
}

QValueAxis *valueAxis(const report::AxisTicks &ticks, const QString &title)
{
    auto *axis = new QValueAxis;
    axis->setRange(ticks.min, ticks.max);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(ticks.min);
    axis->setTickInterval(ticks.step);
    axis->setLabelFormat(QStringLiteral("%.") + QString::number(ticks.decimals) + QStringLiteral("f"));
    axis->setTitleText(title);
    axis->setGridLineColor(QColor(0xe0, 0xe0, 0xe0));
    axis->setMinorGridLineVisible(false);
    return axis;
}

// Labels at the powers of ten, a minor grid line at each 2..9 between them.
QLogValueAxis *logAxis(const report::AxisTicks &ticks, const QString &title)
{
    auto *axis = new QLogValueAxis;
    axis->setBase(10);
    axis->setRange(ticks.min, ticks.max);
    axis->setLabelFormat(QStringLiteral("%g"));
    axis->setMinorTickCount(8);
    axis->setTitleText(title);
    axis->setGridLineColor(QColor(0xd0, 0xd0, 0xd0));
    axis->setMinorGridLineColor(QColor(0xee, 0xee, 0xee));
    return axis;
}

// The spec's own x ticks (a percentile axis), each label on its value, with a grid line there.
QValueAxis *fixedTickAxis(const report::ChartSpec &spec, const Range &range)
{
    auto *axis = new QCategoryAxis;
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    axis->setStartValue(range.xMin);
    for (const report::ChartTick &tick : spec.xTicks) {
        if (tick.x >= range.xMin - 1e-9 && tick.x <= range.xMax + 1e-9)
            axis->append(tick.label.toHtmlEscaped(), tick.x);
    }
    axis->setRange(range.xMin, range.xMax);
    axis->setTitleText(spec.xLabel);
    axis->setGridLineColor(QColor(0xe0, 0xe0, 0xe0));
    return axis;
}

// Category labels must be unique: gaps between phases get invisible labels of distinct
// lengths, repeated phase names a zero-width-space suffix.
QString uniqueLabel(QString label, QCategoryAxis &axis)
{
    while (axis.categoriesLabels().contains(label))
        label += QChar(0x200B);
    return label;
}

QCategoryAxis *phaseAxis(const report::ChartSpec &spec, const Range &range)
{
    auto *axis = new QCategoryAxis;
    axis->setRange(range.xMin, range.xMax);
    axis->setStartValue(range.xMin);
    axis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionCenter);
    double end = range.xMin;
    const auto gapTo = [&](double x) {
        if (x > end + 1e-9) {
            axis->append(uniqueLabel(QStringLiteral(" "), *axis), x);
            end = x;
        }
    };
    for (const report::ChartPhase &phase : spec.phases) {
        const double start = std::clamp(phase.startS, range.xMin, range.xMax);
        const double stop = std::clamp(phase.endS, range.xMin, range.xMax);
        if (stop <= start || stop <= end)
            continue;
        gapTo(start);
        // Axis labels are drawn as rich text: a phase named "<cache>" must not become a tag.
        const QString name = phase.name.isEmpty() ? QStringLiteral("phase") : phase.name;
        axis->append(uniqueLabel(name.toHtmlEscaped(), *axis), stop);
        end = stop;
    }
    gapTo(range.xMax);
    QPen boundary(QColor(0x88, 0x88, 0x88));
    boundary.setStyle(Qt::DashLine);
    boundary.setWidthF(1.0);
    axis->setGridLinePen(boundary);
    axis->setShadesVisible(true);
    axis->setShadesPen(Qt::NoPen);
    axis->setShadesBrush(QColor(0, 0, 0, 14));
    axis->setLineVisible(false);
    QFont font = axis->labelsFont();
    font.setBold(true);
    axis->setLabelsFont(font);
    return axis;
}

} // namespace

std::vector<std::vector<QPointF>> lineSegments(const report::ChartLine &line, std::size_t maxPoints)
{
    std::vector<std::vector<QPointF>> segments(1);
    for (const report::ChartPoint &p : report::downsampleMinMax(line.points, maxPoints)) {
        if (!std::isfinite(p.y)) {
            if (!segments.back().empty())
                segments.emplace_back();
            continue;
        }
        segments.back().push_back(QPointF(p.x, p.y));
    }
    if (segments.size() > 1 && segments.back().empty())
        segments.pop_back();
    return segments;
}

std::unique_ptr<QChart> buildChart(const report::ChartSpec &spec)
{
    auto chart = std::make_unique<QChart>();
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setTitle(spec.title);
    QFont titleFont = chart->titleFont();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->setBackgroundBrush(Qt::white);
    chart->setBackgroundRoundness(0);
    // Fixed x ticks label the axis' right end too ("99.99%"): room for half of it.
    chart->setMargins(QMargins(8, 4, spec.xTicks.empty() ? 8 : 28, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    // A short piece of each line rather than a square: a dashed line reads dashed there too
    // (p99 and p99 uncorrected share a colour), and the events keep their triangle.
    chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);

    const Range range = dataRange(spec);
    const report::AxisTicks yTicks = report::chartYTicks(spec, range.yMin, range.yMax, 5);
    QValueAxis *xAxis = spec.xTicks.empty()
                            ? valueAxis(report::niceTicks(range.xMin, range.xMax, 10), spec.xLabel)
                            : fixedTickAxis(spec, range);
    xAxis->setRange(range.xMin, range.xMax); // the run's span exactly, ticks on nice numbers
    QAbstractAxis *yAxis = yTicks.log ? static_cast<QAbstractAxis *>(logAxis(yTicks, spec.yLabel))
                                      : valueAxis(yTicks, spec.yLabel);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    QCategoryAxis *phases = spec.phases.empty() ? nullptr : phaseAxis(spec, range);
    if (phases)
        chart->addAxis(phases, Qt::AlignTop);

    const auto attach = [&](QAbstractSeries *series) {
        chart->addSeries(series);
        series->attachAxis(xAxis);
        series->attachAxis(yAxis);
        if (phases)
            series->attachAxis(phases);
    };

    for (const report::ChartLine &line : spec.lines) {
        QPen pen{QColor(line.colour)};
        pen.setWidthF(2.0);
        pen.setStyle(line.dashed ? Qt::DashLine : Qt::SolidLine);
        pen.setJoinStyle(Qt::RoundJoin);
        pen.setCapStyle(Qt::RoundCap);
        bool first = true;
        for (const std::vector<QPointF> &segment : lineSegments(line, spec.maxPointsPerLine)) {
            auto *series = new QLineSeries;
            series->setName(line.label);
            series->setPen(pen);
            QList<QPointF> points(segment.begin(), segment.end());
            if (yTicks.log) { // a log axis has no 0: such a value sits on its floor
                for (QPointF &p : points)
                    p.setY(std::max(p.y(), yTicks.min));
            }
            series->append(points);
            series->setPointsVisible(segment.size() == 1); // a lone point draws no line
            attach(series);
            if (!first) {
                for (QLegendMarker *marker : chart->legend()->markers(series))
                    marker->setVisible(false);
            }
            first = false;
        }
    }

    if (!spec.markers.empty()) {
        auto *events = new QScatterSeries;
        events->setName(QStringLiteral("setting change"));
        events->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
        events->setMarkerSize(11);
        events->setColor(QColor(0x44, 0x44, 0x44));
        events->setBorderColor(Qt::white);
        const double eventY = yTicks.log ? yTicks.max * std::pow(yTicks.min / yTicks.max, 0.03)
                                         : yTicks.max - (yTicks.max - yTicks.min) * 0.03;
        for (const report::ChartMarker &marker : spec.markers)
            events->append(marker.x, eventY);
        attach(events);
    }

    // Attaching series may have widened the ranges to their data: put back the chart's own.
    xAxis->setRange(range.xMin, range.xMax);
    if (phases)
        phases->setRange(range.xMin, range.xMax);
    yAxis->setRange(yTicks.min, yTicks.max);

    // What rises above the axis is clipped by the plot area and marked on its top edge.
    auto *spikes = new SpikeOverlay(chart.get(), xAxis);
    spikes->setObjectName(QStringLiteral("spikes"));
    spikes->setMarks(report::chartSpikes(spec, yTicks.max, (range.xMax - range.xMin) / 12.0), spec.yUnit);
    return chart;
}

} // namespace perflab::ui

// LiveChartWidget: see the header.
#include "ui/live/LiveChartWidget.h"

#include "ui/charts/SaveBytes.h"
#include "ui/charts/SpikeOverlay.h"

#include <QBuffer>
#include <QChart>
#include <QFileInfo>
#include <QFont>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QImage>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QMouseEvent>
#include <QPainter>
#include <QPen>
#include <QResizeEvent>
#include <QSvgGenerator>
#include <QToolTip>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace perflab::ui {

namespace {

constexpr double kMarkerHoverPx = 4.0;
constexpr double kLineWidth = 1.0;

// Room between the highest point drawn and the top of the axis.
constexpr double kHeadroom = 1.1;
// The closest two spike marks come (merged otherwise): room for a label "↑ 182 ms".
constexpr double kSpikeGapPx = 80;

void hideFromLegend(QChart *chart, QLineSeries *series)
{
    const auto markers = chart->legend()->markers(series);
    for (QLegendMarker *marker : markers)
        marker->setVisible(false);
}

// Runs of non-gap points as [begin, end) index pairs; when there are more than `maxRuns`,
// only the widest (maxRuns - 1) gaps are kept and the others bridged.
std::vector<std::pair<qsizetype, qsizetype>> runsOf(const QList<QPointF> &points, qsizetype maxRuns)
{
    std::vector<std::pair<qsizetype, qsizetype>> runs;
    qsizetype begin = -1;
    for (qsizetype i = 0; i < points.size(); ++i) {
        const bool gap = std::isnan(points.at(i).y());
        if (!gap && begin < 0)
            begin = i;
        if (gap && begin >= 0) {
            runs.emplace_back(begin, i);
            begin = -1;
        }
    }
    if (begin >= 0)
        runs.emplace_back(begin, points.size());
    if (qsizetype(runs.size()) <= maxRuns)
        return runs;

    // Gap i lies between run i and run i + 1.
    std::vector<qsizetype> gaps(runs.size() - 1);
    for (qsizetype i = 0; i < qsizetype(gaps.size()); ++i)
        gaps[i] = i;
    const auto width = [&](qsizetype gap) {
        return points.at(runs[gap + 1].first).x() - points.at(runs[gap].second - 1).x();
    };
    std::nth_element(gaps.begin(), gaps.begin() + (maxRuns - 1), gaps.end(),
                     [&](qsizetype a, qsizetype b) { return width(a) > width(b); });
    std::vector<bool> kept(runs.size() - 1, false);
    for (qsizetype i = 0; i < maxRuns - 1; ++i)
        kept[gaps[i]] = true;
    std::vector<std::pair<qsizetype, qsizetype>> merged{runs.front()};
    for (qsizetype i = 1; i < qsizetype(runs.size()); ++i) {
        if (kept[i - 1])
            merged.push_back(runs[i]);
        else
            merged.back().second = runs[i].second;
    }
    return merged;
}

} // namespace

LiveChartWidget::LiveChartWidget(const QString &title, const QString &leftAxisTitle, QWidget *parent)
    : QChartView(parent)
{
    auto *chart = new QChart;
    chart->setTitle(title);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setAlignment(Qt::AlignBottom);
    // Six charts share the window: a smaller legend keeps four line names readable in one
    // row, and the unit in the time labels saves the axis title's line for the plot.
    QFont legendFont = chart->legend()->font();
    legendFont.setPointSizeF(std::max(6.0, legendFont.pointSizeF() - 1.5));
    chart->legend()->setFont(legendFont);
    chart->setMargins(QMargins(4, 4, 4, 4));

    m_x = new QValueAxis(chart);
    m_x->setLabelFormat(QStringLiteral("%.0f s"));
    m_x->setTickType(QValueAxis::TicksDynamic);
    m_x->setTickAnchor(0);
    m_x->setRange(0, 60);
    m_left = new QValueAxis(chart);
    m_left->setTitleText(leftAxisTitle);
    // Six ticks over a 1/2/5 x 10^n top land on round numbers.
    m_left->setTickCount(6);
    m_left->setRange(0, 1);
    m_right = new QValueAxis(chart);
    m_right->setTickCount(6);
    m_right->setRange(0, 1);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_left, Qt::AlignLeft);

    m_markerLine = new QLineSeries(chart);
    QPen markerPen(QColor(0x80, 0x80, 0x80));
    markerPen.setStyle(Qt::DashLine);
    // 1 px, as the lines: a wider dashed pen takes the general stroker, and 60 markers then
    // took ~60 ms a paint over six charts.
    markerPen.setWidthF(kLineWidth);
    chart->addSeries(m_markerLine);
    m_markerLine->setPen(markerPen);
    m_markerLine->attachAxis(m_x);
    m_markerLine->attachAxis(m_left);
    hideFromLegend(chart, m_markerLine);
    m_spikes[0] = new SpikeOverlay(chart, m_x);
    m_spikes[1] = new SpikeOverlay(chart, m_x);

    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 200);
}

LiveChartWidget::~LiveChartWidget() = default;

int LiveChartWidget::addLine(const QString &name, Axis axis)
{
    if (axis == Axis::Right && !chart()->axes(Qt::Vertical).contains(m_right))
        chart()->addAxis(m_right, Qt::AlignRight);
    Line line;
    line.name = name;
    line.axis = axis;
    m_lines.push_back(std::move(line));
    QLineSeries *first = newSegment(m_lines.back());
    first->setName(name);
    const auto markers = chart()->legend()->markers(first);
    for (QLegendMarker *marker : markers)
        marker->setVisible(true);
    placeLegend();
    return int(m_lines.size()) - 1;
}

QLineSeries *LiveChartWidget::newSegment(Line &line)
{
    auto *segment = new QLineSeries(chart());
    chart()->addSeries(segment);
    segment->attachAxis(m_x);
    segment->attachAxis(axisOf(line.axis));
    if (line.segments.empty()) {
        // One pixel wide: the raster engine strokes such pens on its fast path (a 2 px pen,
        // the theme's, takes several times as long to paint at a thousand points a line).
        QPen pen = segment->pen();
        pen.setWidthF(kLineWidth);
        segment->setPen(pen);
    } else {
        segment->setPen(line.segments.front()->pen()); // the theme colours only the first
    }
    segment->setVisible(line.visible);
    hideFromLegend(chart(), segment);
    line.segments.push_back(segment);
    return segment;
}

void LiveChartWidget::setRightAxisTitle(const QString &title)
{
    m_right->setTitleText(title);
}

void LiveChartWidget::setLeftAxisTitle(const QString &title)
{
    if (m_left->titleText() != title)
        m_left->setTitleText(title);
    if (m_leftLog && m_leftLog->titleText() != title)
        m_leftLog->setTitleText(title);
}

void LiveChartWidget::setTitle(const QString &title)
{
    if (chart()->title() != title)
        chart()->setTitle(title);
}

QString LiveChartWidget::title() const
{
    return chart()->title();
}

void LiveChartWidget::setFixedLeftRange(double min, double max)
{
    m_fixedLeft = std::make_pair(min, max);
    m_left->setRange(min, max);
}

void LiveChartWidget::setMinimumTop(Axis axis, double top)
{
    m_minimumTop[axis == Axis::Left ? 0 : 1] = top;
}

QAbstractAxis *LiveChartWidget::axisOf(Axis axis) const
{
    if (axis == Axis::Right)
        return m_right;
    return m_log ? static_cast<QAbstractAxis *>(m_leftLog) : m_left;
}

double LiveChartWidget::leftTop() const
{
    return m_log ? m_leftLog->max() : m_left->max();
}

void LiveChartWidget::setLogScale(bool log)
{
    if (m_log == log)
        return;
    if (!m_leftLog) {
        m_leftLog = new QLogValueAxis(chart());
        m_leftLog->setBase(10);
        m_leftLog->setLabelFormat(QStringLiteral("%g"));
        m_leftLog->setMinorTickCount(8);
        m_leftLog->setRange(0.1, 1);
    }
    QAbstractAxis *from = axisOf(Axis::Left);
    m_log = log;
    QAbstractAxis *to = axisOf(Axis::Left);
    to->setTitleText(from->titleText());
    chart()->removeAxis(from); // detaches every series from it
    chart()->addAxis(to, Qt::AlignLeft);
    for (Line &line : m_lines) {
        if (line.axis != Axis::Left)
            continue;
        for (QLineSeries *segment : line.segments)
            segment->attachAxis(to);
        line.hasPending = true; // points re-laid out on the new axis (and clamped for log)
        if (line.pending.empty())
            setLinePoints(int(&line - m_lines.data()), line.shown);
    }
    m_markerLine->attachAxis(to);
    m_markersPending = true;
    apply();
}

void LiveChartWidget::setUnit(Axis axis, const QString &unit)
{
    m_unit[axis == Axis::Left ? 0 : 1] = unit;
}

QString LiveChartWidget::unitOf(int side) const
{
    if (m_unit[side])
        return *m_unit[side];
    return (side == 0 ? m_left : m_right)->titleText();
}

void LiveChartWidget::setLinePoints(int index, const QList<QPointF> &points)
{
    Line &line = m_lines.at(std::size_t(index));
    if (m_log && line.axis == Axis::Left) {
        // A log axis has no 0 (a 0 µs latency): such points sit on the axis' floor.
        const bool nonPositive =
            std::any_of(points.begin(), points.end(), [](const QPointF &p) { return p.y() <= 0; });
        if (nonPositive) {
            QList<QPointF> clamped = points;
            for (QPointF &p : clamped) {
                if (p.y() <= 0)
                    p.setY(1e-3);
            }
            setLinePoints(index, clamped);
            return;
        }
    }
    const auto runs = runsOf(points, kMaxSegments);
    line.shown = points;
    bool bridged = false;
    for (const auto &[begin, end] : runs) {
        for (qsizetype i = begin; i < end && !bridged; ++i)
            bridged = std::isnan(points.at(i).y());
    }
    line.pending.clear();
    line.hasPending = true;
    if (runs.size() == 1 && !bridged && runs.front().first == 0 && runs.front().second == points.size()) {
        line.pending.push_back(points); // no gaps: share the list, no copy
        return;
    }
    for (const auto &[begin, end] : runs) {
        QList<QPointF> segment;
        segment.reserve(end - begin);
        for (qsizetype i = begin; i < end; ++i) {
            // Points bridged over a narrow gap: the line goes straight across it.
            if (!std::isnan(points.at(i).y()))
                segment.append(points.at(i));
        }
        line.pending.push_back(std::move(segment));
    }
}

void LiveChartWidget::setLineVisible(int index, bool visible)
{
    Line &line = m_lines.at(std::size_t(index));
    if (line.visible == visible)
        return;
    line.visible = visible;
    for (QLineSeries *segment : line.segments)
        segment->setVisible(visible);
    // A hidden series keeps its legend entry; the lines that do not apply now (no load
    // attached) should not be listed.
    const auto markers = chart()->legend()->markers(line.segments.front());
    for (QLegendMarker *marker : markers)
        marker->setVisible(visible);
    placeLegend();
}

void LiveChartWidget::setXRange(double fromX, double toX)
{
    m_pendingX = std::make_pair(fromX, toX);
}

void LiveChartWidget::setMarkers(const QList<Marker> &markers)
{
    m_markers = markers;
    m_markersPending = true;
}

void LiveChartWidget::apply()
{
    // Per axis: the top by the shared y-scale rule, rounded up to 1, 2, 2.5 or 5 × 10^n.
    double top[2] = {0, 0};
    double lowest = 0; // the left axis' floor in log scale
    for (int side = 0; side < 2; ++side) {
        m_rule.clear();
        for (const Line &line : m_lines) {
            if (line.visible && (line.axis == Axis::Left) == (side == 0)) {
                for (const QPointF &p : line.shown)
                    m_rule.add(p.y());
            }
        }
        const double dataTop = std::max(m_rule.top() * kHeadroom, m_minimumTop[side]);
        if (side == 0 && m_log) {
            const report::AxisTicks ticks = report::logTicks(m_rule.smallest(), dataTop);
            lowest = ticks.min;
            top[side] = ticks.max;
        } else {
            top[side] = report::niceNumber(dataTop, false);
        }
    }
    const std::pair<double, double> x = m_pendingX.value_or(std::make_pair(m_x->min(), m_x->max()));
    const std::pair<double, double> left =
        m_fixedLeft ? *m_fixedLeft : std::make_pair(m_log ? lowest : 0.0, top[0]);
    const std::pair<double, double> right{0.0, top[1]};
    const auto changes = [](const auto *axis, const std::pair<double, double> &range) {
        return axis->min() != range.first || axis->max() != range.second;
    };
    const bool leftChanges = m_log ? changes(m_leftLog, left) : changes(m_left, left);
    const bool rangesChange = changes(m_x, x) || leftChanges || changes(m_right, right);

    if (rangesChange) {
        // A range change recomputes every non-empty series' geometry at once (a path and its
        // hover outline each); series about to be replaced are emptied first so that each is
        // laid out once per redraw, not twice.
        for (Line &line : m_lines) {
            if (!line.hasPending)
                continue;
            for (qsizetype s = 0; s < line.usedSegments; ++s) {
                if (line.segments[std::size_t(s)]->count() > 0)
                    line.segments[std::size_t(s)]->clear();
            }
        }
        if (m_markerLine->count() > 0)
            m_markerLine->clear();
        if (changes(m_x, x)) {
            m_x->setRange(x.first, x.second);
            // Round seconds (10 s, 20 s, 1 min...) anchored at 0, so the labels stay put
            // while the window scrolls instead of reading 9 s, 19 s, 28 s.
            // Whole seconds: 2.5 s ticks would read "3 s", "8 s" under the "%.0f s" labels.
            const double interval = report::niceNumber(std::max(1.0, (x.second - x.first) / 5.0), false);
            m_x->setTickInterval(interval == 2.5 ? 2.0 : interval);
        }
        // Decimals only where the ticks need them: "1000.0" does not fit a small chart's axis.
        const auto setRange = [](QValueAxis *axis, const std::pair<double, double> &range) {
            axis->setRange(range.first, range.second);
            const double top = std::abs(range.second);
            axis->setLabelFormat(top >= 10  ? QStringLiteral("%.0f")
                                 : top >= 1 ? QStringLiteral("%.1f")
                                            : QStringLiteral("%.2f"));
        };
        if (leftChanges && m_log)
            m_leftLog->setRange(left.first, left.second);
        else if (leftChanges)
            setRange(m_left, left);
        if (changes(m_right, right))
            setRange(m_right, right);
        m_markersPending = true; // the marker lines span the left axis
    }
    m_pendingX.reset();

    for (Line &line : m_lines) {
        if (!line.hasPending)
            continue;
        while (line.segments.size() < line.pending.size())
            newSegment(line);
        for (std::size_t s = 0; s < line.pending.size(); ++s)
            line.segments[s]->replace(line.pending[s]);
        const qsizetype used = std::max<qsizetype>(1, qsizetype(line.pending.size()));
        for (qsizetype s = qsizetype(line.pending.size()); s < std::max(used, line.usedSegments); ++s) {
            if (line.segments[std::size_t(s)]->count() > 0)
                line.segments[std::size_t(s)]->clear();
        }
        line.usedSegments = used;
        line.pending.clear();
        line.hasPending = false;
    }
    if (m_markersPending)
        updateMarkerLine();
    m_markersPending = false;

    // What rises above an axis is clipped by the plot area: mark it on the top edge.
    const double plotWidth = std::max(1.0, chart()->plotArea().width());
    const double minGapX = (x.second - x.first) * kSpikeGapPx / plotWidth;
    for (int side = 0; side < 2; ++side) {
        const double axisTop = side == 0 ? left.second : right.second;
        report::SpikeFinder finder(axisTop);
        for (const Line &line : m_lines) {
            if (!line.visible || (line.axis == Axis::Left) != (side == 0))
                continue;
            finder.beginLine(line.name);
            for (const QPointF &p : line.shown)
                finder.add(p.x(), p.y());
        }
        m_spikes[side]->setMarks(finder.marks(minGapX, 6), unitOf(side));
    }
}

void LiveChartWidget::updateMarkerLine()
{
    // Up one marker and down the next, in one series (cheap to paint): the joins run beyond
    // the plot's top and bottom edges, where the plot area clips them, so only the vertical
    // lines show (joins along the edges read as brackets over the phases).
    const double span = m_left->max() - m_left->min();
    const double bottom = m_log ? m_leftLog->min() / 10 : m_left->min() - span;
    const double top = m_log ? m_leftLog->max() * 10 : m_left->max() + span;
    QList<QPointF> zigzag;
    zigzag.reserve(m_markers.size() * 2);
    bool up = true;
    for (const Marker &marker : std::as_const(m_markers)) {
        zigzag.append(QPointF(marker.x, up ? bottom : top));
        zigzag.append(QPointF(marker.x, up ? top : bottom));
        up = !up;
    }
    if (!zigzag.isEmpty() || m_markerLine->count() > 0)
        m_markerLine->replace(zigzag);
}

qsizetype LiveChartWidget::maxPointsPerLine() const
{
    const double width = chart()->plotArea().width();
    return std::max<qsizetype>(200, qsizetype(2 * width));
}

QLineSeries *LiveChartWidget::series(const QString &name) const
{
    for (const Line &line : m_lines) {
        if (line.name == name)
            return line.segments.front();
    }
    return nullptr;
}

QList<QPointF> LiveChartWidget::linePoints(const QString &name) const
{
    QList<QPointF> points;
    for (const Line &line : m_lines) {
        if (line.name != name)
            continue;
        for (qsizetype s = 0; s < line.usedSegments; ++s)
            points.append(line.segments[std::size_t(s)]->points());
    }
    return points;
}

qsizetype LiveChartWidget::segmentCount(const QString &name) const
{
    for (const Line &line : m_lines) {
        if (line.name == name)
            return line.usedSegments;
    }
    return 0;
}

QString LiveChartWidget::markerLabelAt(const QPoint &viewPos) const
{
    const QPointF chartPos = chart()->mapFromScene(mapToScene(viewPos));
    for (const SpikeOverlay *spikes : m_spikes) {
        if (QString tooltip = spikes->tooltipAt(chartPos); !tooltip.isEmpty())
            return tooltip;
    }
    if (!chart()->plotArea().adjusted(-kMarkerHoverPx, 0, kMarkerHoverPx, 0).contains(chartPos))
        return {};
    QStringList labels;
    for (const Marker &marker : m_markers) {
        // Any y inside the axis: a log axis maps 0 to nowhere.
        const double markerX =
            chart()->mapToPosition(QPointF(marker.x, m_log ? m_leftLog->min() : 0), m_markerLine).x();
        if (std::abs(markerX - chartPos.x()) <= kMarkerHoverPx)
            labels.append(marker.label);
    }
    return labels.join(QLatin1Char('\n'));
}

QStringList LiveChartWidget::spikeLabels(Axis axis) const
{
    return m_spikes[axis == Axis::Left ? 0 : 1]->labels();
}

const std::vector<report::SpikeMark> &LiveChartWidget::spikeMarks(Axis axis) const
{
    return m_spikes[axis == Axis::Left ? 0 : 1]->marks();
}

Qt::Alignment LiveChartWidget::legendAlignment() const
{
    return chart()->legend()->alignment();
}

void LiveChartWidget::placeLegend()
{
    // QLegend lays its entries out in one row under the plot and elides the names that do
    // not fit; at the right it stacks them and takes the width of the longest. Each entry is
    // its name plus the colour box, the gap and the item's margins (about two text heights).
    // Stacked at the right, though, the legend takes its width from the plot: with a second
    // value axis on a narrow chart the plot then has no room left for the axes' labels, and
    // Qt elides every one of them to "…". Numbers matter more than whole names (a hovered
    // marker still shows its name), so the legend goes right only when the plot keeps a
    // readable width beside it, and otherwise stays under the plot with its names elided.
    QLegend *legend = chart()->legend();
    const QFontMetricsF metrics(legend->font());
    double row = 0;
    double widest = 0;
    for (const QLegendMarker *marker : legend->markers()) {
        if (!marker->isVisible())
            continue;
        const double entry = metrics.horizontalAdvance(marker->label()) + 2.5 * metrics.height();
        row += entry;
        widest = std::max(widest, entry);
    }
    const double room = chart()->size().width() - chart()->margins().left() - chart()->margins().right() - 16;
    const QFontMetricsF axisMetrics(m_left->labelsFont());
    const int valueAxes = chart()->axes(Qt::Vertical).contains(m_right) ? 2 : 1;
    // An axis: its title's line, a tick label such as "0.80" or "1000" and the gaps around them.
    const double axisWidth =
        axisMetrics.height() * 2 + axisMetrics.horizontalAdvance(QStringLiteral("0.000"));
    const double plotBesideLegend = room - widest - valueAxes * axisWidth;
    const double readablePlot = 80;
    const Qt::Alignment wanted =
        row <= room || plotBesideLegend < readablePlot ? Qt::AlignBottom : Qt::AlignRight;
    if (legend->alignment() != wanted)
        legend->setAlignment(wanted);
}

void LiveChartWidget::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event); // resizes the chart
    placeLegend();
}

void LiveChartWidget::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    const QString label = markerLabelAt(event->position().toPoint());
    if (label.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), label, this);
}

std::optional<QString> LiveChartWidget::saveAs(const QString &path) const
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg"))
        return QStringLiteral("cannot write %1: unknown image type (use .png or .svg)").arg(path);

    QChart *chart = this->chart();
    const QSizeF current = chart->size();
    if (current.width() < minimumWidth() || current.height() < minimumHeight()) {
        // Never shown (e.g. in a hidden tab), so laid out at a placeholder size: lay it out at
        // the report charts' size instead; the view's next resize event puts it back.
        chart->setGeometry(QRectF(0, 0, 1200, 500));
        if (chart->layout())
            chart->layout()->activate();
    }
    const QRectF source = chart->sceneBoundingRect();
    const QSize size = source.size().toSize();
    const QRectF target(QPointF(0, 0), QSizeF(size));

    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (suffix == QLatin1String("png")) {
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        chart->scene()->render(&painter, target, source);
        painter.end();
        if (!image.save(&buffer, "PNG"))
            return QStringLiteral("cannot encode PNG for %1").arg(path);
    } else {
        QSvgGenerator generator;
        generator.setOutputDevice(&buffer);
        generator.setSize(size);
        generator.setViewBox(QRect(QPoint(0, 0), size));
        generator.setTitle(chart->title());
        generator.setDescription(QStringLiteral("Perflab live chart: ") + chart->title());
        QPainter painter(&generator);
        if (!painter.isActive())
            return QStringLiteral("cannot render SVG for %1").arg(path);
        chart->scene()->render(&painter, target, source);
        painter.end();
    }
    buffer.close();
    return saveBytes(path, bytes);
}

} // namespace perflab::ui

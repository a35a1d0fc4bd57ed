// LiveChartWidget: one live chart of the lab's panel (a QChartView): named lines on a left or
// right value axis, the shared time axis, a vertical marker at each setting change (its label
// shows on hover) and the chart's one export, saveAs(), as every chart widget has one.
//
// The widget draws what it is given and keeps no history: LiveChartsPanel owns the buffers
// and hands each line its downsampled points once per redraw. A NaN y is a gap: the line is
// split there into segments (extra QLineSeries sharing the line's pen, no legend entry); past
// kMaxSegments the narrowest gaps are bridged so that flickering data cannot create hundreds
// of series. All markers of a chart are one QLineSeries that zigzags along the plot's top and
// bottom edges between them (one series instead of one per marker: a run may have hundreds);
// the hover label comes from the view's mouse moves, not the thin line's own hover shape.
// Each y axis follows ChartScale's y-scale rule: a rare spike is drawn clipped at the top edge
// and marked there with its true value (SpikeOverlay, also in the hover label), so it cannot
// flatten the steady level. The legend sits under the plot when its entries fit in one row
// there, else at the right, one entry a row: it never elides a name.
// Kept cheap for 10 redraws a second: no animations, 1 px pens (the raster engine's fast
// path), and series about to be replaced are emptied before an axis range changes, so each
// series is laid out once per redraw instead of twice.
#pragma once

#include "engine/report/ChartScale.h"

#include <QChartView>
#include <QList>
#include <QPointF>
#include <QString>

#include <optional>
#include <utility>
#include <vector>

class QAbstractAxis;
class QLineSeries;
class QLogValueAxis;
class QValueAxis;

namespace perflab::ui {

class SpikeOverlay;

class LiveChartWidget final : public QChartView
{
    Q_OBJECT
public:
    enum class Axis { Left, Right };
    struct Marker
    {
        double x = 0;
        QString label;
    };
    static constexpr qsizetype kMaxSegments = 16;

    LiveChartWidget(const QString &title, const QString &leftAxisTitle, QWidget *parent = nullptr);
    ~LiveChartWidget() override;

    // Lines are added once, in legend order; returns the line's index.
    int addLine(const QString &name, Axis axis = Axis::Left);
    void setRightAxisTitle(const QString &title);
    void setLeftAxisTitle(const QString &title);
    void setTitle(const QString &title);
    QString title() const;
    // A fixed left range (e.g. 0-100 %) instead of autoscaling from 0 to a round top.
    void setFixedLeftRange(double min, double max);
    // The smallest autoscaled top, so an idle chart does not scale to noise.
    void setMinimumTop(Axis axis, double top);
    // The left axis logarithmic (ticks at powers of ten, from the lowest value shown) or linear
    // from 0. The y-scale rule sets its top either way.
    void setLogScale(bool log);
    bool logScale() const { return m_log; }
    // The top of the left axis in use (linear or log).
    double leftTop() const;
    // The unit of a spike's mark ("↑ 182 ms"); by default the axis title.
    void setUnit(Axis axis, const QString &unit);

    // One redraw: the points of some lines, the x range and the markers are staged, then
    // apply() autoscales the y axes and hands every staged list to its series (one replace each).
    void setLinePoints(int line, const QList<QPointF> &points);
    void setXRange(double fromX, double toX);
    void setMarkers(const QList<Marker> &markers);
    void apply();
    void setLineVisible(int line, bool visible);

    // The most points a line should get: about two per pixel of the plot's width.
    qsizetype maxPointsPerLine() const;

    // For tests and the lead: the line's first segment (its legend entry), and its points
    // over all segments in x order (gaps not included).
    QLineSeries *series(const QString &name) const;
    QList<QPointF> linePoints(const QString &name) const;
    qsizetype segmentCount(const QString &name) const;
    qsizetype markerCount() const { return m_markers.size(); }
    const QList<Marker> &markers() const { return m_markers; }
    // The labels (one a line) of the markers within a few pixels of a point of the view: the
    // hover tooltip's text, empty when none is near.
    // A clipped spike's mark under the point reads as its line, true value and time.
    QString markerLabelAt(const QPoint &viewPos) const;
    // The marks of the spikes above an axis, as drawn ("↑ 182 ms"), in x order.
    QStringList spikeLabels(Axis axis) const;
    const std::vector<report::SpikeMark> &spikeMarks(Axis axis) const;
    // Where the legend is: Qt::AlignBottom (one row fits) or Qt::AlignRight.
    Qt::Alignment legendAlignment() const;
    QValueAxis *xAxis() const { return m_x; }
    QValueAxis *leftAxis() const { return m_left; }
    QValueAxis *rightAxis() const { return m_right; }

    // PNG or SVG by the path's suffix, at the chart's current size; nullopt on success, else
    // an error naming the path. Written through QSaveFile: a failure leaves an old file intact.
    std::optional<QString> saveAs(const QString &path) const;

protected:
    void mouseMoveEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Line
    {
        QString name;
        Axis axis = Axis::Left;
        std::vector<QLineSeries *> segments; // [0] is the legend entry
        qsizetype usedSegments = 1;
        std::vector<QList<QPointF>> pending; // segments staged for apply()
        bool hasPending = false;
        QList<QPointF> shown; // every point of the last setLinePoints (shared, not copied)
        bool visible = true;
    };

    QLineSeries *newSegment(Line &line);
    void updateMarkerLine();
    void placeLegend();
    QString unitOf(int side) const;
    QAbstractAxis *axisOf(Axis axis) const;

    std::vector<Line> m_lines;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_left = nullptr;
    QValueAxis *m_right = nullptr;      // only on the chart once a line uses it
    QLogValueAxis *m_leftLog = nullptr; // replaces m_left on the chart in log scale
    bool m_log = false;
    QLineSeries *m_markerLine = nullptr;
    QList<Marker> m_markers;
    bool m_markersPending = false;
    std::optional<std::pair<double, double>> m_pendingX;
    std::optional<std::pair<double, double>> m_fixedLeft;
    double m_minimumTop[2] = {1.0, 1.0};
    std::optional<QString> m_unit[2];
    SpikeOverlay *m_spikes[2] = {nullptr, nullptr};
    report::YScaleRule m_rule; // reused: no allocation per redraw
};

} // namespace perflab::ui

// SpikeOverlay: the marks of the spikes a chart clips (ChartScale's y-scale rule) on a QChart:
// a small triangle on the plot's top edge over each spike and its true value beside it
// ("↑ 182 ms"). The items are the chart's own children and follow its plot area and x axis,
// so whatever renders the chart's scene (the window, PNG, SVG, PDF) shows them too.
#pragma once

#include "engine/report/ChartScale.h"

#include <QObject>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <vector>

class QChart;
class QGraphicsItem;
class QValueAxis;

namespace perflab::ui {

class SpikeOverlay final : public QObject
{
    Q_OBJECT
public:
    // Owned by the chart (its QObject parent).
    SpikeOverlay(QChart *chart, QValueAxis *xAxis);
    ~SpikeOverlay() override;

    // Replaces the marks (nothing is redone when they are the same).
    void setMarks(std::vector<report::SpikeMark> marks, const QString &unit);
    const std::vector<report::SpikeMark> &marks() const { return m_marks; }
    // The texts shown, in x order ("↑ 182 ms").
    QStringList labels() const;
    // The tooltip of the mark under a point in chart coordinates, empty when none is there.
    QString tooltipAt(const QPointF &chartPos) const;

private:
    struct Item
    {
        QGraphicsItem *triangle;
        QGraphicsItem *label; // a white box holding the text
    };

    void layout();
    void clearItems();

    QChart *m_chart;
    QValueAxis *m_x;
    std::vector<report::SpikeMark> m_marks;
    QString m_unit;
    std::vector<Item> m_items;
};

} // namespace perflab::ui

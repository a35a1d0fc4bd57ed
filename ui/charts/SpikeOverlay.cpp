// SpikeOverlay: see the header.
#include "ui/charts/SpikeOverlay.h"

#include <QBrush>
#include <QChart>
#include <QFont>
#include <QGraphicsPolygonItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QLegend>
#include <QPen>
#include <QValueAxis>

namespace perflab::ui {

namespace {
constexpr double kZ = 1000; // above the series, grid and legend
constexpr double kTriangleHalf = 5;
constexpr double kTriangleHeight = 8;
constexpr double kPadding = 2;
} // namespace

SpikeOverlay::SpikeOverlay(QChart *chart, QValueAxis *xAxis) : QObject(chart), m_chart(chart), m_x(xAxis)
{
    connect(chart, &QChart::plotAreaChanged, this, &SpikeOverlay::layout);
    connect(xAxis, &QValueAxis::rangeChanged, this, &SpikeOverlay::layout);
}

SpikeOverlay::~SpikeOverlay() = default; // the items are the chart's children

void SpikeOverlay::clearItems()
{
    for (const Item &item : m_items) {
        delete item.triangle;
        delete item.label;
    }
    m_items.clear();
}

void SpikeOverlay::setMarks(std::vector<report::SpikeMark> marks, const QString &unit)
{
    if (marks == m_marks && unit == m_unit)
        return;
    m_marks = std::move(marks);
    m_unit = unit;
    clearItems();
    QFont font = m_chart->legend()->font(); // the size of the chart's small print
    font.setBold(true);
    for (const report::SpikeMark &mark : m_marks) {
        const QString tooltip = report::spikeTooltip(mark, unit);
        auto *triangle =
            new QGraphicsPolygonItem(QPolygonF({QPointF(0, 0), QPointF(-kTriangleHalf, kTriangleHeight),
                                                QPointF(kTriangleHalf, kTriangleHeight)}),
                                     m_chart);
        triangle->setBrush(QColor(0x22, 0x22, 0x22));
        triangle->setPen(QPen(Qt::white, 1));
        triangle->setZValue(kZ);
        triangle->setToolTip(tooltip);
        auto *box = new QGraphicsRectItem(m_chart);
        box->setBrush(QColor(255, 255, 255, 220));
        box->setPen(Qt::NoPen);
        box->setZValue(kZ);
        box->setToolTip(tooltip);
        auto *text = new QGraphicsSimpleTextItem(report::spikeLabel(mark.value, unit), box);
        text->setFont(font);
        text->setBrush(QColor(0x22, 0x22, 0x22));
        text->setPos(kPadding, 0);
        box->setRect(QRectF(QPointF(0, 0), text->boundingRect().size() + QSizeF(2 * kPadding, 0)));
        m_items.push_back({triangle, box});
    }
    layout();
}

void SpikeOverlay::layout()
{
    const QRectF plot = m_chart->plotArea();
    const double span = m_x->max() - m_x->min();
    for (std::size_t i = 0; i < m_items.size(); ++i) {
        const Item &item = m_items[i];
        const double x =
            span > 0 ? plot.left() + (m_marks[i].x - m_x->min()) / span * plot.width() : plot.left();
        const bool inside = plot.width() > 0 && x >= plot.left() - 0.5 && x <= plot.right() + 0.5;
        item.triangle->setVisible(inside);
        item.label->setVisible(inside);
        if (!inside)
            continue;
        item.triangle->setPos(x, plot.top() + 1);
        const double width = item.label->boundingRect().width();
        const bool leftOfMark = x + kTriangleHalf + 2 + width > plot.right();
        item.label->setPos(leftOfMark ? x - kTriangleHalf - 2 - width : x + kTriangleHalf + 2,
                           plot.top() + 1);
    }
}

QStringList SpikeOverlay::labels() const
{
    QStringList texts;
    for (const report::SpikeMark &mark : m_marks)
        texts.append(report::spikeLabel(mark.value, m_unit));
    return texts;
}

QString SpikeOverlay::tooltipAt(const QPointF &chartPos) const
{
    for (std::size_t i = 0; i < m_items.size(); ++i) {
        const Item &item = m_items[i];
        for (const QGraphicsItem *shape : {item.triangle, item.label}) {
            if (shape->isVisible() &&
                shape->sceneBoundingRect().adjusted(-2, -2, 2, 2).contains(m_chart->mapToScene(chartPos)))
                return report::spikeTooltip(m_marks[i], m_unit);
        }
    }
    return {};
}

} // namespace perflab::ui

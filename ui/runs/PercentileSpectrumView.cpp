// PercentileSpectrumView: see PercentileSpectrumView.h.
#include "ui/runs/PercentileSpectrumView.h"

#include "engine/compare/ComparisonCharts.h"
#include "engine/report/SvgChart.h"

#include <QCategoryAxis>
#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

#include <QPen>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace perflab::ui {

PercentileSpectrumView::PercentileSpectrumView(QWidget *parent) : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    setMinimumHeight(260);
}

QList<QPointF> PercentileSpectrumView::spectrumPoints(const metrics::LatencyHistogram &histogram)
{
    // The same points as comparison.html's spectra, so the window and the files agree.
    QList<QPointF> points;
    for (const report::ChartPoint &p : compare::spectrumPoints(histogram))
        points.append({p.x, p.y});
    return points;
}

void PercentileSpectrumView::setHistograms(const metrics::LatencyHistogram &a, const QString &labelA,
                                           const metrics::LatencyHistogram &b, const QString &labelB,
                                           const QString &title)
{
    QChart *c = chart();
    c->removeAllSeries();
    for (QAbstractAxis *axis : c->axes())
        c->removeAxis(axis);
    c->setTitle(title);
    auto *x = new QCategoryAxis;
    x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    x->setTitleText(QStringLiteral("percentile"));
    auto *y = new QValueAxis;
    y->setTitleText(QStringLiteral("latency (ms)"));
    c->addAxis(x, Qt::AlignBottom);
    c->addAxis(y, Qt::AlignLeft);
    double maxX = 1, maxY = 0;
    // A blue and B orange, as in comparison.html and its charts.
    for (const auto &[histogram, label, colour] :
         {std::tuple{&a, labelA, report::Palette::Blue}, std::tuple{&b, labelB, report::Palette::Orange}}) {
        auto *series = new QLineSeries;
        series->setName(label);
        QPen pen{QColor(QLatin1String(colour))};
        pen.setWidthF(2.0);
        series->setPen(pen);
        const QList<QPointF> points = spectrumPoints(*histogram);
        for (const QPointF &p : points) {
            maxX = std::max(maxX, p.x());
            maxY = std::max(maxY, p.y());
        }
        series->replace(points);
        c->addSeries(series);
        series->attachAxis(x);
        series->attachAxis(y);
    }
    static const char *const labels[] = {"0%", "90%", "99%", "99.9%", "99.99%", "99.999%", "99.9999%"};
    const int decades = std::min(6, int(std::ceil(maxX)));
    for (int d = 0; d <= decades; ++d)
        x->append(QString::fromLatin1(labels[d]), d);
    x->setRange(0, std::max(1, decades));
    y->setRange(0, maxY > 0 ? maxY * 1.05 : 1);
    y->applyNiceNumbers();
}

} // namespace perflab::ui

// PercentileSpectrumView: see PercentileSpectrumView.h.
#include "runs/PercentileSpectrumView.h"

#include <QCategoryAxis>
#include <QChart>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace perflab::ui {

namespace {

constexpr double kStep = 0.02; // in decades of 1/(1 − p): 50 points a decade

} // namespace

PercentileSpectrumView::PercentileSpectrumView(QWidget *parent) : QChartView(new QChart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    chart()->legend()->setAlignment(Qt::AlignBottom);
    setMinimumHeight(260);
}

QList<QPointF> PercentileSpectrumView::spectrumPoints(const metrics::LatencyHistogram &histogram)
{
    QList<QPointF> points;
    const std::uint64_t count = histogram.totalCount();
    if (count == 0)
        return points;
    const double lastX = count > 1 ? std::log10(double(count)) : 0.0;
    for (double x = 0; x <= lastX + 1e-9; x += kStep) {
        const double percentile = 100.0 * (1.0 - std::pow(10.0, -x));
        points.append({x, double(histogram.valueAtPercentile(percentile)) / 1000.0});
    }
    points.append({lastX, double(histogram.max()) / 1000.0});
    return points;
}

void PercentileSpectrumView::setHistograms(const metrics::LatencyHistogram &a, const QString &labelA,
                                           const metrics::LatencyHistogram &b, const QString &labelB, const QString &title)
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
    for (const auto &[histogram, label] : {std::pair{&a, labelA}, std::pair{&b, labelB}}) {
        auto *series = new QLineSeries;
        series->setName(label);
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

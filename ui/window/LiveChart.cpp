// LiveChart: see LiveChart.h.
#include "window/LiveChart.h"

#include <QChart>
#include <QJsonDocument>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace perflab::ui {

namespace {

// A round top for a y axis: 1, 2 or 5 times a power of ten, at least `minimum`.
double niceTop(double value, double minimum)
{
    value = std::max(value, minimum);
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (value <= step * magnitude)
            return step * magnitude;
    }
    return 10 * magnitude;
}

double maxY(const QLineSeries *series)
{
    double top = 0;
    for (const QPointF &p : series->points())
        top = std::max(top, p.y());
    return top;
}

void dropBefore(QLineSeries *series, double x)
{
    qsizetype old = 0;
    while (old < series->count() && series->at(int(old)).x() < x)
        ++old;
    if (old > 0)
        series->removePoints(0, int(old));
}

} // namespace

LiveChart::LiveChart(const metrics::SampleSchema &schema, QWidget *parent)
    : QChartView(parent),
      m_p50Column(schema.indexOf(QStringLiteral("latency_p50_ms"))),
      m_p99Column(schema.indexOf(QStringLiteral("latency_p99_ms"))),
      m_requestsColumn(schema.indexOf(QStringLiteral("requests")))
{
    auto *chart = new QChart;
    chart->setTitle(QStringLiteral("Live: latency and throughput, last 60 s"));
    chart->legend()->setAlignment(Qt::AlignBottom);

    m_p50 = new QLineSeries(chart);
    m_p50->setName(QStringLiteral("p50 latency (ms)"));
    m_p99 = new QLineSeries(chart);
    m_p99->setName(QStringLiteral("p99 latency (ms)"));
    m_requests = new QLineSeries(chart);
    m_requests->setName(QStringLiteral("requests/s"));
    for (QLineSeries *s : {m_p50, m_p99, m_requests})
        chart->addSeries(s);

    m_x = new QValueAxis(chart);
    m_x->setTitleText(QStringLiteral("time (s)"));
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    m_x->setRange(0, kWindowS);
    m_latencyAxis = new QValueAxis(chart);
    m_latencyAxis->setTitleText(QStringLiteral("latency (ms)"));
    m_latencyAxis->setRange(0, 1);
    m_rateAxis = new QValueAxis(chart);
    m_rateAxis->setTitleText(QStringLiteral("requests/s"));
    m_rateAxis->setRange(0, 10);
    // Six ticks over a 1/2/5 x 10^n top (niceTop) land on round numbers (5 ticks gave 1.3, 3.8).
    m_latencyAxis->setTickCount(6);
    m_rateAxis->setTickCount(6);
    m_x->setTickCount(7); // every 10 s
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_latencyAxis, Qt::AlignLeft);
    chart->addAxis(m_rateAxis, Qt::AlignRight);
    for (QLineSeries *s : {m_p50, m_p99}) {
        s->attachAxis(m_x);
        s->attachAxis(m_latencyAxis);
    }
    m_requests->attachAxis(m_x);
    m_requests->attachAxis(m_rateAxis);

    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(480, 300);

    m_redraw.setInterval(100);
    connect(&m_redraw, &QTimer::timeout, this, &LiveChart::flush);
    m_redraw.start();
}

double LiveChart::xOf(qint64 timestampMs)
{
    if (m_originMs == 0)
        m_originMs = timestampMs;
    return double(timestampMs - m_originMs) / 1000.0;
}

void LiveChart::addSample(const metrics::Sample &sample)
{
    m_pending.append(sample);
}

void LiveChart::addMarker(qint64 timestampMs, const QJsonObject &patch)
{
    auto *line = new QLineSeries(chart());
    line->setName(QString());
    QPen pen(QColor(0x80, 0x80, 0x80));
    pen.setStyle(Qt::DashLine);
    pen.setWidthF(1.5);
    line->setPen(pen);
    line->setObjectName(QString::fromUtf8(QJsonDocument(patch).toJson(QJsonDocument::Compact)));
    const double x = xOf(timestampMs);
    line->append(x, 0);
    line->append(x, m_latencyAxis->max());
    chart()->addSeries(line);
    line->attachAxis(m_x);
    line->attachAxis(m_latencyAxis);
    // Markers are not legend entries.
    const auto markers = chart()->legend()->markers(line);
    for (auto *marker : markers)
        marker->setVisible(false);
    m_markers.push_back(Marker{x, line});
}

void LiveChart::flush()
{
    if (m_pending.isEmpty())
        return;
    QList<QPointF> p50, p99, requests;
    for (const metrics::Sample &sample : std::as_const(m_pending)) {
        const double x = xOf(sample.timestampMs);
        m_latestX = std::max(m_latestX, x);
        p50.append({x, sample.value(m_p50Column)});
        p99.append({x, sample.value(m_p99Column)});
        requests.append({x, sample.perSecond(m_requestsColumn)});
    }
    m_pending.clear();
    m_p50->append(p50);
    m_p99->append(p99);
    m_requests->append(requests);

    const double start = std::max(0.0, m_latestX - kWindowS);
    for (QLineSeries *s : {m_p50, m_p99, m_requests})
        dropBefore(s, start);
    while (!m_markers.empty() && m_markers.front().x < start) {
        chart()->removeSeries(m_markers.front().line);
        delete m_markers.front().line;
        m_markers.pop_front();
    }
    m_x->setRange(start, start + kWindowS);
    const double latencyTop = niceTop(std::max(maxY(m_p50), maxY(m_p99)) * 1.1, 1.0);
    m_latencyAxis->setRange(0, latencyTop);
    m_rateAxis->setRange(0, niceTop(maxY(m_requests) * 1.1, 10.0));
    for (const Marker &marker : m_markers)
        marker.line->replace(1, QPointF(marker.x, latencyTop));
}

} // namespace perflab::ui

// LiveChart: the last 60 s of the lab's live time series in the main window: p50 and p99
// latency (ms, left axis) and requests/s (right axis), fed from Sampler::sampled (every
// 100 ms). Samples are buffered and the series redrawn from a 100 ms timer, so the chart
// repaints at most 10 times a second whatever the sample rate; points older than the window
// are dropped. Each setting change is a vertical marker line (a 2-point QLineSeries) at the
// time of the change, dropped with the points once it scrolls out.
// x is seconds since the chart's first sample, so the axis reads as the lab's uptime view.
#pragma once

#include "metrics/Sample.h"

#include <QChartView>
#include <QJsonObject>
#include <QList>
#include <QTimer>

#include <deque>

class QLineSeries;
class QValueAxis;

namespace perflab::ui {

class LiveChart final : public QChartView
{
    Q_OBJECT
public:
    static constexpr double kWindowS = 60.0;

    explicit LiveChart(const metrics::SampleSchema &schema, QWidget *parent = nullptr);

    QLineSeries *p50Series() const { return m_p50; }
    QLineSeries *p99Series() const { return m_p99; }
    QLineSeries *requestsSeries() const { return m_requests; }
    qsizetype markerCount() const { return qsizetype(m_markers.size()); }

public Q_SLOTS:
    void addSample(const perflab::metrics::Sample &sample);
    void addMarker(qint64 timestampMs, const QJsonObject &patch);

private:
    struct Marker
    {
        double x = 0;
        QLineSeries *line = nullptr;
    };
    void flush();
    double xOf(qint64 timestampMs);

    QLineSeries *m_p50 = nullptr;
    QLineSeries *m_p99 = nullptr;
    QLineSeries *m_requests = nullptr;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_latencyAxis = nullptr;
    QValueAxis *m_rateAxis = nullptr;
    qsizetype m_p50Column = -1;
    qsizetype m_p99Column = -1;
    qsizetype m_requestsColumn = -1;
    qint64 m_originMs = 0;
    double m_latestX = 0;
    QList<metrics::Sample> m_pending;
    std::deque<Marker> m_markers;
    QTimer m_redraw;
};

} // namespace perflab::ui

// PercentileSpectrumView: two latency histograms' percentile spectra overlaid, on the axis
// HdrHistogram's own plots use: x = 1/(1 − percentile) on a log scale, so 90 %, 99 %, 99.9 %
// and 99.99 % are equal steps and the tail gets as much room as the median; y the latency in
// ms. Each line stops at the highest percentile its sample count can tell apart
// (1 − 1/count): beyond it a "99.999 %" would be the max drawn again.
#pragma once

#include "engine/metrics/LatencyHistogram.h"

#include <QChartView>
#include <QList>
#include <QPointF>

namespace perflab::ui {

class PercentileSpectrumView final : public QChartView
{
    Q_OBJECT
public:
    explicit PercentileSpectrumView(QWidget *parent = nullptr);

    void setHistograms(const metrics::LatencyHistogram &a, const QString &labelA,
                       const metrics::LatencyHistogram &b, const QString &labelB, const QString &title);

    // x = log10(1 / (1 − p)), y in ms; empty for an empty histogram.
    static QList<QPointF> spectrumPoints(const metrics::LatencyHistogram &histogram);
};

} // namespace perflab::ui

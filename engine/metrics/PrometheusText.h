// PrometheusText: renders a Registry in the Prometheus text exposition format 0.0.4, the body
// of GET /metrics. Checked against `promtool check metrics` in the tests.
//
// Counters and gauges print their value; histograms print cumulative `_bucket{le="..."}` lines
// (from LatencyHistogram::countAtOrBelow at bucket resolution, so within 0.1 % of the bound),
// `le="+Inf"`, `_sum` in seconds and `_count`. Numbers and `le` values are formatted as the Go
// client does (strconv 'g', shortest), so `le` label values match other exporters'.
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringView>

#include <utility>

namespace perflab::metrics {

class Registry;

class PrometheusText
{
public:
    static constexpr char kContentType[] = "text/plain; version=0.0.4; charset=utf-8";

    // `constantLabels` (e.g. instance="2" in a cluster) go first on every sample, so that the
    // figures of several processes can be told apart once scraped together.
    static QByteArray render(const Registry &registry,
                             const QList<std::pair<QString, QString>> &constantLabels = {});

    // Label value escaping: backslash, double quote and line feed.
    static QString escapeLabelValue(QStringView value);
    // HELP text escaping: backslash and line feed.
    static QString escapeHelp(QStringView help);
    // A sample value or `le` bound as Go's strconv.FormatFloat(v, 'g', -1, 64) writes it, with
    // +Inf, -Inf and NaN spelled as the format wants.
    static QByteArray formatDouble(double value);
};

} // namespace perflab::metrics

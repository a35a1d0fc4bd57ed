// Sample: one row of the live time series (one sampler interval), and the SeriesSpecs that
// say which registry values become its columns.
//
// A Sample is a plain value: timestamp, interval length and one double per column, in the
// order of its SampleSchema. Columns per spec kind (key = SeriesSpec::key):
//   CounterDelta    key            samples counted in the interval (rate = value / intervalS)
//   GaugeValue      key            the gauge at the end of the interval
//   LatencySummary  key_count, key_mean_ms, key_p50_ms, key_p90_ms, key_p99_ms,
//                   key_p999_ms, key_max_ms   of the samples recorded in the interval
//   Computed        key            what the spec's function returns at the end of the interval
//                                  (for figures that are not in a registry; the function is
//                                  also called when the sampler takes its baseline, its value
//                                  dropped, so a function that returns an interval's figure can
//                                  start its own interval there)
// Values are summed (counters, gauges) or merged (histograms) over every series of the family
// whose labels match all the spec's matchers.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace perflab::metrics {

// label =~ pattern, anchored at both ends as in PromQL: {u"status"_s, u"5.."_s}.
struct LabelMatcher
{
    LabelMatcher(QString label, const QString &pattern);
    bool matches(const QString &value) const { return regex.match(value).hasMatch(); }

    QString label;
    QRegularExpression regex;
};

struct SeriesSpec
{
    enum class Kind { CounterDelta, GaugeValue, LatencySummary, Computed };

    static SeriesSpec counterDelta(QString key, QString family, QList<LabelMatcher> matchers = {});
    static SeriesSpec gaugeValue(QString key, QString family, QList<LabelMatcher> matchers = {});
    static SeriesSpec latencySummary(QString key, QString family, QList<LabelMatcher> matchers = {});
    // Called on the sampler's thread; an empty function reads 0.
    static SeriesSpec computed(QString key, std::function<double()> compute);

    // Whether a series with these label names/values is selected.
    bool selects(const QStringList &labelNames, const QStringList &labelValues) const;

    Kind kind = Kind::CounterDelta;
    QString key;
    QString family;
    QList<LabelMatcher> matchers;
    std::function<double()> compute; // Computed only
};

// Column names of the samples, derived from the specs (immutable once built).
class SampleSchema
{
public:
    SampleSchema() = default;
    explicit SampleSchema(const std::vector<SeriesSpec> &specs);

    const QStringList &columns() const { return m_columns; }
    qsizetype indexOf(const QString &column) const { return m_columns.indexOf(column); }
    qsizetype size() const { return m_columns.size(); }

    static QStringList latencyColumnSuffixes(); // _count, _mean_ms, _p50_ms, ...

private:
    QStringList m_columns;
};

struct Sample
{
    qint64 timestampMs = 0; // end of the interval, ms since the epoch
    double intervalS = 0;   // measured length of the interval
    QList<double> values;   // one per SampleSchema column (implicitly shared: cheap copies)

    double value(qsizetype column) const
    {
        return column >= 0 && column < values.size() ? values.at(column) : 0.0;
    }
    double perSecond(qsizetype column) const { return intervalS > 0 ? value(column) / intervalS : 0.0; }
};

// A marker beside the samples, e.g. a setting change: kind "settings", detail the patch.
struct TimeSeriesEvent
{
    qint64 timestampMs = 0;
    QString kind;
    QJsonObject detail;
};

} // namespace perflab::metrics

Q_DECLARE_METATYPE(perflab::metrics::Sample)

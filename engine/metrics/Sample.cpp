// SeriesSpec matching and the column layout of samples.
#include "engine/metrics/Sample.h"

using namespace Qt::StringLiterals;

namespace perflab::metrics {

LabelMatcher::LabelMatcher(QString labelName, const QString &pattern)
    : label(std::move(labelName)), regex(QRegularExpression::anchoredPattern(pattern))
{
}

SeriesSpec SeriesSpec::counterDelta(QString key, QString family, QList<LabelMatcher> matchers)
{
    return SeriesSpec{Kind::CounterDelta, std::move(key), std::move(family), std::move(matchers)};
}

SeriesSpec SeriesSpec::gaugeValue(QString key, QString family, QList<LabelMatcher> matchers)
{
    return SeriesSpec{Kind::GaugeValue, std::move(key), std::move(family), std::move(matchers)};
}

SeriesSpec SeriesSpec::latencySummary(QString key, QString family, QList<LabelMatcher> matchers)
{
    return SeriesSpec{Kind::LatencySummary, std::move(key), std::move(family), std::move(matchers)};
}

SeriesSpec SeriesSpec::computed(QString key, std::function<double()> compute)
{
    SeriesSpec spec{Kind::Computed, std::move(key), QString(), {}};
    spec.compute = std::move(compute);
    return spec;
}

bool SeriesSpec::selects(const QStringList &labelNames, const QStringList &labelValues) const
{
    for (const LabelMatcher &matcher : matchers) {
        const qsizetype at = labelNames.indexOf(matcher.label);
        // A label the family does not have is the empty string, as in PromQL.
        const QString value = at >= 0 && at < labelValues.size() ? labelValues.at(at) : QString();
        if (!matcher.matches(value))
            return false;
    }
    return true;
}

QStringList SampleSchema::latencyColumnSuffixes()
{
    return {u"_count"_s,  u"_mean_ms"_s, u"_p50_ms"_s, u"_p90_ms"_s,
            u"_p99_ms"_s, u"_p999_ms"_s, u"_max_ms"_s};
}

SampleSchema::SampleSchema(const std::vector<SeriesSpec> &specs)
{
    for (const SeriesSpec &spec : specs) {
        if (spec.kind == SeriesSpec::Kind::LatencySummary) {
            for (const QString &suffix : latencyColumnSuffixes())
                m_columns.append(spec.key + suffix);
        } else {
            m_columns.append(spec.key);
        }
    }
}

} // namespace perflab::metrics

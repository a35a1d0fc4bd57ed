// Registry and metric families: registration, name validation, the /admin/stats snapshot.
#include "engine/metrics/Registry.h"

#include <QJsonArray>

#include <cmath>
#include <stdexcept>

using namespace Qt::StringLiterals;

namespace perflab::metrics {

namespace {

bool isNameChar(QChar c, bool first, bool allowColon)
{
    const char16_t u = c.unicode();
    const bool letter =
        (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || u == u'_' || (allowColon && u == u':');
    return letter || (!first && u >= u'0' && u <= u'9');
}

bool isValidName(const QString &name, bool allowColon)
{
    if (name.isEmpty())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        if (!isNameChar(name.at(i), i == 0, allowColon))
            return false;
    }
    return true;
}

[[noreturn]] void invalid(const QString &message)
{
    throw std::invalid_argument(message.toStdString());
}

QJsonObject labelsJson(const QStringList &names, const QStringList &values)
{
    QJsonObject labels;
    for (qsizetype i = 0; i < names.size() && i < values.size(); ++i)
        labels.insert(names.at(i), values.at(i));
    return labels;
}

double toMs(std::int64_t us)
{
    return static_cast<double>(us) / 1000.0;
}

} // namespace

bool isValidMetricName(const QString &name)
{
    return isValidName(name, true);
}

bool isValidLabelName(const QString &name)
{
    return isValidName(name, false) && !name.startsWith(u"__"_s);
}

MetricFamily::MetricFamily(MetricType type, QString name, QString help, QStringList labelNames)
    : m_type(type), m_name(std::move(name)), m_help(std::move(help)), m_labelNames(std::move(labelNames))
{
    if (!isValidMetricName(m_name))
        invalid(u"invalid metric name '%1'"_s.arg(m_name));
    for (qsizetype i = 0; i < m_labelNames.size(); ++i) {
        const QString &label = m_labelNames.at(i);
        if (!isValidLabelName(label))
            invalid(u"metric %1: invalid label name '%2'"_s.arg(m_name, label));
        if (m_labelNames.indexOf(label) != i)
            invalid(u"metric %1: label '%2' given twice"_s.arg(m_name, label));
        if (type == MetricType::Histogram && label == u"le"_s)
            invalid(u"metric %1: a histogram cannot have a label named 'le'"_s.arg(m_name));
    }
}

void MetricFamily::checkLabelValues(const QStringList &labelValues) const
{
    if (labelValues.size() != m_labelNames.size())
        invalid(u"metric %1: %2 label values for %3 label names"_s.arg(m_name)
                    .arg(labelValues.size())
                    .arg(m_labelNames.size()));
}

CounterFamily::CounterFamily(QString name, QString help, QStringList labelNames)
    : FamilyOf(MetricType::Counter, std::move(name), std::move(help), std::move(labelNames))
{
}

GaugeFamily::GaugeFamily(QString name, QString help, QStringList labelNames)
    : FamilyOf(MetricType::Gauge, std::move(name), std::move(help), std::move(labelNames))
{
}

HistogramFamily::HistogramFamily(QString name, QString help, QStringList labelNames,
                                 std::vector<double> bucketBoundsSeconds)
    : FamilyOf(MetricType::Histogram, std::move(name), std::move(help), std::move(labelNames)),
      m_bucketBoundsSeconds(std::move(bucketBoundsSeconds))
{
    for (std::size_t i = 0; i < m_bucketBoundsSeconds.size(); ++i) {
        const double bound = m_bucketBoundsSeconds[i];
        if (!std::isfinite(bound) || bound < 0 || (i > 0 && bound <= m_bucketBoundsSeconds[i - 1]))
            invalid(u"metric %1: bucket bounds must be finite, >= 0 and increasing"_s.arg(this->name()));
    }
}

std::vector<double> defaultHttpBucketsSeconds()
{
    return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Registry::Registry() = default;
Registry::~Registry() = default;

template <typename Family, typename... Extra>
Family &Registry::registerFamily(MetricType type, const QString &name, const QString &help,
                                 const QStringList &labelNames, Extra &&...extra)
{
    const std::scoped_lock lock(m_mutex);
    for (const auto &family : m_families) {
        if (family->name() != name)
            continue;
        if (family->type() != type || family->labelNames() != labelNames)
            invalid(u"metric %1 is already registered with another type or other labels"_s.arg(name));
        return static_cast<Family &>(*family);
    }
    auto created = std::make_unique<Family>(name, help, labelNames, std::forward<Extra>(extra)...);
    Family &family = *created;
    if (labelNames.isEmpty())
        family.series();
    m_families.push_back(std::move(created));
    return family;
}

CounterFamily &Registry::counterFamily(const QString &name, const QString &help,
                                       const QStringList &labelNames)
{
    return registerFamily<CounterFamily>(MetricType::Counter, name, help, labelNames);
}

GaugeFamily &Registry::gaugeFamily(const QString &name, const QString &help, const QStringList &labelNames)
{
    return registerFamily<GaugeFamily>(MetricType::Gauge, name, help, labelNames);
}

HistogramFamily &Registry::histogramFamily(const QString &name, const QString &help,
                                           const QStringList &labelNames,
                                           std::vector<double> bucketBoundsSeconds)
{
    const std::vector<double> requested = bucketBoundsSeconds;
    HistogramFamily &family = registerFamily<HistogramFamily>(MetricType::Histogram, name, help, labelNames,
                                                              std::move(bucketBoundsSeconds));
    if (family.bucketBoundsSeconds() != requested)
        invalid(u"metric %1 is already registered with other buckets"_s.arg(name));
    return family;
}

std::vector<const MetricFamily *> Registry::families() const
{
    const std::scoped_lock lock(m_mutex);
    std::vector<const MetricFamily *> result;
    result.reserve(m_families.size());
    for (const auto &family : m_families)
        result.push_back(family.get());
    return result;
}

const MetricFamily *Registry::find(const QString &name) const
{
    const std::scoped_lock lock(m_mutex);
    for (const auto &family : m_families) {
        if (family->name() == name)
            return family.get();
    }
    return nullptr;
}

QJsonObject Registry::snapshotJson() const
{
    QJsonObject counters;
    QJsonObject gauges;
    QJsonObject histograms;
    LatencyHistogram scratch;
    for (const MetricFamily *family : families()) {
        QJsonArray series;
        switch (family->type()) {
        case MetricType::Counter:
            for (const auto &entry : static_cast<const CounterFamily *>(family)->seriesList()) {
                series.append(QJsonObject{{u"labels"_s, labelsJson(family->labelNames(), entry.labelValues)},
                                          {u"value"_s, static_cast<double>(entry.series->value())}});
            }
            counters.insert(family->name(), series);
            break;
        case MetricType::Gauge:
            for (const auto &entry : static_cast<const GaugeFamily *>(family)->seriesList()) {
                series.append(QJsonObject{{u"labels"_s, labelsJson(family->labelNames(), entry.labelValues)},
                                          {u"value"_s, static_cast<double>(entry.series->value())}});
            }
            gauges.insert(family->name(), series);
            break;
        case MetricType::Histogram:
            for (const auto &entry : static_cast<const HistogramFamily *>(family)->seriesList()) {
                entry.series->snapshotInto(scratch);
                series.append(QJsonObject{{u"labels"_s, labelsJson(family->labelNames(), entry.labelValues)},
                                          {u"count"_s, static_cast<double>(scratch.totalCount())},
                                          {u"mean_ms"_s, scratch.mean() / 1000.0},
                                          {u"p50_ms"_s, toMs(scratch.valueAtPercentile(50))},
                                          {u"p90_ms"_s, toMs(scratch.valueAtPercentile(90))},
                                          {u"p99_ms"_s, toMs(scratch.valueAtPercentile(99))},
                                          {u"p999_ms"_s, toMs(scratch.valueAtPercentile(99.9))},
                                          {u"max_ms"_s, toMs(scratch.max())}});
            }
            histograms.insert(family->name(), series);
            break;
        }
    }
    return QJsonObject{{u"counters"_s, counters}, {u"gauges"_s, gauges}, {u"histograms"_s, histograms}};
}

} // namespace perflab::metrics

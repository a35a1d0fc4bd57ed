// Registry: the metric families of one process part (the lab server, or a load run), with
// fixed label names, in Prometheus' data model.
//
//     Registry registry;
//     CounterFamily &requests = registry.counterFamily(u"http_requests_total"_s, u"..."_s,
//                                                      {u"method"_s, u"route"_s, u"status"_s});
//     Counter *ok = requests.withLabels({u"GET"_s, u"/hello"_s, u"200"_s}); // keep the pointer
//     ok->inc();                                                             // hot path
//
// Setup and first use may lock and allocate: registering a family, and withLabels(), which
// creates the series once and afterwards finds it under a shared (reader) lock. Resolve the
// handles once and keep them; the pointers stay valid as long as the Registry. Recording
// through a handle never locks and never allocates (HistogramSeries: after a thread's first
// record). Families and series are never removed.
//
// Misuse that is a programming error (an invalid metric or label name, a name registered
// twice with another type or other labels, a wrong number of label values) throws
// std::invalid_argument.
#pragma once

#include "engine/metrics/Counter.h"
#include "engine/metrics/HistogramSeries.h"

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

namespace perflab::metrics {

enum class MetricType { Counter, Gauge, Histogram };

class MetricFamily
{
public:
    virtual ~MetricFamily() = default;
    MetricFamily(const MetricFamily &) = delete;
    MetricFamily &operator=(const MetricFamily &) = delete;

    const QString &name() const { return m_name; }
    const QString &help() const { return m_help; }
    const QStringList &labelNames() const { return m_labelNames; }
    MetricType type() const { return m_type; }

protected:
    MetricFamily(MetricType type, QString name, QString help, QStringList labelNames);
    void checkLabelValues(const QStringList &labelValues) const;

private:
    MetricType m_type;
    QString m_name;
    QString m_help;
    QStringList m_labelNames;
};

template <typename Series> class FamilyOf : public MetricFamily
{
public:
    struct Entry
    {
        QStringList labelValues;
        Series *series;
    };

    // The series for these label values (one per label name, in order), created on first use.
    Series *withLabels(const QStringList &labelValues)
    {
        {
            const std::shared_lock lock(m_mutex);
            if (Series *found = m_index.value(labelValues))
                return found;
        }
        checkLabelValues(labelValues);
        const std::unique_lock lock(m_mutex);
        if (Series *found = m_index.value(labelValues))
            return found;
        m_entries.push_back(Entry{labelValues, new Series});
        m_owned.emplace_back(m_entries.back().series);
        m_index.insert(labelValues, m_entries.back().series);
        return m_entries.back().series;
    }
    // The only series of a family without labels.
    Series *series() { return withLabels({}); }

    // Series in creation order, starting at `from` (readers poll with the count they have).
    std::vector<Entry> seriesList(std::size_t from = 0) const
    {
        const std::shared_lock lock(m_mutex);
        if (from >= m_entries.size())
            return {};
        return std::vector<Entry>(m_entries.begin() + static_cast<std::ptrdiff_t>(from), m_entries.end());
    }
    std::size_t seriesCount() const
    {
        const std::shared_lock lock(m_mutex);
        return m_entries.size();
    }

protected:
    using MetricFamily::MetricFamily;

private:
    mutable std::shared_mutex m_mutex;
    QHash<QStringList, Series *> m_index;
    std::vector<Entry> m_entries;
    std::vector<std::unique_ptr<Series>> m_owned;
};

class CounterFamily final : public FamilyOf<Counter>
{
public:
    CounterFamily(QString name, QString help, QStringList labelNames);
};

class GaugeFamily final : public FamilyOf<Gauge>
{
public:
    GaugeFamily(QString name, QString help, QStringList labelNames);
};

// Latency histograms, recorded in microseconds, exposed in seconds with the given `le` bounds.
class HistogramFamily final : public FamilyOf<HistogramSeries>
{
public:
    HistogramFamily(QString name, QString help, QStringList labelNames,
                    std::vector<double> bucketBoundsSeconds);
    const std::vector<double> &bucketBoundsSeconds() const { return m_bucketBoundsSeconds; }

private:
    std::vector<double> m_bucketBoundsSeconds;
};

// 0.5 ms .. 10 s, the buckets of http_request_duration_seconds.
std::vector<double> defaultHttpBucketsSeconds();

class Registry
{
public:
    Registry();
    ~Registry();
    Registry(const Registry &) = delete;
    Registry &operator=(const Registry &) = delete;

    // Registering an existing name with the same type and labels (and buckets) returns the
    // existing family. A family without labels gets its series at once, so it is exposed as 0.
    CounterFamily &counterFamily(const QString &name, const QString &help,
                                 const QStringList &labelNames = {});
    GaugeFamily &gaugeFamily(const QString &name, const QString &help, const QStringList &labelNames = {});
    HistogramFamily &histogramFamily(const QString &name, const QString &help,
                                     const QStringList &labelNames = {},
                                     std::vector<double> bucketBoundsSeconds = defaultHttpBucketsSeconds());

    // In registration order.
    std::vector<const MetricFamily *> families() const;
    const MetricFamily *find(const QString &name) const;

    // The current values, for GET /admin/stats:
    // {"counters":   {name: [{"labels": {..}, "value": n}, ...]},
    //  "gauges":     {name: [{"labels": {..}, "value": n}, ...]},
    //  "histograms": {name: [{"labels": {..}, "count": n, "mean_ms", "p50_ms", "p90_ms",
    //                         "p99_ms", "p999_ms", "max_ms"}, ...]}}
    QJsonObject snapshotJson() const;

private:
    template <typename Family, typename... Extra>
    Family &registerFamily(MetricType type, const QString &name, const QString &help,
                           const QStringList &labelNames, Extra &&...extra);

    mutable std::mutex m_mutex;
    std::vector<std::unique_ptr<MetricFamily>> m_families;
};

// Name rules of the exposition format, checked at registration.
bool isValidMetricName(const QString &name);
bool isValidLabelName(const QString &name);

} // namespace perflab::metrics

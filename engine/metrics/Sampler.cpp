// Sampler: resolves each SeriesSpec to the matching series and turns cumulative values into
// per-interval columns.
#include "engine/metrics/Sampler.h"

#include "engine/metrics/Registry.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <algorithm>

namespace perflab::metrics {

Q_LOGGING_CATEGORY(lcSampler, "perflab.metrics.sampler")

struct Sampler::SpecState
{
    SeriesSpec spec;
    qsizetype firstColumn = 0;
    const MetricFamily *family = nullptr;
    bool wrongTypeReported = false;
    std::size_t seriesSeen = 0;
    std::vector<const void *> selected; // Counter, Gauge or HistogramSeries, by spec kind

    std::uint64_t previousCount = 0;
    std::uint64_t currentCount = 0;
    std::int64_t currentGauge = 0;
    double computed = 0;
    // Latency specs only: cumulative merges at the previous and this sample, and their delta.
    std::unique_ptr<LatencyHistogram> previous;
    std::unique_ptr<LatencyHistogram> current;
    std::unique_ptr<LatencyHistogram> interval;
};

namespace {

MetricType typeFor(SeriesSpec::Kind kind)
{
    switch (kind) {
    case SeriesSpec::Kind::CounterDelta:
        return MetricType::Counter;
    case SeriesSpec::Kind::GaugeValue:
        return MetricType::Gauge;
    case SeriesSpec::Kind::LatencySummary:
        return MetricType::Histogram;
    case SeriesSpec::Kind::Computed:
        break;
    }
    return MetricType::Counter;
}

template <typename Family>
void selectNew(const Family &family, const SeriesSpec &spec, std::size_t &seen,
               std::vector<const void *> &selected)
{
    const auto entries = family.seriesList(seen);
    for (const auto &entry : entries) {
        if (spec.selects(family.labelNames(), entry.labelValues))
            selected.push_back(entry.series);
    }
    seen += entries.size();
}

double toMs(std::int64_t us)
{
    return static_cast<double>(us) / 1000.0;
}

} // namespace

Sampler::Sampler(const Registry &registry, std::vector<SeriesSpec> specs, QObject *parent,
                 std::size_t storeCapacity)
    : QObject(parent), m_registry(registry),
      m_store(std::make_shared<TimeSeriesStore>(SampleSchema(specs), storeCapacity)), m_timer(this)
{
    qRegisterMetaType<perflab::metrics::Sample>();
    qsizetype column = 0;
    for (SeriesSpec &spec : specs) {
        SpecState state;
        state.firstColumn = column;
        if (spec.kind == SeriesSpec::Kind::LatencySummary) {
            state.previous = std::make_unique<LatencyHistogram>();
            state.current = std::make_unique<LatencyHistogram>();
            state.interval = std::make_unique<LatencyHistogram>();
            column += SampleSchema::latencyColumnSuffixes().size();
        } else {
            column += 1;
        }
        state.spec = std::move(spec);
        m_states.push_back(std::move(state));
    }
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] { sampleNow(); });
    takeBaseline();
}

Sampler::~Sampler() = default;

void Sampler::start(std::chrono::milliseconds interval)
{
    takeBaseline();
    m_timer.start(interval);
}

void Sampler::stop()
{
    m_timer.stop();
}

void Sampler::resolveNewSeries(SpecState &state)
{
    if (state.spec.kind == SeriesSpec::Kind::Computed)
        return;
    if (!state.family) {
        const MetricFamily *family = m_registry.find(state.spec.family);
        if (!family)
            return; // not registered yet: the column stays 0 until it is
        if (family->type() != typeFor(state.spec.kind)) {
            if (!state.wrongTypeReported) {
                qCWarning(lcSampler) << "series" << state.spec.key << ": metric" << state.spec.family
                                     << "has another type than the spec asks for";
                state.wrongTypeReported = true;
            }
            return;
        }
        state.family = family;
    }
    switch (state.family->type()) {
    case MetricType::Counter:
        selectNew(*static_cast<const CounterFamily *>(state.family), state.spec, state.seriesSeen,
                  state.selected);
        break;
    case MetricType::Gauge:
        selectNew(*static_cast<const GaugeFamily *>(state.family), state.spec, state.seriesSeen,
                  state.selected);
        break;
    case MetricType::Histogram:
        selectNew(*static_cast<const HistogramFamily *>(state.family), state.spec, state.seriesSeen,
                  state.selected);
        break;
    }
}

void Sampler::readCumulative(SpecState &state)
{
    resolveNewSeries(state);
    switch (state.spec.kind) {
    case SeriesSpec::Kind::CounterDelta:
        state.currentCount = 0;
        for (const void *series : state.selected)
            state.currentCount += static_cast<const Counter *>(series)->value();
        break;
    case SeriesSpec::Kind::GaugeValue:
        state.currentGauge = 0;
        for (const void *series : state.selected)
            state.currentGauge += static_cast<const Gauge *>(series)->value();
        break;
    case SeriesSpec::Kind::LatencySummary:
        state.current->reset();
        for (const void *series : state.selected)
            static_cast<const HistogramSeries *>(series)->addCumulativeTo(*state.current);
        break;
    case SeriesSpec::Kind::Computed:
        state.computed = state.spec.compute ? state.spec.compute() : 0.0;
        break;
    }
}

void Sampler::takeBaseline()
{
    for (SpecState &state : m_states) {
        readCumulative(state);
        state.previousCount = state.currentCount;
        if (state.previous)
            swap(*state.previous, *state.current);
    }
    m_intervalClock.start();
}

Sample Sampler::sampleNow()
{
    Sample sample;
    // Never backwards, even if the wall clock is stepped: the store relies on the order.
    sample.timestampMs = std::max(QDateTime::currentMSecsSinceEpoch(), m_lastTimestampMs);
    m_lastTimestampMs = sample.timestampMs;
    sample.intervalS = static_cast<double>(m_intervalClock.nsecsElapsed()) / 1e9;
    m_intervalClock.start();
    sample.values.resize(schema().size());

    for (SpecState &state : m_states) {
        readCumulative(state);
        double *column = sample.values.data() + state.firstColumn;
        switch (state.spec.kind) {
        case SeriesSpec::Kind::CounterDelta:
            // Series only ever appear: a new one contributes all of its count, all of it new.
            column[0] = static_cast<double>(state.currentCount - state.previousCount);
            state.previousCount = state.currentCount;
            break;
        case SeriesSpec::Kind::GaugeValue:
            column[0] = static_cast<double>(state.currentGauge);
            break;
        case SeriesSpec::Kind::Computed:
            column[0] = state.computed;
            break;
        case SeriesSpec::Kind::LatencySummary: {
            LatencyHistogram &interval = *state.interval;
            LatencyHistogram::delta(*state.current, *state.previous, interval);
            swap(*state.previous, *state.current);
            column[0] = static_cast<double>(interval.totalCount());
            column[1] = interval.mean() / 1000.0;
            column[2] = toMs(interval.valueAtPercentile(50));
            column[3] = toMs(interval.valueAtPercentile(90));
            column[4] = toMs(interval.valueAtPercentile(99));
            column[5] = toMs(interval.valueAtPercentile(99.9));
            column[6] = toMs(interval.max());
            break;
        }
        }
    }
    m_store->append(sample);
    Q_EMIT sampled(sample);
    return sample;
}

} // namespace perflab::metrics

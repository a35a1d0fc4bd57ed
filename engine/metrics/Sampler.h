// Sampler: every 100 ms, turns the registry's cumulative metrics into one interval Sample
// (rates, gauges, interval latency percentiles), appends it to its TimeSeriesStore and emits
// sampled(). The live charts and reports are fed from here.
//
// The timer runs on the thread the Sampler lives on; call start()/stop() on that thread (or
// invoke them queued: they are slots). Counter columns are deltas of cumulative sums; latency
// columns come from the delta of two cumulative histogram merges, so an interval's p99 is
// that interval's, exactly as if it had had its own histogram. The first interval starts at
// start(), not at the registry's creation. The Registry must outlive the Sampler.
#pragma once

#include "engine/metrics/LatencyHistogram.h"
#include "engine/metrics/Sample.h"
#include "engine/metrics/TimeSeriesStore.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <memory>
#include <vector>

namespace perflab::metrics {

class Registry;
class MetricFamily;

class Sampler : public QObject
{
    Q_OBJECT
public:
    static constexpr std::chrono::milliseconds kDefaultInterval{100};

    Sampler(const Registry &registry, std::vector<SeriesSpec> specs, QObject *parent = nullptr,
            std::size_t storeCapacity = TimeSeriesStore::kDefaultCapacity);
    ~Sampler() override;

    const SampleSchema &schema() const { return m_store->schema(); }
    // Shared so that readers on other threads may keep it past the Sampler.
    std::shared_ptr<TimeSeriesStore> store() const { return m_store; }
    bool isRunning() const { return m_timer.isActive(); }
    std::chrono::milliseconds interval() const { return m_timer.intervalAsDuration(); }

public Q_SLOTS:
    // Takes the baseline and starts the timer.
    void start(std::chrono::milliseconds interval = kDefaultInterval);
    void stop();
    // Closes the current interval now: appends, emits and returns its sample. (The timer
    // calls this; tests and "end of phase" code may too.)
    perflab::metrics::Sample sampleNow();

Q_SIGNALS:
    void sampled(const perflab::metrics::Sample &sample);

private:
    struct SpecState;

    void resolveNewSeries(SpecState &state);
    // Reads the current cumulative value(s) of one spec into state.current*.
    void readCumulative(SpecState &state);
    void takeBaseline();

    const Registry &m_registry;
    std::vector<SpecState> m_states;
    std::shared_ptr<TimeSeriesStore> m_store;
    QTimer m_timer;
    QElapsedTimer m_intervalClock;
    qint64 m_lastTimestampMs = 0;
};

} // namespace perflab::metrics

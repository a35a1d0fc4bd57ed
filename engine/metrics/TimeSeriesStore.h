// TimeSeriesStore: the bounded history of Samples (and event markers) that the live charts,
// the reports and timeseries.csv read.
//
// A ring buffer: capacity samples (default 36'000 = 1 hour at the sampler's 100 ms), the oldest
// dropped first; up to kMaxEvents events likewise. Memory: about 100 bytes per sample plus 8
// per column (a 20-column hour ≈ 9 MB). One writer (the Sampler) appends; readers on any
// thread take copies under a mutex that the request path never touches (the Sampler itself
// only reads lock-free metrics).
#pragma once

#include "engine/metrics/Sample.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <vector>

namespace perflab::metrics {

class TimeSeriesStore
{
public:
    static constexpr std::size_t kDefaultCapacity = 36'000; // 1 h at 100 ms
    static constexpr std::size_t kMaxEvents = 10'000;

    explicit TimeSeriesStore(SampleSchema schema, std::size_t capacity = kDefaultCapacity);

    const SampleSchema &schema() const { return m_schema; } // immutable
    std::size_t capacity() const { return m_capacity; }

    void append(Sample sample);
    void addEvent(qint64 timestampMs, const QString &kind, const QJsonObject &detail);
    void clear();

    // Copies, oldest first.
    std::vector<Sample> samples() const;
    std::vector<Sample> samplesSince(qint64 afterTimestampMs) const; // timestamp > after
    std::optional<Sample> latest() const;
    std::vector<TimeSeriesEvent> events() const;
    // The events added after the first `seen` ever added (of those still kept), oldest first
    // in the order they were added; `*added` gets how many have been added in all, which the
    // reader passes back as `seen` next time. Order of addition, not of timestamps: a marker
    // stamped earlier than the last one (a slow query that began before a setting changed)
    // is not missed.
    std::vector<TimeSeriesEvent> eventsAfter(std::uint64_t seen, std::uint64_t *added) const;
    std::size_t size() const;
    std::uint64_t appendedCount() const; // all appends ever: a reader can tell what it missed

private:
    Sample &slot(std::size_t logicalIndex);
    const Sample &slot(std::size_t logicalIndex) const;

    const SampleSchema m_schema;
    const std::size_t m_capacity;

    mutable std::mutex m_mutex;
    std::vector<Sample> m_ring; // grows to m_capacity, then wraps
    std::size_t m_head = 0;     // index of the oldest sample once full
    std::uint64_t m_appended = 0;
    std::deque<TimeSeriesEvent> m_events;
    std::uint64_t m_eventsAdded = 0; // every addEvent ever (not reset by clear())
};

} // namespace perflab::metrics

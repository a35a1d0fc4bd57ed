// TimeSeriesStore: ring buffer of samples plus event markers.
#include "engine/metrics/TimeSeriesStore.h"

#include <algorithm>
#include <limits>

namespace perflab::metrics {

TimeSeriesStore::TimeSeriesStore(SampleSchema schema, std::size_t capacity)
    : m_schema(std::move(schema)), m_capacity(std::max<std::size_t>(capacity, 1))
{
}

Sample &TimeSeriesStore::slot(std::size_t logicalIndex)
{
    return m_ring[(m_head + logicalIndex) % m_ring.size()];
}

const Sample &TimeSeriesStore::slot(std::size_t logicalIndex) const
{
    return m_ring[(m_head + logicalIndex) % m_ring.size()];
}

void TimeSeriesStore::append(Sample sample)
{
    const std::scoped_lock lock(m_mutex);
    if (m_ring.size() < m_capacity) {
        m_ring.push_back(std::move(sample));
    } else {
        m_ring[m_head] = std::move(sample);
        m_head = (m_head + 1) % m_capacity;
    }
    ++m_appended;
}

void TimeSeriesStore::addEvent(qint64 timestampMs, const QString &kind, const QJsonObject &detail)
{
    const std::scoped_lock lock(m_mutex);
    if (m_events.size() >= kMaxEvents)
        m_events.pop_front();
    m_events.push_back(TimeSeriesEvent{timestampMs, kind, detail});
    ++m_eventsAdded;
}

void TimeSeriesStore::clear()
{
    const std::scoped_lock lock(m_mutex);
    m_ring.clear();
    m_head = 0;
    m_events.clear();
}

std::vector<Sample> TimeSeriesStore::samples() const
{
    return samplesSince(std::numeric_limits<qint64>::min());
}

std::vector<Sample> TimeSeriesStore::samplesSince(qint64 afterTimestampMs) const
{
    const std::scoped_lock lock(m_mutex);
    // Timestamps never decrease, so the first match starts a suffix: binary search for it.
    std::size_t low = 0;
    std::size_t high = m_ring.size();
    while (low < high) {
        const std::size_t middle = low + (high - low) / 2;
        if (slot(middle).timestampMs > afterTimestampMs)
            high = middle;
        else
            low = middle + 1;
    }
    std::vector<Sample> result;
    result.reserve(m_ring.size() - low);
    for (std::size_t i = low; i < m_ring.size(); ++i)
        result.push_back(slot(i));
    return result;
}

std::optional<Sample> TimeSeriesStore::latest() const
{
    const std::scoped_lock lock(m_mutex);
    if (m_ring.empty())
        return std::nullopt;
    return slot(m_ring.size() - 1);
}

std::vector<TimeSeriesEvent> TimeSeriesStore::events() const
{
    const std::scoped_lock lock(m_mutex);
    return {m_events.begin(), m_events.end()};
}

std::vector<TimeSeriesEvent> TimeSeriesStore::eventsAfter(std::uint64_t seen, std::uint64_t *added) const
{
    const std::scoped_lock lock(m_mutex);
    *added = m_eventsAdded;
    const std::uint64_t firstKept = m_eventsAdded - m_events.size();
    const std::size_t from = std::size_t(std::max(seen, firstKept) - firstKept);
    if (from >= m_events.size())
        return {};
    return {m_events.begin() + std::ptrdiff_t(from), m_events.end()};
}

std::size_t TimeSeriesStore::size() const
{
    const std::scoped_lock lock(m_mutex);
    return m_ring.size();
}

std::uint64_t TimeSeriesStore::appendedCount() const
{
    const std::scoped_lock lock(m_mutex);
    return m_appended;
}

} // namespace perflab::metrics

// IntervalHistograms: see the header.
#include "engine/scenario/IntervalHistograms.h"

#include "engine/metrics/HdrV2Codec.h"

namespace perflab::scenario {

IntervalHistograms::IntervalHistograms(std::function<load::LoadSnapshot()> takeSnapshot)
    : m_takeSnapshot(std::move(takeSnapshot))
{
    m_timer.setInterval(kIntervalMs);
    m_timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&m_timer, &QTimer::timeout, [this] { closeInterval(m_takeSnapshot()); });
}

void IntervalHistograms::startPhase(const QString &phase, const load::LoadSnapshot &atStart)
{
    m_phase = phase;
    m_previous = atStart;
    m_phaseFirst = m_intervals.size();
    m_timer.start();
}

void IntervalHistograms::finishPhase(const QString &finalName, const load::LoadSnapshot &atEnd)
{
    m_timer.stop();
    closeInterval(atEnd);
    for (std::size_t i = m_phaseFirst; i < m_intervals.size(); ++i)
        m_intervals[i].phase = finalName;
}

void IntervalHistograms::closeInterval(const load::LoadSnapshot &now)
{
    const std::size_t routes = std::min(now.routes.size(), m_previous.routes.size());
    for (std::size_t r = 0; r < routes; ++r) {
        const metrics::LatencyHistogram delta =
            metrics::LatencyHistogram::delta(now.routes[r].corrected, m_previous.routes[r].corrected);
        report::LatencyInterval interval;
        interval.phase = m_phase;
        interval.route = now.routes[r].route;
        interval.startMs = m_previous.timestampMs;
        interval.endMs = now.timestampMs;
        interval.maxUs = delta.max();
        interval.compressedHistogram = metrics::encodeHdrV2Compressed(delta);
        m_intervals.push_back(std::move(interval));
    }
    m_previous = now;
}

} // namespace perflab::scenario

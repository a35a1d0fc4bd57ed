// IntervalHistograms: the interval histograms of a run, for latency.hlog. While a phase runs it
// takes a load snapshot every second and keeps, per route, the corrected histogram of what
// happened since the previous one; the phase's end snapshot closes its last, partial interval.
// One second because it is what HdrHistogram's interval logs usually hold (jHiccup, wrk2's
// and HdrHistogram's own log writers default to it), fine enough to see a stall and coarse
// enough that a 10-minute run stays small.
//
// The first interval starts at the very snapshot the runner takes at the phase's start, and the
// last ends at the one it takes at the phase's end: the differences telescope, so per route the
// intervals add up exactly to the phase's own histogram (LoadSnapshot::between of the same two).
//
// Main thread (the runner's): a QTimer drives it; snapshots are read-only on the load engine.
#pragma once

#include "engine/load/LoadSnapshot.h"
#include "engine/report/RunReport.h"

#include <QTimer>

#include <functional>
#include <vector>

namespace perflab::scenario {

class IntervalHistograms
{
public:
    static constexpr int kIntervalMs = 1000;

    explicit IntervalHistograms(std::function<load::LoadSnapshot()> takeSnapshot);

    // Starts the phase's intervals at `atStart` (the snapshot its stats begin with).
    void startPhase(const QString &phase, const load::LoadSnapshot &atStart);
    // Closes the phase with `atEnd` (the snapshot its stats end with) and stops the timer;
    // `finalName` is the phase's name in the report (" (interrupted)" may have been added).
    void finishPhase(const QString &finalName, const load::LoadSnapshot &atEnd);

    std::vector<report::LatencyInterval> take() { return std::move(m_intervals); }

private:
    void closeInterval(const load::LoadSnapshot &now);

    std::function<load::LoadSnapshot()> m_takeSnapshot;
    QTimer m_timer;
    QString m_phase;
    std::size_t m_phaseFirst = 0; // index of the phase's first interval
    load::LoadSnapshot m_previous;
    std::vector<report::LatencyInterval> m_intervals;
};

} // namespace perflab::scenario

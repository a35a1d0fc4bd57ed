// LiveFigures: the figures of the progress line of `perflab load` and `perflab run`, from the
// load engine's cumulative snapshots: requests/s and p99 over the last second, errors since
// the window (the run, or the phase) began, and the generator's verdict on that window — the
// same verdict the final trust block gives, so the line and the block never disagree.
#pragma once

#include "engine/load/LoadSnapshot.h"

#include <QString>

#include <deque>
#include <optional>

namespace perflab::app {

class LiveFigures
{
public:
    // The window begins: figures from now on are counted from `baseline`.
    void begin(load::LoadSnapshot baseline);
    // "trust: ok | 1999 req/s | p99 1.23 ms | 0 errors" (then the reasons, when limited)
    QString update(load::LoadSnapshot now);

private:
    std::optional<load::LoadSnapshot> m_baseline;
    std::deque<load::LoadSnapshot> m_recent; // about the last second, oldest first
};

} // namespace perflab::app

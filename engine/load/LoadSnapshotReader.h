// LoadSnapshotReader: builds a LoadSnapshot from a load run's registry (LoadMetrics.h), one
// RouteStats per route of the mix, from the cumulative values of every series whose route
// label matches. Any thread; it merges the per-thread histograms as it goes.
#pragma once

#include "engine/load/LoadMetrics.h"
#include "engine/load/LoadSnapshot.h"

#include <vector>

namespace perflab::load {

LoadSnapshot readLoadSnapshot(const LoadFamilies &families, const std::vector<QString> &routes,
                              qint64 timestampMs);
// The generator's figures the client threads record (sent, send lag, the connection gauges);
// the rest of GeneratorStats comes from the GeneratorProbe.
void readGeneratorCounters(const LoadFamilies &families, GeneratorStats &stats);

} // namespace perflab::load

// The pool's figures in the metrics registry (docs/reference/metrics.md):
// db_pool_connections{state}, db_pool_waiters, db_pool_wait_seconds and
// db_pool_connections_opened_total.
#pragma once

#include "engine/metrics/Registry.h"

namespace perflab::db {

struct PoolMetrics
{
    explicit PoolMetrics(metrics::Registry &registry);

    metrics::Gauge *inUse;
    metrics::Gauge *idle;
    metrics::Gauge *overflow;
    metrics::Gauge *waiters;
    metrics::HistogramSeries *waitSeconds;
    metrics::Counter *opened;
};

} // namespace perflab::db

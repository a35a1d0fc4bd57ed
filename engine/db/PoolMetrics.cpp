// Registering the pool's metric families: see PoolMetrics.h.
#include "engine/db/PoolMetrics.h"

namespace perflab::db {

namespace {

metrics::GaugeFamily &connections(metrics::Registry &registry)
{
    return registry.gaugeFamily(QStringLiteral("db_pool_connections"),
                                QStringLiteral("Database pool connections by state"),
                                {QStringLiteral("state")});
}

// Up to pool_timeout_s's default (30 s) and beyond.
std::vector<double> waitBucketsSeconds()
{
    return {0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60};
}

} // namespace

PoolMetrics::PoolMetrics(metrics::Registry &registry)
    : inUse(connections(registry).withLabels({QStringLiteral("in_use")})),
      idle(connections(registry).withLabels({QStringLiteral("idle")})),
      overflow(connections(registry).withLabels({QStringLiteral("overflow")})),
      waiters(registry
                  .gaugeFamily(QStringLiteral("db_pool_waiters"),
                               QStringLiteral("Checkouts waiting for a database connection"))
                  .series()),
      waitSeconds(registry
                      .histogramFamily(QStringLiteral("db_pool_wait_seconds"),
                                       QStringLiteral("Time a checkout waited for a database connection"), {},
                                       waitBucketsSeconds())
                      .series()),
      opened(registry
                 .counterFamily(
                     QStringLiteral("db_pool_connections_opened_total"),
                     QStringLiteral("Database connections opened (first opens, recycles, reconnects)"))
                 .series())
{
}

} // namespace perflab::db

// cache_requests_total{backend,result}: one family for every cache backend (memory, redis), with
// result hit, miss or error, so that a chart or a hit rate reads one family across a live switch
// of backend, and /metrics shows which backend answered.
#pragma once

#include <QString>

namespace perflab::metrics {
class Counter;
class Registry;
} // namespace perflab::metrics

namespace perflab::cache {

struct CacheRequestCounters
{
    metrics::Counter *hit = nullptr;
    metrics::Counter *miss = nullptr;
    // A request the backend could not answer (Redis unreachable, lost, too slow, an error reply);
    // the memory backend never counts one, but its series exists so that both read the same.
    metrics::Counter *error = nullptr;
};

// Registers the family in `registry` (once; later calls find it) and resolves the backend's series.
CacheRequestCounters cacheRequestCounters(metrics::Registry &registry, const QString &backend);

} // namespace perflab::cache

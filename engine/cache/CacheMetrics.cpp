// See CacheMetrics.h.
#include "engine/cache/CacheMetrics.h"

#include "engine/metrics/Registry.h"

namespace perflab::cache {

CacheRequestCounters cacheRequestCounters(metrics::Registry &registry, const QString &backend)
{
    auto &requests =
        registry.counterFamily(QStringLiteral("cache_requests_total"),
                               QStringLiteral("Cache requests, by backend (memory, redis) and result "
                                              "(hit, miss, error: the backend could not answer)"),
                               {QStringLiteral("backend"), QStringLiteral("result")});
    return CacheRequestCounters{requests.withLabels({backend, QStringLiteral("hit")}),
                                requests.withLabels({backend, QStringLiteral("miss")}),
                                requests.withLabels({backend, QStringLiteral("error")})};
}

} // namespace perflab::cache

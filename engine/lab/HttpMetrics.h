// The lab server's HTTP metrics (the http_* families of docs/reference/metrics.md) in the metrics
// Registry, recorded by the workers.
//
// Each worker gets a recorder that resolves its series handles once per (route, status) and
// then only increments per-thread shards: no lock and no allocation per request after the
// first request of each kind on each worker.
#pragma once

#include "engine/http/RequestObserver.h"
#include "engine/metrics/Registry.h"
#include "engine/metrics/Sample.h"

#include <vector>

namespace perflab::http {
class Router;
}

namespace perflab::lab {

class HttpMetrics final : public http::RequestObserver
{
public:
    // `router` must be complete (all routes added) and outlive this object.
    HttpMetrics(metrics::Registry &registry, const http::Router &router);

    std::unique_ptr<http::WorkerRecorder> createWorkerRecorder(int workerIndex) override;

    // The sampler columns of the live charts and reports: these metrics, and the families of
    // the lab's other stores (cache, limiter, pool, slow-query log, job queue) by name.
    static std::vector<metrics::SeriesSpec> sampleSpecs();

    // Label used for requests that matched no route (404, or refused before routing).
    static QString unmatchedRouteLabel() { return QStringLiteral("unmatched"); }

private:
    friend class HttpWorkerRecorder;
    metrics::Registry &m_registry;
    const http::Router &m_router;
    metrics::CounterFamily &m_requests;
    metrics::HistogramFamily &m_duration;
    metrics::Gauge *m_inFlight;
    metrics::Gauge *m_openConnections;
    metrics::CounterFamily &m_responseBytes;
};

} // namespace perflab::lab

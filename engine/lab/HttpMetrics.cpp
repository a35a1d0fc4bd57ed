// See HttpMetrics.h.
#include "engine/lab/HttpMetrics.h"

#include "engine/http/Router.h"

namespace perflab::lab {

using metrics::LabelMatcher;
using metrics::SeriesSpec;

class HttpWorkerRecorder final : public http::WorkerRecorder
{
public:
    explicit HttpWorkerRecorder(HttpMetrics &metrics) : m_metrics(metrics)
    {
        const int routes = metrics.m_router.routeCount();
        m_routes.resize(size_t(routes) + 1); // slot 0: unmatched
        for (int id = -1; id < routes; ++id) {
            RouteSlot &slot = m_routes[size_t(id + 1)];
            if (id < 0) {
                slot.label = HttpMetrics::unmatchedRouteLabel();
            } else {
                slot.label = QString::fromUtf8(metrics.m_router.route(id).label);
                slot.method = QString::fromUtf8(metrics.m_router.route(id).methodName);
            }
            slot.duration = metrics.m_duration.withLabels({slot.label});
        }
        m_identityBytes = metrics.m_responseBytes.withLabels({QStringLiteral("identity")});
    }

    void requestStarted() override { m_metrics.m_inFlight->inc(); }

    void requestFinished(const http::FinishedRequest &request) override
    {
        m_metrics.m_inFlight->dec();
        RouteSlot &slot = m_routes[size_t(request.routeId + 1)];
        counterFor(slot, request)->inc();
        slot.duration->recordMicros(request.durationNs / 1000);
        bytesCounter(request.contentEncoding)->inc(uint64_t(request.bytesOut));
    }

    void connectionOpened() override { m_metrics.m_openConnections->inc(); }
    void connectionClosed() override { m_metrics.m_openConnections->dec(); }

private:
    struct RouteSlot
    {
        QString label;
        QString method; // empty for unmatched: the request's method is used
        metrics::HistogramSeries *duration = nullptr;
        // (method, status) -> counter; a route sees few distinct statuses, so a short list.
        std::vector<std::tuple<http::Method, int, metrics::Counter *>> counters;
    };

    metrics::Counter *counterFor(RouteSlot &slot, const http::FinishedRequest &request)
    {
        for (const auto &[method, status, counter] : slot.counters) {
            if (status == request.status && method == request.method)
                return counter;
        }
        // First time on this worker: resolve (locks and allocates once).
        const QString method =
            request.method == http::Method::Head
                ? QStringLiteral("HEAD")
                : (slot.method.isEmpty() ? QString::fromUtf8(http::methodName(request.method)) : slot.method);
        metrics::Counter *counter =
            m_metrics.m_requests.withLabels({method, slot.label, QString::number(request.status)});
        slot.counters.emplace_back(request.method, request.status, counter);
        return counter;
    }

    metrics::Counter *bytesCounter(QByteArrayView encoding)
    {
        if (encoding.isEmpty())
            return m_identityBytes;
        for (const auto &[name, counter] : m_encodedBytes) {
            if (name == encoding)
                return counter;
        }
        metrics::Counter *counter = m_metrics.m_responseBytes.withLabels({QString::fromLatin1(encoding)});
        m_encodedBytes.emplace_back(encoding.toByteArray(), counter);
        return counter;
    }

    HttpMetrics &m_metrics;
    std::vector<RouteSlot> m_routes;
    metrics::Counter *m_identityBytes;
    std::vector<std::pair<QByteArray, metrics::Counter *>> m_encodedBytes;
};

HttpMetrics::HttpMetrics(metrics::Registry &registry, const http::Router &router)
    : m_registry(registry), m_router(router),
      m_requests(registry.counterFamily(
          QStringLiteral("http_requests_total"),
          QStringLiteral("HTTP requests answered, by method, route template and status."),
          {QStringLiteral("method"), QStringLiteral("route"), QStringLiteral("status")})),
      m_duration(registry.histogramFamily(
          QStringLiteral("http_request_duration_seconds"),
          QStringLiteral("Time from a request's first byte to its response, by route template."),
          {QStringLiteral("route")})),
      m_inFlight(registry
                     .gaugeFamily(QStringLiteral("http_requests_in_flight"),
                                  QStringLiteral("Requests received and not yet answered."))
                     .series()),
      m_openConnections(registry
                            .gaugeFamily(QStringLiteral("http_connections_open"),
                                         QStringLiteral("Open client connections."))
                            .series()),
      m_responseBytes(registry.counterFamily(
          QStringLiteral("http_response_bytes_total"),
          QStringLiteral("Response bytes written (head and body), by content encoding."),
          {QStringLiteral("encoding")}))
{
}

std::unique_ptr<http::WorkerRecorder> HttpMetrics::createWorkerRecorder(int)
{
    return std::make_unique<HttpWorkerRecorder>(*this);
}

std::vector<SeriesSpec> HttpMetrics::sampleSpecs()
{
    const QString requests = QStringLiteral("http_requests_total");
    return {
        SeriesSpec::counterDelta(QStringLiteral("requests"), requests),
        SeriesSpec::counterDelta(QStringLiteral("errors"), requests,
                                 {LabelMatcher(QStringLiteral("status"), QStringLiteral("5.."))}),
        SeriesSpec::counterDelta(QStringLiteral("client_errors"), requests,
                                 {LabelMatcher(QStringLiteral("status"), QStringLiteral("4.."))}),
        SeriesSpec::latencySummary(QStringLiteral("latency"),
                                   QStringLiteral("http_request_duration_seconds")),
        SeriesSpec::gaugeValue(QStringLiteral("in_flight"), QStringLiteral("http_requests_in_flight")),
        SeriesSpec::gaugeValue(QStringLiteral("connections"), QStringLiteral("http_connections_open")),
        SeriesSpec::counterDelta(QStringLiteral("bytes_identity"),
                                 QStringLiteral("http_response_bytes_total"),
                                 {LabelMatcher(QStringLiteral("encoding"), QStringLiteral("identity"))}),
        SeriesSpec::counterDelta(QStringLiteral("bytes_gzip"), QStringLiteral("http_response_bytes_total"),
                                 {LabelMatcher(QStringLiteral("encoding"), QStringLiteral("gzip"))}),
        // Families of the other stores of the lab (cache, limiter, pool, slow-query log, job
        // queue): the Sampler finds them by name once they are registered, so the lab's
        // charts and reports show the server's side of every technique on one time axis. The
        // cache columns add up both backends (cache_requests_total{backend}): a live switch of
        // backend keeps one hit-rate line.
        SeriesSpec::counterDelta(QStringLiteral("cache_hits"), QStringLiteral("cache_requests_total"),
                                 {LabelMatcher(QStringLiteral("result"), QStringLiteral("hit"))}),
        SeriesSpec::counterDelta(QStringLiteral("cache_misses"), QStringLiteral("cache_requests_total"),
                                 {LabelMatcher(QStringLiteral("result"), QStringLiteral("miss"))}),
        SeriesSpec::gaugeValue(QStringLiteral("cache_entries"), QStringLiteral("cache_entries")),
        SeriesSpec::gaugeValue(QStringLiteral("queue_depth"), QStringLiteral("http_request_queue_depth")),
        SeriesSpec::gaugeValue(QStringLiteral("pool_in_use"), QStringLiteral("db_pool_connections"),
                               {LabelMatcher(QStringLiteral("state"), QStringLiteral("in_use"))}),
        SeriesSpec::gaugeValue(QStringLiteral("pool_waiters"), QStringLiteral("db_pool_waiters")),
        SeriesSpec::counterDelta(QStringLiteral("slow_queries"), QStringLiteral("db_slow_queries_total")),
        SeriesSpec::gaugeValue(QStringLiteral("job_queue_depth"), QStringLiteral("job_queue_depth")),
        // The figures of each technique's own readout in the desktop panels.
        SeriesSpec::counterDelta(QStringLiteral("not_modified"), requests,
                                 {LabelMatcher(QStringLiteral("status"), QStringLiteral("304"))}),
        SeriesSpec::counterDelta(QStringLiteral("http_cache_saved_bytes"),
                                 QStringLiteral("http_cache_saved_bytes_total")),
        SeriesSpec::counterDelta(QStringLiteral("compression_in_bytes"),
                                 QStringLiteral("http_compression_input_bytes_total")),
        SeriesSpec::counterDelta(QStringLiteral("compression_out_bytes"),
                                 QStringLiteral("http_compression_output_bytes_total")),
        SeriesSpec::counterDelta(QStringLiteral("cache_evictions"), QStringLiteral("cache_evictions_total")),
        SeriesSpec::gaugeValue(QStringLiteral("limited_in_flight"),
                               QStringLiteral("concurrency_permits_in_use"),
                               {LabelMatcher(QStringLiteral("route"), QStringLiteral("/limited"))}),
        SeriesSpec::gaugeValue(QStringLiteral("queued_in_flight"),
                               QStringLiteral("concurrency_permits_in_use"),
                               {LabelMatcher(QStringLiteral("route"), QStringLiteral("/queued"))}),
        SeriesSpec::counterDelta(QStringLiteral("rejected"), QStringLiteral("http_requests_rejected_total")),
        SeriesSpec::gaugeValue(QStringLiteral("tasks_running"), QStringLiteral("background_tasks_running")),
        SeriesSpec::counterDelta(QStringLiteral("tasks_completed"), QStringLiteral("background_tasks_total"),
                                 {LabelMatcher(QStringLiteral("state"), QStringLiteral("completed"))}),
        SeriesSpec::counterDelta(QStringLiteral("tasks_failed"), QStringLiteral("background_tasks_total"),
                                 {LabelMatcher(QStringLiteral("state"), QStringLiteral("failed"))}),
        SeriesSpec::gaugeValue(QStringLiteral("jobs_running"), QStringLiteral("jobs_running")),
        SeriesSpec::counterDelta(QStringLiteral("jobs_completed"), QStringLiteral("jobs_total"),
                                 {LabelMatcher(QStringLiteral("state"), QStringLiteral("completed"))}),
        SeriesSpec::counterDelta(QStringLiteral("jobs_failed"), QStringLiteral("jobs_total"),
                                 {LabelMatcher(QStringLiteral("state"), QStringLiteral("failed"))}),
        SeriesSpec::latencySummary(QStringLiteral("db_query"), QStringLiteral("db_query_duration_seconds")),
        SeriesSpec::counterDelta(QStringLiteral("cache_errors"), QStringLiteral("cache_requests_total"),
                                 {LabelMatcher(QStringLiteral("result"), QStringLiteral("error"))}),
        SeriesSpec::gaugeValue(QStringLiteral("redis_cache_up"), QStringLiteral("redis_up"),
                               {LabelMatcher(QStringLiteral("role"), QStringLiteral("cache"))}),
        SeriesSpec::gaugeValue(QStringLiteral("redis_queue_up"), QStringLiteral("redis_up"),
                               {LabelMatcher(QStringLiteral("role"), QStringLiteral("queue"))}),
        SeriesSpec::latencySummary(QStringLiteral("redis_command"),
                                   QStringLiteral("redis_command_duration_seconds")),
    };
}

} // namespace perflab::lab

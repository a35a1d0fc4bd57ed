// See ConcurrencyLimit.h.
#include "engine/lab/middleware/ConcurrencyLimit.h"

#include "engine/http/Router.h"

namespace perflab::lab {

ConcurrencyLimit::ConcurrencyLimit(const settings::SettingsStore &settings, metrics::Registry &registry)
    : m_settings(settings), m_limited(settings.view().concurrency.maxInFlight),
      m_queued(settings.view().concurrency.queueSize),
      m_queueDepth(
          registry
              .gaugeFamily(QStringLiteral("http_request_queue_depth"),
                           QStringLiteral("Requests waiting for a concurrency permit or a queue place."))
              .series()),
      m_limitedHolding(
          registry
              .gaugeFamily(QStringLiteral("concurrency_permits_in_use"),
                           QStringLiteral("Requests holding a concurrency permit or a queue place now."),
                           {QStringLiteral("route")})
              .withLabels({QStringLiteral("/limited")})),
      m_queuedHolding(
          registry
              .gaugeFamily(QStringLiteral("concurrency_permits_in_use"),
                           QStringLiteral("Requests holding a concurrency permit or a queue place now."),
                           {QStringLiteral("route")})
              .withLabels({QStringLiteral("/queued")})),
      m_rejected(
          registry
              .counterFamily(QStringLiteral("http_requests_rejected_total"),
                             QStringLiteral("Requests answered 503 because no queue place was had in time."),
                             {QStringLiteral("route")})
              .withLabels({QStringLiteral("/queued")}))
{
}

http::Outcome ConcurrencyLimit::invoke(http::RequestContext &context, http::Next next)
{
    if (!context.route)
        return next(context);
    const QByteArray &label = context.route->label;
    const bool limited = label == "/limited";
    const bool queued = label == "/queued";
    if (!limited && !queued)
        return next(context);
    const settings::ConcurrencySettings &limits = m_settings.view().concurrency;
    if (!limits.limitEnabled)
        return next(context);
    if (limited) {
        if (m_limited.limit() != limits.maxInFlight)
            m_limited.setLimit(limits.maxInFlight);
        return throughSemaphore(m_limited, async::forever, context, next);
    }
    if (m_queued.limit() != limits.queueSize)
        m_queued.setLimit(limits.queueSize);
    const auto timeout = std::chrono::milliseconds(qint64(limits.queueTimeoutS * 1000));
    return throughSemaphore(m_queued, timeout, context, next);
}

QCoro::Task<http::HttpResponse> ConcurrencyLimit::throughSemaphore(async::Semaphore &semaphore,
                                                                   std::chrono::milliseconds timeout,
                                                                   http::RequestContext &context,
                                                                   http::Next next)
{
    const auto waitStarted = std::chrono::steady_clock::now();
    m_queueDepth->inc();
    async::SemaphorePermit permit = co_await semaphore.acquirePermit(timeout);
    m_queueDepth->dec();
    context.addTiming(
        QByteArrayLiteral("queue"),
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - waitStarted).count());
    if (!permit) {
        m_rejected->inc();
        co_return http::HttpResponse::error(503, QStringLiteral("Service temporarily unavailable"));
    }
    // Counted while the permit is held, however the handler ends.
    struct Holding
    {
        explicit Holding(metrics::Gauge *g) : gauge(g) { gauge->inc(); }
        ~Holding() { gauge->dec(); }
        Holding(const Holding &) = delete;
        Holding &operator=(const Holding &) = delete;
        metrics::Gauge *gauge;
    };
    metrics::Gauge *gauge = m_limitedHolding;
    if (&semaphore != &m_limited)
        gauge = m_queuedHolding;
    const Holding holding(gauge);
    http::Outcome outcome = next(context);
    if (outcome.isReady())
        co_return std::move(outcome.response());
    http::HttpResponse response = co_await outcome.takeTask();
    co_return response;
}

} // namespace perflab::lab

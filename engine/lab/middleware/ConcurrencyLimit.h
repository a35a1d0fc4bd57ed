// Concurrency limits of guide chapter 5, applied by route:
//   GET /limited — at most concurrency.max_in_flight at once (asyncio.Semaphore); the rest wait.
//   GET /queued  — concurrency.queue_size places (the guide's asyncio.Queue(maxsize) that each
//                  request puts itself into for the duration of its work); a request that
//                  gets no place within concurrency.queue_timeout_s answers 503.
// A queue whose entries are held for the duration of the work and taken back afterwards is a
// counting semaphore with a timed acquire, so both use async::Semaphore, resized live when the
// settings change. Time spent waiting shows as `queue` in Server-Timing, and the number of
// waiters as http_request_queue_depth. concurrency.limit_enabled = false lets everything in.
#pragma once

#include "engine/async/Semaphore.h"
#include "engine/http/Middleware.h"
#include "engine/metrics/Registry.h"
#include "engine/settings/SettingsStore.h"

namespace perflab::lab {

class ConcurrencyLimit final : public http::Middleware
{
public:
    ConcurrencyLimit(const settings::SettingsStore &settings, metrics::Registry &registry);
    http::Outcome invoke(http::RequestContext &context, http::Next next) override;

    int limitedInFlight() const { return m_limited.inUse(); }
    int queuedInFlight() const { return m_queued.inUse(); }

private:
    QCoro::Task<http::HttpResponse> throughSemaphore(async::Semaphore &semaphore,
                                                     std::chrono::milliseconds timeout,
                                                     http::RequestContext &context, http::Next next);

    const settings::SettingsStore &m_settings;
    async::Semaphore m_limited;
    async::Semaphore m_queued;
    metrics::Gauge *m_queueDepth;
    metrics::Gauge *m_limitedHolding; // concurrency_permits_in_use{route="/limited"}
    metrics::Gauge *m_queuedHolding;  // concurrency_permits_in_use{route="/queued"}
    metrics::Counter *m_rejected;
};

} // namespace perflab::lab

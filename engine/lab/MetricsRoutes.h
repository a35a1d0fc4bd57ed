// GET /metrics (Prometheus text exposition 0.0.4) and GET /admin/stats (the current snapshot
// as JSON), both read from the registry without stopping the workers.
#pragma once

#include <QJsonObject>
#include <QString>

#include <functional>

namespace perflab::http {
class Router;
}
namespace perflab::metrics {
class Registry;
}

namespace perflab::lab {

// `extra` returns sections added to /admin/stats beside the registry's ("server": address,
// threads, uptime; "lab": cache, limiter, queue figures); it is called on a worker thread and
// must be thread-safe.
// `instance` (a cluster member's name, or empty) labels every /metrics sample instance="…".
void addMetricsRoutes(http::Router &router, const metrics::Registry &registry,
                      std::function<QJsonObject()> extra, const QString &instance = QString());

} // namespace perflab::lab

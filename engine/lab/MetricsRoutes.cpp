// See MetricsRoutes.h.
#include "lab/MetricsRoutes.h"

#include "http/Router.h"
#include "metrics/PrometheusText.h"
#include "metrics/Registry.h"

#include <QJsonDocument>

namespace perflab::lab {

void addMetricsRoutes(http::Router &router, const metrics::Registry &registry, std::function<QJsonObject()> serverInfo)
{
    router.addGet("/metrics", [&registry](const http::HttpRequest &) {
        return http::HttpResponse::text(200, metrics::PrometheusText::render(registry),
                                        QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"));
    });
    router.addGet("/admin/stats", [&registry, serverInfo = std::move(serverInfo)](const http::HttpRequest &) {
        QJsonObject stats = registry.snapshotJson();
        stats.insert(QStringLiteral("server"), serverInfo());
        return http::HttpResponse::json(200, QJsonDocument(stats));
    });
}

} // namespace perflab::lab

// See MetricsRoutes.h.
#include "engine/lab/MetricsRoutes.h"

#include "engine/http/Router.h"
#include "engine/metrics/PrometheusText.h"
#include "engine/metrics/Registry.h"

#include <QJsonDocument>

namespace perflab::lab {

void addMetricsRoutes(http::Router &router, const metrics::Registry &registry,
                      std::function<QJsonObject()> extra, const QString &instance)
{
    QList<std::pair<QString, QString>> labels;
    if (!instance.isEmpty())
        labels.append({QStringLiteral("instance"), instance});
    router.addGet("/metrics", [&registry, labels](const http::HttpRequest &) {
        return http::HttpResponse::text(200, metrics::PrometheusText::render(registry, labels),
                                        QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"));
    });
    router.addGet("/admin/stats", [&registry, extra = std::move(extra)](const http::HttpRequest &) {
        QJsonObject stats = registry.snapshotJson();
        const QJsonObject sections = extra();
        for (auto it = sections.begin(); it != sections.end(); ++it)
            stats.insert(it.key(), it.value());
        return http::HttpResponse::json(200, QJsonDocument(stats));
    });
}

} // namespace perflab::lab

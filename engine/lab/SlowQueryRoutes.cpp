// See SlowQueryRoutes.h.
#include "engine/lab/SlowQueryRoutes.h"

#include "engine/db/SlowQueryLog.h"
#include "engine/http/RequestValidation.h"
#include "engine/http/Router.h"

#include <QJsonDocument>

namespace perflab::lab {

void addSlowQueryRoutes(http::Router &router, db::SlowQueryLog &log)
{
    router.addGet("/admin/slow-queries", [&log](const http::HttpRequest &request) {
        int limit = 100;
        if (const std::optional<QString> raw = request.queryParam("limit")) {
            bool ok = false;
            limit = raw->toInt(&ok);
            if (!ok || limit < 1 || limit > 10'000) {
                return http::unprocessable(QJsonArray{http::validationIssue(
                    QStringLiteral("int_parsing"),
                    QJsonArray{QStringLiteral("query"), QStringLiteral("limit")},
                    QStringLiteral("Input should be an integer from 1 to 10000"), *raw)});
            }
        }
        return http::HttpResponse::json(200, QJsonDocument(log.toJson(limit)).toJson(QJsonDocument::Compact));
    });
    router.add(http::Method::Delete, "/admin/slow-queries",
               {[&log](const http::HttpRequest &) {
                    log.clear();
                    http::HttpResponse response;
                    response.status = 204;
                    return response;
                },
                {},
                {}});
}

} // namespace perflab::lab

// See HttpCacheRoutes.h.
#include "engine/lab/HttpCacheRoutes.h"

#include "engine/http/Router.h"

namespace perflab::lab {

void addHttpCacheRoutes(http::Router &router)
{
    router.addGet("/static-data", [](const http::HttpRequest &) {
        http::HttpResponse response =
            http::HttpResponse::json(200, QByteArrayLiteral("{\"data\":\"This is static data\"}"));
        response.addHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("public, max-age=3600"));
        response.addHeader(QByteArrayLiteral("ETag"), QByteArrayLiteral("\"abc123\""));
        return response;
    });
    router.addGet("/data/{item_id:int}", [](const http::HttpRequest &request) {
        const qint64 id = request.pathParam("item_id")->intValue;
        http::HttpResponse response = http::HttpResponse::json(200, "{\"item_id\":" + QByteArray::number(id) +
                                                                        ",\"value\":\"some value\"}");
        response.addHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("private, max-age=60"));
        return response;
    });
    router.addGet("/conditional", [](const http::HttpRequest &) {
        http::HttpResponse response =
            http::HttpResponse::json(200, QByteArrayLiteral("{\"data\":\"Full response\"}"));
        response.addHeader(QByteArrayLiteral("ETag"), QByteArrayLiteral("\"version123\""));
        return response;
    });
}

} // namespace perflab::lab

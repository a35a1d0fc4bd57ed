// See BaselineRoutes.h.
#include "engine/lab/BaselineRoutes.h"

#include "engine/http/Router.h"

namespace perflab::lab {

void addBaselineRoutes(http::Router &router)
{
    router.addGet("/hello", [](const http::HttpRequest &) {
        // A literal: no allocation, no JSON encoder, as a hand-tuned server would answer it.
        return http::HttpResponse::json(200, QByteArrayLiteral("{\"message\":\"hello\"}"));
    });
}

} // namespace perflab::lab

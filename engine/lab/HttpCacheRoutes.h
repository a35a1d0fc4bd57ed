// Guide chapter 3's HTTP-caching routes: GET /static-data (public, max-age=3600, ETag),
// GET /data/{item_id} (private, max-age=60) and GET /conditional (ETag; the HttpCaching
// middleware answers a matching If-None-Match with 304).
#pragma once

namespace perflab::http {
class Router;
}

namespace perflab::lab {

void addHttpCacheRoutes(http::Router &router);

} // namespace perflab::lab

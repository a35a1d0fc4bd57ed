// The slow-query log over HTTP:
//   GET    /admin/slow-queries?limit=100   {"threshold_ms", "queries": [...]}, worst (largest
//                                          total time) first
//   DELETE /admin/slow-queries             empties the log (a scenario's phases can start
//                                          clean), 204
#pragma once

namespace perflab::http {
class Router;
}
namespace perflab::db {
class SlowQueryLog;
}

namespace perflab::lab {

// `log` must outlive every request the router serves.
void addSlowQueryRoutes(http::Router &router, db::SlowQueryLog &log);

} // namespace perflab::lab

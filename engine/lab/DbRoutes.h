// Guide chapter 4 as routes (/db/users...): each query pattern on the real users
// table, and, where the guide contrasts two ways, the slow twin behind ?mode= so that a
// scenario can put them side by side:
//
//   GET    /db/users?page=1&size=20            offset pagination          {"users", "page", "size"}
//   GET    /db/users/cursor?cursor=0&size=20   keyset pagination          {"users", "next_cursor"}
//   GET    /db/users/names?limit=1000          id, name only              {"users"}
//                     &mode=columns|whole_rows   (whole_rows: SELECT *, the ORM-entity way)
//   GET    /db/users/partial?limit=1000        id, name, email            {"users"}
//   POST   /db/users/by-ids  [ids]             one IN query               {"users"}
//                     ?mode=in|n_plus_1          (n_plus_1: one SELECT per id)
//   GET    /db/users/count                     SELECT count(*)            {"count"}
//                     ?mode=count|naive          (naive: load every row and count)
//   POST   /db/users/bulk  [users]             multi-row INSERT, 201      {"inserted", "ids"}
//                     ?mode=bulk|row_by_row      (row_by_row: INSERT + COMMIT per row)
//   PUT    /db/users/bulk-status {"ids","is_active"}  one UPDATE         {"updated"}
//   DELETE /db/users/bulk  [ids]               one DELETE (and the users' orders)  {"deleted"}
//
// A connection is checked out per request; when none comes within pool_timeout_s the answer
// is 503 {"detail": "database pool exhausted: size N overflow M, waited T s"}. The work runs on
// the connection's own thread, response JSON included, and Server-Timing gets `pool` (the
// checkout wait) and `db` (the work). Bad parameters and bodies: 422 naming the field.
#pragma once

namespace perflab::http {
class Router;
}
namespace perflab::db {
class ConnectionPool;
}

namespace perflab::lab {

// `pool` must outlive every request the router serves.
void addDbRoutes(http::Router &router, db::ConnectionPool &pool);

} // namespace perflab::lab

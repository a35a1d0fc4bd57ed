// The guide's chapter 1 and FAQ Q2 as routes: async vs sync handlers, a blocked event loop
// vs the blocking pool, serial vs concurrent fan-out (gather, gatherSettled) and timeouts.
//
//   GET /async                         1 s timer                      {"result":"async result"}
//   GET /sync                          1 s blocking sleep on the pool {"result":"sync result"}
//   GET /blocking                      1 s blocking sleep ON the worker thread (the anti-pattern:
//                                      every request on that worker stalls) {"result":"done"}
//   GET /non-blocking                  the same sleep via runBlocking  {"result":"done"}
//   GET /user/{user_id}/serial         user, orders, profile one after another (~1.5 s)
//   GET /user/{user_id}/concurrent     the three with gather (~0.5 s)
//   GET /user/{user_id}/safe-concurrent?fail=orders,profile
//                                      gatherSettled: failed parts are left out. A part fails
//                                      when named in `fail` or, independently, with probability
//                                      simulation.failure_rate. Unknown names: 422.
//   GET /with-timeout?work=10&timeout=5
//                                      `work` s of work raced against `timeout` s: 408
//                                      {"detail":"Operation timed out"} at the timeout, else
//                                      {"result":"done"}
//   GET /multi-timeout?slow=0.5&budget=2
//                                      fetch_user(1) (0.5 s) and fetch_orders(1) (`slow` s) under
//                                      one `budget`; the late one is stopped:
//                                      {"results":[...],"pending_count":n}
//
// Every duration is in the guide's seconds, multiplied by simulation.io_scale when the request
// starts. Bad numbers in the query are 422 in FastAPI's (pydantic v2) shape; numbers are
// limited to 0..86400.
#pragma once

namespace perflab::http {
class Router;
}
namespace perflab::settings {
class SettingsStore;
}

namespace perflab::lab {

// `settings` must outlive the router (the handlers read it on the worker threads).
void addConcurrencyRoutes(http::Router &router, settings::SettingsStore &settings);

} // namespace perflab::lab

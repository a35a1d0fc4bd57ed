// Workloads of the guide's chapters 5 and 6 and FAQ Q3:
//
//   GET  /limited       1 s of async work, {"result":"done"}: the lab's concurrency middleware
//                       holds it inside the semaphore (concurrency.max_in_flight)
//   GET  /queued        the same work, behind the middleware's bounded request queue
//   POST /batch         body: a JSON array of items (at most 1000); every item is processed
//                       concurrently (gather), each one 0.1 s of simulated I/O:
//                       {"results":[{"item":<item>,"processed":true},…]} in input order.
//                       A body that is not a JSON array is a 422 in FastAPI's shape.
//   GET  /profile-test  a CPU + I/O mix (≈5 ms of prime search; fetch_user and fetch_orders
//                       concurrently, then fetch_profile) returned with its measured profile:
//                       {"result":{…},"profile":<span>} where a span is
//                       {"name","start_ms","duration_ms","children":[span…]} and the tree is
//                       profile-test → cpu, gather → (fetch_user, fetch_orders), fetch_profile.
//                       start_ms is relative to the root, so overlapping spans show concurrency.
//
// I/O delays are the guide's seconds times simulation.io_scale; the CPU part is not scaled.
#pragma once

namespace perflab::http {
class Router;
}
namespace perflab::settings {
class SettingsStore;
}

namespace perflab::lab {

// `settings` must outlive the router (the handlers read it on the worker threads).
void addWorkloadRoutes(http::Router &router, settings::SettingsStore &settings);

} // namespace perflab::lab

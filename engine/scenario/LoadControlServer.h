// LoadControlServer: the load of a running scenario, changed over HTTP (`perflab run
// --control-port P`), for a headless run that has no slider. Loopback only: whoever can reach
// it changes what the run measures, and a run has no token to offer.
//
//   GET   /load  200 {"running": bool, "phase": name|null, "phase_index": n|null,
//                     "segment": the report phase the statistics go to now|null,
//                     "model": {"model": "open"|"closed"|"stages", "rate"?, "connections", ...}|null}
//   PATCH /load  {"rate": R} (req/s) or {"connections": N}; 200 with the state as GET gives it
//                after the change; 400 {"detail", "field"} for a body or value refused (the
//                field named: "rate", "connections", or "body"); 409 {"detail"} when no phase
//                runs (before the load starts, between phases, after the run) or the target
//                is a cluster.
//
// It is the lab's own HTTP server (http::HttpServer, one worker thread). The runner lives on
// the thread that made this object; a handler hands its work to that thread's event loop and
// waits for the answer there, so the runner is only ever touched on its own thread and the
// worker never blocks.
#pragma once

#include <QString>

#include <memory>
#include <optional>

namespace perflab::async::detail {
class ThreadExecutor;
}
namespace perflab::http {
class HttpServer;
}

namespace perflab::scenario {

class ScenarioRunner;

class LoadControlServer
{
public:
    // On the runner's thread; `runner` outlives this object.
    explicit LoadControlServer(ScenarioRunner &runner);
    ~LoadControlServer(); // stops

    // Listens on 127.0.0.1:`port` (0: a free port); the error text when it cannot.
    std::optional<QString> start(quint16 port);
    void stop();
    quint16 port() const;
    QString url() const; // "http://127.0.0.1:PORT/load"

    struct Shared; // what the handlers share with the runner's thread

private:
    ScenarioRunner &m_runner;
    std::shared_ptr<async::detail::ThreadExecutor> m_home; // the runner's thread
    std::shared_ptr<Shared> m_shared;
    std::unique_ptr<http::HttpServer> m_server;
};

} // namespace perflab::scenario

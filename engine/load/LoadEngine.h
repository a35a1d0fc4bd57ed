// LoadEngine: the load generator as one object, so that its users start, read and stop a load
// through one QObject and never touch its threads. Client threads, each with its own
// epoll event loop (net::EpollEventDispatcher), keep-alive connections to one HttpTarget, the
// request mix and the live load model. Every request is recorded into the engine's metrics
// registry (families in LoadMetrics.h), lock-free on the hot path; snapshot() reads it, the
// sampler() turns it into the live time series (100 ms) that charts and reports read.
//
// The model may change while the engine runs (a scenario's phases): setModel() is applied by
// every client thread at once; an open-loop schedule restarts at the new rate from "now",
// requests already waiting keep their intended times.
#pragma once

#include "engine/load/LoadPlan.h"
#include "engine/load/LoadSnapshot.h"
#include "engine/metrics/Registry.h"
#include "engine/metrics/Sampler.h"

#include <QObject>

#include <memory>
#include <optional>
#include <vector>

namespace perflab::load {

class LoadEngine final : public QObject
{
    Q_OBJECT
public:
    // `mix` must be valid (paths parse as PathTemplates, weights > 0).
    LoadEngine(HttpTarget target, std::vector<RequestSpec> mix, LoadOptions options,
               QObject *parent = nullptr);
    ~LoadEngine() override; // stops

    // Starts the client threads with `model`; returns an error text if nothing could start.
    std::optional<QString> start(const LoadModel &model);
    void setModel(const LoadModel &model);
    // Stops sending; waits up to `grace` for requests in flight, then closes everything and
    // joins the threads. Requests cut off count as nothing (not as errors).
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds{2000});
    bool isRunning() const;

    const std::vector<RequestSpec> &mix() const;
    LoadSnapshot snapshot() const; // cumulative since start, any thread
    metrics::Registry &registry();
    metrics::Sampler &sampler(); // lives on the engine's thread; started by start()

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace perflab::load

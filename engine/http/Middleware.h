// The middleware chain: invoke(context, next), in the manner of Starlette's and Drogon's.
//
// A step answers either at once or later. `Outcome` holds a ready response or a coroutine, so
// a chain whose steps and handler all answer at once (GET /hello with compression, caching
// and timing on) runs without a single coroutine frame; only a step or handler that really
// waits (a permit, a timer, a query) pays for one. `then()` applies a post-processing step to
// either kind.
#pragma once

#include "engine/http/HttpRequest.h"
#include "engine/http/HttpResponse.h"

#include <QCoro/QCoroTask>

#include <chrono>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace perflab::http {

struct RouteInfo;
class MiddlewareChain;

// Everything one request carries through the chain. Lives at a stable address until the
// response is out (the connection owns it), so steps and coroutines may keep references.
struct RequestContext
{
    using Clock = std::chrono::steady_clock;

    RequestContext() = default;
    RequestContext(const RequestContext &) = delete;
    RequestContext &operator=(const RequestContext &) = delete;

    // Makes a used context ready for the next request (the connection reuses one allocation).
    void reset(HttpRequest &&next)
    {
        request = std::move(next);
        route = nullptr;
        routeError.reset();
        timings.clear();
    }

    HttpRequest request;
    const RouteInfo *route = nullptr;       // null when no route matched...
    std::optional<HttpResponse> routeError; // ...and this is the 404/405/422 to send
    Clock::time_point started;              // first byte of the request
    // Server-Timing parts in order ("queue", "handler", "db", ...), milliseconds.
    std::vector<std::pair<QByteArray, double>> timings;

    void addTiming(QByteArray name, double ms) { timings.emplace_back(std::move(name), ms); }
};

class Outcome
{
public:
    Outcome(HttpResponse response) : m_response(std::move(response)) {}
    Outcome(QCoro::Task<HttpResponse> task) : m_task(std::move(task)) {}

    bool isReady() const { return m_response.has_value(); }
    HttpResponse &response() { return *m_response; }
    QCoro::Task<HttpResponse> takeTask() { return std::move(*m_task); } // when !isReady()
    // Awaitable form of either kind.
    QCoro::Task<HttpResponse> toTask() &&;

    // Applies `step(HttpResponse&)` when the response exists: now, or after the coroutine.
    template <typename Step> Outcome then(Step step) &&
    {
        if (m_response) {
            step(*m_response);
            return std::move(*this);
        }
        return Outcome(thenAsync(std::move(*m_task), std::move(step)));
    }

private:
    template <typename Step>
    static QCoro::Task<HttpResponse> thenAsync(QCoro::Task<HttpResponse> task, Step step)
    {
        HttpResponse response = co_await task;
        step(response);
        co_return response;
    }

    std::optional<HttpResponse> m_response;
    std::optional<QCoro::Task<HttpResponse>> m_task;
};

// The rest of the chain after a step. A value (chain + position), so a coroutine may keep it
// and call it after suspending.
class Next
{
public:
    Next(const MiddlewareChain *chain, size_t index) : m_chain(chain), m_index(index) {}
    Outcome operator()(RequestContext &context) const;

private:
    const MiddlewareChain *m_chain;
    size_t m_index;
};

class Middleware
{
public:
    virtual ~Middleware() = default;
    virtual Outcome invoke(RequestContext &context, Next next) = 0;
};

// Steps in order, then the route's handler. Steps are fixed before the server starts; each
// decides per request (from the live settings) whether it does anything.
class MiddlewareChain
{
public:
    void add(std::shared_ptr<Middleware> step) { m_steps.push_back(std::move(step)); }
    Outcome run(RequestContext &context) const { return dispatch(0, context); }
    size_t size() const { return m_steps.size(); }

private:
    friend class Next;
    Outcome dispatch(size_t index, RequestContext &context) const;
    Outcome callHandler(RequestContext &context) const;

    std::vector<std::shared_ptr<Middleware>> m_steps;
};

} // namespace perflab::http

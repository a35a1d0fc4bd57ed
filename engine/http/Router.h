// Routes requests to handlers by method and path template.
//
// Templates are FastAPI-like: "/user/{user_id:int}/serial". A `{name}` segment matches any
// non-empty segment; a typed one (`:int`) is then converted, and a segment that does not
// convert gives 422 with a FastAPI-shaped detail naming the parameter (FastAPI validates after
// matching, so "/users/abc" is 422, not 404). Unknown paths are 404; known paths with another
// method are 405 with `Allow`. GET routes answer HEAD too. The route's label for metrics is the
// template without the types ("/user/{user_id}/serial"), never the raw path.
#pragma once

#include "engine/http/HttpRequest.h"
#include "engine/http/HttpResponse.h"
#include "engine/http/Middleware.h"

#include <QCoro/QCoroTask>

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace perflab::http {

// A handler either answers at once (no coroutine frame: the fast path of /hello) or is a
// coroutine. The request outlives the coroutine: the connection keeps it in the frame that
// awaits the handler.
using SyncHandler = std::function<HttpResponse(const HttpRequest &)>;
using AsyncHandler = std::function<QCoro::Task<HttpResponse>(const HttpRequest &)>;
// Answers at once when it can (a cache hit) and with a coroutine when it must wait (a miss):
// the fast path then costs no coroutine frame.
using OutcomeHandler = std::function<Outcome(const HttpRequest &)>;

struct Handler
{
    SyncHandler sync;
    AsyncHandler async;
    OutcomeHandler either;
};

struct RouteInfo
{
    Method method;
    QByteArray methodName;
    QByteArray label; // template without parameter types
    Handler handler;
};

struct RouteMatch
{
    enum class Kind { Found, NotFound, MethodNotAllowed, InvalidParam } kind = Kind::NotFound;
    int routeId = -1;
    QByteArray allow;           // for MethodNotAllowed: "GET, HEAD"
    HttpResponse errorResponse; // ready-made 404/405/422 response
};

class Router
{
public:
    // Returns the route id (dense, from 0), used to index per-route metrics.
    int add(Method method, QByteArrayView pattern, Handler handler);
    int addGet(QByteArrayView pattern, SyncHandler handler)
    {
        return add(Method::Get, pattern, {std::move(handler), {}});
    }
    int addGetAsync(QByteArrayView pattern, AsyncHandler handler)
    {
        return add(Method::Get, pattern, {{}, std::move(handler), {}});
    }
    int addGetEither(QByteArrayView pattern, OutcomeHandler handler)
    {
        return add(Method::Get, pattern, {{}, {}, std::move(handler)});
    }

    // Fills request.routeId and request.pathParams when found.
    RouteMatch match(HttpRequest &request) const;

    const RouteInfo &route(int id) const { return m_routes[size_t(id)]; }
    int routeCount() const { return int(m_routes.size()); }
    const std::vector<RouteInfo> &routes() const { return m_routes; }

private:
    struct Segment
    {
        QByteArray text; // literal, or parameter name
        bool isParam = false;
        bool isInt = false;
    };
    struct Pattern
    {
        QByteArray label;
        std::vector<Segment> segments;
        std::vector<std::pair<Method, int>> methods; // method -> route id
    };
    struct StringHash
    {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    RouteMatch dispatch(const Pattern &pattern, HttpRequest &request) const;

    std::vector<RouteInfo> m_routes;
    std::vector<Pattern> m_patterns;
    // Literal paths (no parameters) -> pattern index: one hash lookup on the hot path.
    std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> m_literal;
    std::vector<size_t> m_templated;
};

} // namespace perflab::http

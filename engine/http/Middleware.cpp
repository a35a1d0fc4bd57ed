// See Middleware.h.
#include "engine/http/Middleware.h"

#include "engine/http/Router.h"

namespace perflab::http {

QCoro::Task<HttpResponse> Outcome::toTask() &&
{
    if (m_response)
        co_return std::move(*m_response);
    co_return co_await std::move(*m_task);
}

Outcome Next::operator()(RequestContext &context) const
{
    return m_chain->dispatch(m_index, context);
}

Outcome MiddlewareChain::dispatch(size_t index, RequestContext &context) const
{
    if (index < m_steps.size())
        return m_steps[index]->invoke(context, Next(this, index + 1));
    return callHandler(context);
}

Outcome MiddlewareChain::callHandler(RequestContext &context) const
{
    if (!context.route)
        return std::move(*context.routeError);
    const Handler &handler = context.route->handler;
    if (handler.sync)
        return handler.sync(context.request);
    if (handler.either)
        return handler.either(context.request);
    return handler.async(context.request);
}

} // namespace perflab::http

// See AdminAuth.h.
#include "engine/lab/middleware/AdminAuth.h"

#include "engine/http/Router.h"

#include <optional>

namespace perflab::lab {

namespace {

bool isAdminPath(const http::RequestContext &context)
{
    const QByteArrayView path = context.request.path;
    if (path == "/admin" || path.startsWith("/admin/"))
        return true;
    // Whatever path reached an admin route's handler is an admin request too.
    return context.route && context.route->label.startsWith("/admin/");
}

// The token of `Authorization: Bearer TOKEN` (scheme case-insensitive), else X-Admin-Token's.
std::optional<QByteArrayView> presentedToken(const http::HttpRequest &request)
{
    if (const auto authorization = request.header("authorization")) {
        constexpr QByteArrayView scheme("bearer");
        const QByteArrayView value = *authorization;
        const bool isBearer = value.size() > scheme.size() &&
                              value.first(scheme.size()).compare(scheme, Qt::CaseInsensitive) == 0 &&
                              (value[scheme.size()] == ' ' || value[scheme.size()] == '\t');
        if (isBearer)
            return value.sliced(scheme.size()).trimmed();
    }
    if (const auto header = request.header("x-admin-token"))
        return *header;
    return std::nullopt;
}

http::HttpResponse unauthorized(const QString &detail)
{
    http::HttpResponse response = http::HttpResponse::error(401, detail);
    response.addHeader(QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer"));
    return response;
}

} // namespace

http::Outcome AdminAuth::invoke(http::RequestContext &context, http::Next next)
{
    if (!isAdminPath(context))
        return next(context);
    const std::optional<QByteArrayView> token = presentedToken(context.request);
    if (!token || token->isEmpty())
        return unauthorized(QStringLiteral("Not authenticated: the /admin routes of this lab need its admin "
                                           "token (Authorization: Bearer TOKEN)"));
    if (!m_check.matches(*token))
        return unauthorized(QStringLiteral("Invalid admin token"));
    return next(context);
}

} // namespace perflab::lab

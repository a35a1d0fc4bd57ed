// The one gate of the /admin routes (settings, stats, slow queries), in the chain right after
// the request id, so that no handler has to remember it and a refused request costs no
// permit, cache or compression work. In the chain only when the lab requires a token
// (AdminAccess.h); then every request whose path is under /admin/ — a route or not, so a
// 404 or 405 does not tell a stranger which admin routes exist — needs
// `Authorization: Bearer TOKEN` (or `X-Admin-Token: TOKEN`). Missing or wrong: 401 with
// `WWW-Authenticate: Bearer` and {"detail": "..."}, and the handler does not run.
#pragma once

#include "engine/http/Middleware.h"
#include "engine/lab/AdminToken.h"

namespace perflab::lab {

class AdminAuth final : public http::Middleware
{
public:
    explicit AdminAuth(const QString &token) : m_check(token) {}
    http::Outcome invoke(http::RequestContext &context, http::Next next) override;

private:
    AdminTokenCheck m_check;
};

} // namespace perflab::lab

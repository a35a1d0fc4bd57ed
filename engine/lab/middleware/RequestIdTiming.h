// First step of the chain: gives every response an X-Request-Id (the client's, when it sent a
// sane one) and a W3C Server-Timing header with the server's own split of the time: the parts
// inner steps added (queue), `handler` for the rest of the chain, then the parts of it that the
// handler measured itself (HttpResponse::timings: pool, db), and `total` from the request's
// first byte.
#pragma once

#include "engine/http/Middleware.h"

#include <atomic>

namespace perflab::lab {

class RequestIdTiming final : public http::Middleware
{
public:
    http::Outcome invoke(http::RequestContext &context, http::Next next) override;
};

} // namespace perflab::lab

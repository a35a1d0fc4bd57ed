// Routes that exercise the server's machinery in tests: sync, async, streamed, failing.
#pragma once

#include "engine/http/Router.h"

#include <memory>

namespace perflab::test {

// GET /hello, POST /echo, GET /slow?ms=N, GET /stream?n=N&ms=M, GET|POST /user/{user_id:int},
// GET /boom (throws), GET /async-boom (throws after suspending).
std::shared_ptr<http::Router> makeTestRouter();

} // namespace perflab::test

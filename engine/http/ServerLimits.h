// The lab server's limits; each is a live setting of the "server" section
// (docs/reference/settings.md).
#pragma once

#include "engine/http/RequestParser.h"

#include <chrono>

namespace perflab::http {

struct ServerLimits
{
    ParserLimits parser;
    // A request (head and body) not complete this long after its first byte gets 408 and the
    // connection is closed: slow-loris protection.
    std::chrono::milliseconds requestTimeout{10'000};
    // An idle keep-alive connection is closed after this long.
    std::chrono::milliseconds keepAliveTimeout{5'000};
    // Over this many open connections (all workers), new ones get 503 and are closed.
    int maxConnections = 10'000;
    // Requests parsed ahead of their responses on one connection (pipelining) before the
    // server stops reading from it until responses catch up.
    int maxPipelinedRequests = 64;
};

} // namespace perflab::http

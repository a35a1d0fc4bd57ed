// Serializes a response head (and body) straight into a connection's output buffer.
#pragma once

#include "engine/http/HttpResponse.h"

namespace perflab::http {

struct ResponseFraming
{
    bool headRequest = false; // HEAD: headers as for GET, no body
    bool keepAlive = true;    // false: "Connection: close"
    bool http10 = false;      // HTTP/1.0 client: no chunked; keep-alive must be explicit
    bool streamed = false;    // body follows as chunks (or until close for HTTP/1.0)
};

// Appends status line, headers and, unless streamed or HEAD, the body. Returns the number of
// bytes appended.
qsizetype appendResponse(QByteArray &out, const HttpResponse &response, const ResponseFraming &framing);

// One chunk of a streamed body, and its end. For HTTP/1.0 the bytes are sent raw.
void appendChunk(QByteArray &out, QByteArrayView data, bool http10);
void appendLastChunk(QByteArray &out, bool http10);

} // namespace perflab::http

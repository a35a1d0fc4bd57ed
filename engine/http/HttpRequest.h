// One parsed HTTP/1.x request. It owns its bytes (the head and the decoded body), so it can
// be moved into a coroutine that outlives the connection's read buffer; every string view
// below points into `head` or `body`, whose storage does not move when the request moves.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace perflab::http {

enum class Method : uint8_t { Get, Head, Post, Put, Delete, Patch, Options, Other };

Method methodFromToken(QByteArrayView token);
QByteArrayView methodName(Method method);

struct HeaderField
{
    QByteArrayView name;  // as received; compare case-insensitively
    QByteArrayView value; // leading and trailing whitespace trimmed
};

struct PathParam
{
    QByteArrayView name;
    QByteArrayView raw; // percent-decoding is not applied to typed (int) parameters
    qint64 intValue = 0;
};

struct HttpRequest
{
    QByteArray head; // request line + header fields, exactly as received
    QByteArray body; // decoded (de-chunked) body
    Method method = Method::Get;
    QByteArrayView methodToken;
    QByteArrayView target; // as received: path plus optional ?query
    QByteArrayView path;   // without the query
    QByteArrayView query;  // without the '?'
    int versionMinor = 1;  // HTTP/1.<minor>
    bool keepAlive = true;
    bool expectContinue = false;
    std::vector<HeaderField> headers;
    std::vector<PathParam> pathParams; // filled by the router
    int routeId = -1;                  // filled by the router

    // First header of that name (case-insensitive), or an empty optional.
    std::optional<QByteArrayView> header(QByteArrayView name) const;
    // The query parameter's percent-decoded value ('+' as space), or an empty optional.
    std::optional<QString> queryParam(QByteArrayView name) const;
    const PathParam *pathParam(QByteArrayView name) const;
};

} // namespace perflab::http

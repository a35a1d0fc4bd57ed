// See ResponseWriter.h.
#include "http/ResponseWriter.h"

#include "http/HttpDate.h"

#include <charconv>

namespace perflab::http {

namespace {
const QByteArrayView kServerHeader = "\r\nServer: perflab/" PERFLAB_VERSION "\r\nDate: ";

void appendNumber(QByteArray &out, qint64 value, int base = 10)
{
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof digits, value, base);
    out.append(digits, result.ptr - digits);
}

bool statusHasNoBody(int status) { return status < 200 || status == 204 || status == 304; }
} // namespace

qsizetype appendResponse(QByteArray &out, const HttpResponse &response, const ResponseFraming &framing)
{
    const qsizetype start = out.size();
    out.append("HTTP/1.1 ");
    appendNumber(out, response.status);
    out.append(' ');
    out.append(reasonPhrase(response.status));
    out.append(kServerHeader);
    out.append(currentHttpDate());
    const bool noBody = statusHasNoBody(response.status);
    if (!noBody) {
        out.append("\r\nContent-Type: ");
        out.append(response.contentType);
        if (framing.streamed) {
            if (!framing.http10)
                out.append("\r\nTransfer-Encoding: chunked");
        } else {
            out.append("\r\nContent-Length: ");
            appendNumber(out, response.body.size());
        }
    }
    if (!framing.keepAlive)
        out.append("\r\nConnection: close");
    else if (framing.http10)
        out.append("\r\nConnection: keep-alive");
    for (const auto &[name, value] : response.headers) {
        out.append("\r\n");
        out.append(name);
        out.append(": ");
        out.append(value);
    }
    out.append("\r\n\r\n");
    if (!noBody && !framing.streamed && !framing.headRequest)
        out.append(response.body);
    return out.size() - start;
}

void appendChunk(QByteArray &out, QByteArrayView data, bool http10)
{
    if (data.isEmpty())
        return; // an empty chunk would end the body
    if (!http10) {
        appendNumber(out, data.size(), 16);
        out.append("\r\n");
    }
    out.append(data);
    if (!http10)
        out.append("\r\n");
}

void appendLastChunk(QByteArray &out, bool http10)
{
    if (!http10)
        out.append("0\r\n\r\n");
}

} // namespace perflab::http

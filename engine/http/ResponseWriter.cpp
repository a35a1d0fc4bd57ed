// See ResponseWriter.h.
#include "engine/http/ResponseWriter.h"

#include "engine/http/HttpDate.h"

#include <charconv>
#include <cstring>

namespace perflab::http {

namespace {
const QByteArrayView kServerHeader = "\r\nServer: perflab/" PERFLAB_VERSION "\r\nDate: ";

void appendNumber(QByteArray &out, qint64 value, int base = 10)
{
    char digits[24];
    auto result = std::to_chars(digits, digits + sizeof digits, value, base);
    out.append(digits, result.ptr - digits);
}

bool statusHasNoBody(int status)
{
    return status < 200 || status == 204 || status == 304;
}
} // namespace

// The head is built from a dozen pieces. Appending them one by one costs a capacity check and
// a call per piece (measurable on the cached-hit path, where this is most of the user-space
// work), so the size is summed first, the buffer grown once, and the pieces copied by a cursor.
qsizetype appendResponse(QByteArray &out, const HttpResponse &response, const ResponseFraming &framing)
{
    const bool noBody = statusHasNoBody(response.status);
    const bool withBody = !noBody && !framing.streamed && !framing.headRequest;
    char status[8];
    const auto statusEnd = std::to_chars(status, status + sizeof status, response.status).ptr;
    char length[24];
    const auto lengthEnd = std::to_chars(length, length + sizeof length, response.body.size()).ptr;

    const QByteArrayView reason = reasonPhrase(response.status);
    const QByteArrayView date = currentHttpDate();
    QByteArrayView framingHeader;
    if (!noBody) {
        if (!framing.streamed)
            framingHeader = "\r\nContent-Length: ";
        else if (!framing.http10)
            framingHeader = "\r\nTransfer-Encoding: chunked";
    }
    QByteArrayView connectionHeader;
    if (!framing.keepAlive)
        connectionHeader = "\r\nConnection: close";
    else if (framing.http10)
        connectionHeader = "\r\nConnection: keep-alive";
    const QByteArrayView contentTypeHeader = noBody ? QByteArrayView() : QByteArrayView("\r\nContent-Type: ");
    const QByteArrayView lengthDigits =
        !noBody && !framing.streamed ? QByteArrayView(length, lengthEnd - length) : QByteArrayView();

    qsizetype total = 9 + (statusEnd - status) + 1 + reason.size() + kServerHeader.size() + date.size() +
                      contentTypeHeader.size() + (noBody ? 0 : response.contentType.size()) +
                      framingHeader.size() + lengthDigits.size() + connectionHeader.size() + 4 +
                      (withBody ? response.body.size() : 0);
    for (const auto &[name, value] : response.headers)
        total += 4 + name.size() + value.size();

    const qsizetype start = out.size();
    out.resize(start + total);
    char *cursor = out.data() + start;
    const auto put = [&cursor](QByteArrayView piece) {
        if (!piece.isEmpty())
            std::memcpy(cursor, piece.data(), size_t(piece.size()));
        cursor += piece.size();
    };
    put("HTTP/1.1 ");
    put(QByteArrayView(status, statusEnd - status));
    put(" ");
    put(reason);
    put(kServerHeader);
    put(date);
    if (!noBody) {
        put(contentTypeHeader);
        put(response.contentType);
    }
    put(framingHeader);
    put(lengthDigits);
    put(connectionHeader);
    for (const auto &[name, value] : response.headers) {
        put("\r\n");
        put(name);
        put(": ");
        put(value);
    }
    put("\r\n\r\n");
    if (withBody)
        put(response.body);
    Q_ASSERT(cursor == out.data() + out.size());
    return total;
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

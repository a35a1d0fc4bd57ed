// See ResponseParser.h.
#include "engine/load/ResponseParser.h"

#include "engine/load/HttpTokens.h"
#include "engine/load/ServerTiming.h"

#include <algorithm>
#include <cstring>

namespace perflab::load {

using namespace http_tokens;

namespace {

// Calls f(token) for each comma-separated element of a header list value.
template <typename F> void forEachListElement(QByteArrayView value, F &&f)
{
    while (!value.isEmpty()) {
        const qsizetype comma = value.indexOf(',');
        f(trimmed(comma < 0 ? value : value.first(comma)));
        if (comma < 0)
            break;
        value = value.sliced(comma + 1);
    }
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The line ending at the '\n' at `lf`, without its CR.
QByteArrayView lineBefore(const char *data, std::int64_t start, std::int64_t lf)
{
    std::int64_t end = lf;
    if (end > start && data[end - 1] == '\r')
        --end;
    return QByteArrayView(data + start, end - start);
}

} // namespace

void ResponseParser::begin(bool headRequest)
{
    m_state = State::Head;
    m_headRequest = headRequest;
    m_scanned = 0;
    m_status = 0;
    m_http10 = false;
    m_keepAlive = true;
    m_chunked = false;
    m_otherEncoding = false;
    m_contentLength = -1;
    m_remaining = 0;
    m_bytes = 0;
    m_partCount = 0;
    m_error = "";
}

ResponseParser::Result ResponseParser::fail(const char *why)
{
    m_state = State::Failed;
    m_error = why;
    return Result::Error;
}

ResponseParser::Result ResponseParser::parse(const char *data, std::int64_t length, std::int64_t &consumed)
{
    consumed = 0;
    for (;;) {
        const char *p = data + consumed;
        const std::int64_t left = length - consumed;
        switch (m_state) {
        case State::Failed:
            return Result::Error;
        case State::Done:
            return Result::Complete;
        case State::Head: {
            std::int64_t used = 0;
            const Result r = parseHead(p, left, used);
            consumed += used;
            m_bytes += used;
            if (r != Result::Complete)
                return r;
            break; // the state moved on (body, Done, or the next head after a 1xx)
        }
        case State::Fixed: {
            const std::int64_t n = std::min(left, m_remaining);
            consumed += n;
            m_bytes += n;
            m_remaining -= n;
            if (m_remaining == 0) {
                m_state = State::Done;
                break;
            }
            return Result::NeedMore;
        }
        case State::UntilClose:
            consumed += left;
            m_bytes += left;
            return Result::NeedMore;
        case State::ChunkSize: {
            const void *found =
                left > m_scanned ? std::memchr(p + m_scanned, '\n', size_t(left - m_scanned)) : nullptr;
            if (!found) {
                if (left > kMaxChunkLineBytes)
                    return fail("chunk-size line too long");
                m_scanned = left;
                return Result::NeedMore;
            }
            const std::int64_t lf = static_cast<const char *>(found) - p;
            const QByteArrayView line = lineBefore(p, 0, lf);
            std::int64_t size = 0;
            qsizetype i = 0;
            for (; i < line.size() && hexValue(line[i]) >= 0; ++i) {
                if (size > (std::int64_t{1} << 56))
                    return fail("chunk size too large");
                size = size * 16 + hexValue(line[i]);
            }
            if (i == 0)
                return fail("malformed chunk size");
            while (i < line.size() && isOws(line[i]))
                ++i;
            if (i < line.size() && line[i] != ';')
                return fail("malformed chunk size");
            consumed += lf + 1;
            m_bytes += lf + 1;
            m_scanned = 0;
            if (size == 0) {
                m_state = State::Trailers;
            } else {
                m_state = State::ChunkData;
                m_remaining = size;
            }
            break;
        }
        case State::ChunkData: {
            const std::int64_t n = std::min(left, m_remaining);
            consumed += n;
            m_bytes += n;
            m_remaining -= n;
            if (m_remaining > 0)
                return Result::NeedMore;
            m_state = State::ChunkDataEnd;
            break;
        }
        case State::ChunkDataEnd: {
            if (left < 1)
                return Result::NeedMore;
            std::int64_t n = 0;
            if (p[0] == '\n') {
                n = 1;
            } else if (p[0] == '\r') {
                if (left < 2)
                    return Result::NeedMore;
                if (p[1] != '\n')
                    return fail("chunk data not followed by CRLF");
                n = 2;
            } else {
                return fail("chunk data not followed by CRLF");
            }
            consumed += n;
            m_bytes += n;
            m_state = State::ChunkSize;
            break;
        }
        case State::Trailers: {
            const void *found =
                left > m_scanned ? std::memchr(p + m_scanned, '\n', size_t(left - m_scanned)) : nullptr;
            if (!found) {
                if (left > kMaxHeadBytes)
                    return fail("trailer section too long");
                m_scanned = left;
                return Result::NeedMore;
            }
            const std::int64_t lf = static_cast<const char *>(found) - p;
            const QByteArrayView line = lineBefore(p, 0, lf);
            consumed += lf + 1;
            m_bytes += lf + 1;
            m_scanned = 0;
            if (line.isEmpty()) {
                m_state = State::Done;
                break;
            }
            // Trailer fields may carry Server-Timing too (W3C allows it); the rest is ignored.
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return fail("trailer line without a colon");
            if (equalsIgnoringCase(line.first(colon), "server-timing"))
                parseServerTiming(trimmed(line.sliced(colon + 1)));
            break;
        }
        }
    }
}

ResponseParser::Result ResponseParser::finishOnClose()
{
    if (m_state == State::UntilClose || m_state == State::Done) {
        m_state = State::Done;
        return Result::Complete;
    }
    if (m_state != State::Failed) {
        m_state = State::Failed;
        m_error = "connection closed before the response was complete";
    }
    return Result::Error;
}

ResponseParser::Result ResponseParser::parseHead(const char *data, std::int64_t length,
                                                 std::int64_t &consumed)
{
    consumed = 0;
    // Find the blank line that ends the head: "\n\r\n" or "\n\n".
    std::int64_t end = -1;
    std::int64_t i = m_scanned;
    while (i < length) {
        const void *found = std::memchr(data + i, '\n', size_t(length - i));
        if (!found) {
            i = length;
            break;
        }
        const std::int64_t lf = static_cast<const char *>(found) - data;
        if (lf + 1 < length && data[lf + 1] == '\n') {
            end = lf + 2;
            break;
        }
        if (lf + 2 < length && data[lf + 1] == '\r' && data[lf + 2] == '\n') {
            end = lf + 3;
            break;
        }
        if (lf + 2 >= length) { // cannot tell yet: look at this '\n' again with more bytes
            i = lf;
            break;
        }
        i = lf + 1;
    }
    if (end < 0) {
        if (length > kMaxHeadBytes)
            return fail("response head larger than 64 KiB");
        m_scanned = i;
        return Result::NeedMore;
    }
    m_scanned = 0;
    if (end > kMaxHeadBytes)
        return fail("response head larger than 64 KiB");

    // Reset what a previous interim (1xx) head may have set.
    m_keepAlive = true;
    m_chunked = false;
    m_otherEncoding = false;
    m_contentLength = -1;
    m_partCount = 0;

    std::int64_t lineStart = 0;
    bool first = true;
    while (lineStart < end) {
        const auto *lfp =
            static_cast<const char *>(std::memchr(data + lineStart, '\n', size_t(end - lineStart)));
        const std::int64_t lf = lfp - data;
        const QByteArrayView line = lineBefore(data, lineStart, lf);
        lineStart = lf + 1;
        if (first) {
            first = false;
            if (!parseStatusLine(line))
                return Result::Error;
            continue;
        }
        if (line.isEmpty())
            break;
        if (!parseHeaderLine(line))
            return Result::Error;
    }
    consumed = end;
    if (m_status >= 100 && m_status < 200) {
        if (m_status == 101)
            return fail("unexpected 101 Switching Protocols");
        m_state = State::Head; // interim response: the real one follows
        return Result::Complete;
    }
    if (!startBody())
        return Result::Error;
    return Result::Complete;
}

bool ResponseParser::parseStatusLine(QByteArrayView line)
{
    // "HTTP/1.x SSS[ reason]"
    if (line.size() < 12 || !line.startsWith("HTTP/1.") || (line[7] != '0' && line[7] != '1') ||
        line[8] != ' ') {
        fail("malformed status line");
        return false;
    }
    m_http10 = line[7] == '0';
    int status = 0;
    for (int i = 9; i < 12; ++i) {
        if (line[i] < '0' || line[i] > '9') {
            fail("malformed status code");
            return false;
        }
        status = status * 10 + (line[i] - '0');
    }
    if (line.size() > 12 && line[12] != ' ') {
        fail("malformed status line");
        return false;
    }
    if (status < 100) {
        fail("malformed status code");
        return false;
    }
    m_status = status;
    // HTTP/1.0 closes after the response unless the server says keep-alive.
    m_keepAlive = !m_http10;
    return true;
}

bool ResponseParser::parseHeaderLine(QByteArrayView line)
{
    if (isOws(line.front())) {
        fail("obsolete line folding in a header");
        return false;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0) {
        fail("header line without a colon");
        return false;
    }
    const QByteArrayView name = line.first(colon);
    for (char c : name) {
        if (!isTokenChar(c)) {
            fail("invalid header name");
            return false;
        }
    }
    const QByteArrayView value = trimmed(line.sliced(colon + 1));
    for (char c : value) {
        if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
            fail("control character in a header value");
            return false;
        }
    }
    switch (name.size()) {
    case 10: // Connection
        if (equalsIgnoringCase(name, "connection")) {
            forEachListElement(value, [this](QByteArrayView token) {
                if (equalsIgnoringCase(token, "close"))
                    m_keepAlive = false;
                else if (equalsIgnoringCase(token, "keep-alive") && m_http10)
                    m_keepAlive = true;
            });
        }
        break;
    case 13: // Server-Timing
        if (equalsIgnoringCase(name, "server-timing"))
            parseServerTiming(value);
        break;
    case 14: // Content-Length
        if (equalsIgnoringCase(name, "content-length")) {
            if (value.isEmpty()) {
                fail("empty Content-Length");
                return false;
            }
            std::int64_t n = 0;
            for (char c : value) {
                if (c < '0' || c > '9' || n > (std::int64_t{1} << 56)) {
                    fail("malformed Content-Length");
                    return false;
                }
                n = n * 10 + (c - '0');
            }
            if (m_contentLength >= 0 && m_contentLength != n) {
                fail("two different Content-Length values");
                return false;
            }
            m_contentLength = n;
        }
        break;
    case 17: // Transfer-Encoding
        if (equalsIgnoringCase(name, "transfer-encoding")) {
            // The last coding decides: chunked frames the body; anything else reads to close.
            bool chunkedLast = false;
            forEachListElement(value, [&chunkedLast](QByteArrayView token) {
                chunkedLast = equalsIgnoringCase(token, "chunked");
            });
            m_chunked = chunkedLast;
            m_otherEncoding = !chunkedLast;
        }
        break;
    default:
        break;
    }
    return true;
}

void ResponseParser::parseServerTiming(QByteArrayView value)
{
    forEachServerTimingMetric(value, this, [](void *self, QByteArrayView metric, double durMs) {
        static_cast<ResponseParser *>(self)->addTimingPart(metric, durMs);
    });
}

void ResponseParser::addTimingPart(QByteArrayView metric, double durMs)
{
    const qsizetype nameLength = std::min<qsizetype>(metric.size(), kMaxPartNameLength);
    const QByteArrayView name = metric.first(nameLength);
    // The same metric twice in one response sums into one part.
    for (int k = 0; k < m_partCount; ++k) {
        if (m_parts[std::size_t(k)].nameView() == name) {
            m_parts[std::size_t(k)].durMs += durMs;
            return;
        }
    }
    if (m_partCount == kMaxServerTimingParts)
        return;
    TimingPart &part = m_parts[std::size_t(m_partCount++)];
    std::memcpy(part.name.data(), name.data(), size_t(nameLength));
    part.nameLength = int(nameLength);
    part.durMs = durMs;
}

bool ResponseParser::startBody()
{
    if (m_headRequest || m_status == 204 || m_status == 304) {
        m_state = State::Done;
        return true;
    }
    if (m_chunked) {
        m_state = State::ChunkSize;
        return true;
    }
    if (!m_otherEncoding && m_contentLength >= 0) {
        m_remaining = m_contentLength;
        m_state = m_remaining == 0 ? State::Done : State::Fixed;
        return true;
    }
    // No length: the body ends when the server closes (RFC 9112 §6.3 rule 8).
    m_keepAlive = false;
    m_state = State::UntilClose;
    return true;
}

} // namespace perflab::load

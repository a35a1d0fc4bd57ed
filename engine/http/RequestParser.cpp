// See RequestParser.h. Status codes: 400 malformed, 413 body too large, 414 request line too
// long, 431 header section too large, 417 unknown expectation, 501 unknown transfer coding,
// 505 unsupported HTTP version.
#include "engine/http/RequestParser.h"

#include <array>
#include <cstring>

namespace perflab::http {

namespace {

// RFC 9110 §5.6.2 token characters.
constexpr std::array<bool, 256> makeTokenTable()
{
    std::array<bool, 256> table{};
    for (int c = '0'; c <= '9'; ++c)
        table[c] = true;
    for (int c = 'a'; c <= 'z'; ++c)
        table[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c)
        table[c] = true;
    for (char c : std::string_view("!#$%&'*+-.^_`|~"))
        table[static_cast<unsigned char>(c)] = true;
    return table;
}
constexpr auto kTokenChar = makeTokenTable();

bool isToken(QByteArrayView v)
{
    if (v.isEmpty())
        return false;
    for (char c : v) {
        if (!kTokenChar[static_cast<unsigned char>(c)])
            return false;
    }
    return true;
}

// Field values: visible ASCII, obs-text, SP and HTAB; every other control character is refused.
bool isFieldValue(QByteArrayView v)
{
    for (char ch : v) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

bool isTargetChar(unsigned char c)
{
    return c > 0x20 && c < 0x7f;
}

QByteArrayView trimOws(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

bool equalsIgnoreCase(QByteArrayView a, QByteArrayView b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}

// Visits each comma-separated element of a header value, trimmed; stops early on false.
template <typename F> void forEachListElement(QByteArrayView value, F &&f)
{
    while (true) {
        qsizetype comma = value.indexOf(',');
        QByteArrayView element = trimOws(comma < 0 ? value : value.first(comma));
        if (!element.isEmpty() && !f(element))
            return;
        if (comma < 0)
            return;
        value = value.sliced(comma + 1);
    }
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

constexpr qsizetype kMaxChunkLine = 4096;

} // namespace

void RequestParser::reset()
{
    m_state = State::Head;
    m_request = HttpRequest();
    m_error = ParseError();
    m_scanned = 0;
    m_skipped = 0;
    m_pos = 0;
    m_contentLength = 0;
    m_chunkLeft = 0;
    m_consumed = 0;
}

HttpRequest RequestParser::takeRequest()
{
    return std::move(m_request);
}

RequestParser::Result RequestParser::fail(int status, const char *detail)
{
    m_error.status = status;
    m_error.detail = QByteArray(detail);
    m_state = State::Done;
    return Result::Error;
}

RequestParser::Result RequestParser::parse(const char *data, qsizetype size, const ParserLimits &limits)
{
    if (m_state == State::Head) {
        Result r = parseHead(data, size, limits);
        if (r != Result::Complete)
            return r;
    }
    if (m_state == State::Body) {
        if (size - m_pos < m_contentLength)
            return Result::NeedMore;
        m_request.body = QByteArray(data + m_pos, m_contentLength);
        m_consumed = m_pos + m_contentLength;
        m_state = State::Done;
        return Result::Complete;
    }
    if (m_state == State::Done) {
        m_consumed = m_pos;
        return Result::Complete;
    }
    return parseChunked(data, size, limits);
}

RequestParser::Result RequestParser::parseHead(const char *data, qsizetype size, const ParserLimits &limits)
{
    // Empty lines before a request line are allowed and skipped.
    while (m_skipped + 1 < size && data[m_skipped] == '\r' && data[m_skipped + 1] == '\n')
        m_skipped += 2;
    if (m_skipped < size && data[m_skipped] == '\r' && m_skipped + 1 == size)
        return Result::NeedMore;
    const char *start = data + m_skipped;
    const qsizetype available = size - m_skipped;

    // Resume the search for the blank line 3 bytes before where the last one stopped.
    const qsizetype from = std::max<qsizetype>(0, m_scanned - 3);
    const void *end = memmem(start + from, size_t(available - from), "\r\n\r\n", 4);
    if (!end) {
        m_scanned = available;
        if (!memchr(start, '\n', size_t(std::min(available, limits.maxRequestLineBytes + 2))) &&
            available > limits.maxRequestLineBytes)
            return fail(414, "request line too long");
        if (available > limits.maxHeaderBytes)
            return fail(431, "request header section too large");
        return Result::NeedMore;
    }
    const qsizetype headLength = static_cast<const char *>(end) - start + 4;
    if (headLength - 2 > limits.maxHeaderBytes)
        return fail(431, "request header section too large");
    m_request.head = QByteArray(start, headLength - 2); // keep the CRLF that ends the last line
    m_pos = m_skipped + headLength;
    return parseHeadFields(limits);
}

RequestParser::Result RequestParser::parseHeadFields(const ParserLimits &limits)
{
    HttpRequest &req = m_request;
    QByteArrayView head(req.head);

    // Request line: method SP request-target SP HTTP-version CRLF
    const qsizetype lineEnd = head.indexOf("\r\n");
    QByteArrayView line = head.first(lineEnd);
    if (line.size() > limits.maxRequestLineBytes)
        return fail(414, "request line too long");
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0)
        return fail(400, "malformed request line");
    req.methodToken = line.first(sp1);
    if (!isToken(req.methodToken))
        return fail(400, "malformed request method");
    req.method = methodFromToken(req.methodToken);
    req.target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    if (req.target.isEmpty())
        return fail(400, "empty request target");
    for (char c : req.target) {
        if (!isTargetChar(static_cast<unsigned char>(c)))
            return fail(400, "invalid character in request target");
    }
    QByteArrayView version = line.sliced(sp2 + 1);
    if (version.size() != 8 || !version.startsWith("HTTP/") || version[6] != '.' || version[5] < '0' ||
        version[5] > '9' || version[7] < '0' || version[7] > '9')
        return fail(400, "malformed HTTP version");
    if (version[5] != '1')
        return fail(505, "HTTP version not supported; this server speaks HTTP/1.0 and HTTP/1.1");
    req.versionMinor = version[7] - '0';
    if (req.versionMinor > 1)
        return fail(505, "HTTP version not supported; this server speaks HTTP/1.0 and HTTP/1.1");

    // Origin form, or absolute form (from proxies): keep only path and query.
    QByteArrayView pathAndQuery = req.target;
    if (pathAndQuery.front() != '/') {
        if (pathAndQuery == "*" && req.method == Method::Options) {
            // asterisk form: no path
        } else if (pathAndQuery.startsWith("http://") || pathAndQuery.startsWith("https://")) {
            qsizetype authorityStart = pathAndQuery.indexOf("//") + 2;
            qsizetype slash = pathAndQuery.indexOf('/', authorityStart);
            pathAndQuery = slash < 0 ? QByteArrayView("/") : pathAndQuery.sliced(slash);
        } else {
            return fail(400, "malformed request target");
        }
    }
    const qsizetype question = pathAndQuery.indexOf('?');
    req.path = question < 0 ? pathAndQuery : pathAndQuery.first(question);
    req.query = question < 0 ? QByteArrayView() : pathAndQuery.sliced(question + 1);
    if (qsizetype hash = req.query.indexOf('#'); hash >= 0)
        req.query = req.query.first(hash);

    // Header fields.
    req.headers.reserve(16);
    bool sawContentLength = false, sawTransferEncoding = false, chunked = false;
    int hostCount = 0;
    bool connectionClose = false, connectionKeepAlive = false;
    qsizetype pos = lineEnd + 2;
    while (pos < head.size()) {
        qsizetype eol = head.indexOf("\r\n", pos);
        QByteArrayView field = head.sliced(pos, eol - pos);
        pos = eol + 2;
        if (field.front() == ' ' || field.front() == '\t')
            return fail(400, "obsolete line folding in header field");
        qsizetype colon = field.indexOf(':');
        if (colon < 0)
            return fail(400, "header line without a colon");
        QByteArrayView name = field.first(colon);
        if (!isToken(name))
            return fail(400, "malformed header field name");
        QByteArrayView value = trimOws(field.sliced(colon + 1));
        if (!isFieldValue(value))
            return fail(400, "control character in header field value");
        req.headers.push_back({name, value});

        if (equalsIgnoreCase(name, "content-length")) {
            bool digitsOnly = !value.isEmpty() && value.size() <= 18;
            for (char c : value)
                digitsOnly = digitsOnly && c >= '0' && c <= '9';
            if (!digitsOnly)
                return fail(400, "invalid Content-Length");
            const qsizetype length = value.toLongLong();
            if (sawContentLength && length != m_contentLength)
                return fail(400, "conflicting Content-Length headers");
            sawContentLength = true;
            m_contentLength = length;
        } else if (equalsIgnoreCase(name, "transfer-encoding")) {
            bool onlyChunked = true;
            int codings = 0;
            forEachListElement(value, [&](QByteArrayView coding) {
                ++codings;
                onlyChunked = onlyChunked && equalsIgnoreCase(coding, "chunked");
                return true;
            });
            if (sawTransferEncoding || codings != 1)
                return fail(codings == 0 ? 400 : 501,
                            "unsupported Transfer-Encoding; only chunked is implemented");
            if (!onlyChunked)
                return fail(501, "unsupported Transfer-Encoding; only chunked is implemented");
            sawTransferEncoding = chunked = true;
        } else if (equalsIgnoreCase(name, "host")) {
            ++hostCount;
        } else if (equalsIgnoreCase(name, "connection")) {
            forEachListElement(value, [&](QByteArrayView option) {
                connectionClose |= equalsIgnoreCase(option, "close");
                connectionKeepAlive |= equalsIgnoreCase(option, "keep-alive");
                return true;
            });
        } else if (equalsIgnoreCase(name, "expect")) {
            if (!equalsIgnoreCase(value, "100-continue"))
                return fail(417, "unsupported expectation; only 100-continue is known");
            req.expectContinue = true;
        }
    }
    if (sawContentLength && sawTransferEncoding)
        return fail(400, "both Content-Length and Transfer-Encoding present");
    if (sawTransferEncoding && req.versionMinor == 0)
        return fail(400, "Transfer-Encoding in an HTTP/1.0 request");
    if (req.versionMinor == 1 && hostCount != 1)
        return fail(400, hostCount == 0 ? "missing Host header" : "more than one Host header");
    if (hostCount > 1)
        return fail(400, "more than one Host header");
    if (m_contentLength > limits.maxBodyBytes)
        return fail(413, "request body too large");
    req.keepAlive = req.versionMinor == 1 ? !connectionClose : (connectionKeepAlive && !connectionClose);

    if (chunked) {
        m_state = State::ChunkSize;
    } else if (m_contentLength > 0) {
        m_state = State::Body;
    } else {
        m_state = State::Done;
    }
    return Result::Complete;
}

RequestParser::Result RequestParser::parseChunked(const char *data, qsizetype size,
                                                  const ParserLimits &limits)
{
    while (true) {
        switch (m_state) {
        case State::ChunkSize: {
            const qsizetype avail = size - m_pos;
            const void *lf = memchr(data + m_pos, '\n', size_t(std::min(avail, kMaxChunkLine)));
            if (!lf) {
                if (avail >= kMaxChunkLine)
                    return fail(400, "chunk size line too long");
                return Result::NeedMore;
            }
            const qsizetype eol = static_cast<const char *>(lf) - data;
            if (eol == m_pos || data[eol - 1] != '\r')
                return fail(400, "malformed chunk size line");
            QByteArrayView line(data + m_pos, eol - 1 - m_pos);
            qsizetype semicolon = line.indexOf(';');
            QByteArrayView digits = semicolon < 0 ? line : line.first(semicolon);
            if (semicolon >= 0 && !isFieldValue(line.sliced(semicolon)))
                return fail(400, "control character in chunk extension");
            // A chunk size is 1*HEXDIG, nothing else: no sign, no spaces, no 0x.
            if (digits.isEmpty() || digits.size() > 15)
                return fail(400, "malformed chunk size");
            qsizetype chunk = 0;
            for (char c : digits) {
                int d = hexDigit(c);
                if (d < 0)
                    return fail(400, "malformed chunk size");
                chunk = chunk * 16 + d;
            }
            if (m_request.body.size() + chunk > limits.maxBodyBytes)
                return fail(413, "request body too large");
            m_pos = eol + 1;
            m_chunkLeft = chunk;
            m_state = chunk == 0 ? State::Trailers : State::ChunkData;
            break;
        }
        case State::ChunkData: {
            const qsizetype take = std::min(m_chunkLeft, size - m_pos);
            if (take == 0)
                return Result::NeedMore;
            m_request.body.append(data + m_pos, take);
            m_pos += take;
            m_chunkLeft -= take;
            if (m_chunkLeft == 0)
                m_state = State::ChunkDataEnd;
            break;
        }
        case State::ChunkDataEnd:
            if (size - m_pos < 2)
                return Result::NeedMore;
            if (data[m_pos] != '\r' || data[m_pos + 1] != '\n')
                return fail(400, "chunk data not followed by CRLF");
            m_pos += 2;
            m_state = State::ChunkSize;
            break;
        case State::Trailers: {
            // Trailer fields are read and dropped; the section ends with an empty line.
            const qsizetype avail = size - m_pos;
            const void *lf = memchr(data + m_pos, '\n', size_t(std::min(avail, limits.maxHeaderBytes)));
            if (!lf) {
                if (avail >= limits.maxHeaderBytes)
                    return fail(431, "trailer section too large");
                return Result::NeedMore;
            }
            const qsizetype eol = static_cast<const char *>(lf) - data;
            if (eol == m_pos || data[eol - 1] != '\r')
                return fail(400, "malformed trailer line");
            QByteArrayView line(data + m_pos, eol - 1 - m_pos);
            m_pos = eol + 1;
            if (line.isEmpty()) {
                m_consumed = m_pos;
                m_state = State::Done;
                return Result::Complete;
            }
            if (line.indexOf(':') <= 0 || !isFieldValue(line))
                return fail(400, "malformed trailer field");
            break;
        }
        default:
            return fail(400, "parser in an unexpected state");
        }
    }
}

} // namespace perflab::http

// ResponseParser: the load client's incremental HTTP/1.1 response parser.
//
// It parses in place, in the connection's read buffer: nothing is copied and no body is
// stored (the body is only counted). The caller feeds it the unconsumed bytes; a header
// section (or a chunk-size line) that is not complete yet consumes nothing, so the caller
// keeps those bytes and feeds them again with more behind them (the parser remembers how far
// it already scanned, so a head split over many reads is not rescanned from its start).
//
//     parser.begin(isHeadRequest);
//     consumed = 0; result = parser.parse(data, len, consumed);  // drop `consumed` bytes
//     ... on EOF: parser.finishOnClose() (Complete for a read-to-close body, else Error)
//
// Framing (RFC 9112 §6.3): 1xx (but 101) interim responses are skipped; HEAD, 204 and 304
// have no body; Transfer-Encoding ending in chunked wins over Content-Length; another
// Transfer-Encoding, or HTTP/1.0 without a length, reads until the server closes.
// Server-Timing (W3C) fields are split into (name, dur) parts, kept in fixed storage.
#pragma once

#include <QByteArrayView>

#include <array>
#include <cstdint>

namespace perflab::load {

class ResponseParser
{
public:
    enum class Result { NeedMore, Complete, Error };

    static constexpr int kMaxServerTimingParts = 16;
    static constexpr int kMaxPartNameLength = 48;
    static constexpr std::int64_t kMaxHeadBytes = 64 * 1024;
    static constexpr std::int64_t kMaxChunkLineBytes = 4 * 1024;

    struct TimingPart
    {
        std::array<char, kMaxPartNameLength> name{};
        int nameLength = 0;
        double durMs = 0;
        QByteArrayView nameView() const { return QByteArrayView(name.data(), nameLength); }
    };

    // Prepares for the response to the next request.
    void begin(bool headRequest);
    // Parses from `data`; `consumed` gets how many bytes are done with (may be fewer than
    // `length` on Complete: the rest belongs to whatever follows).
    Result parse(const char *data, std::int64_t length, std::int64_t &consumed);
    // The server closed the connection: completes a read-to-close body.
    Result finishOnClose();

    // ---- the response (valid from the end of the head until the next begin()) ----
    int status() const { return m_status; }
    bool keepAlive() const { return m_keepAlive; }
    bool headComplete() const { return m_state > State::Head; }
    std::int64_t bytesReceived() const { return m_bytes; } // head (interim ones too) + body
    int timingPartCount() const { return m_partCount; }
    const TimingPart &timingPart(int i) const { return m_parts[std::size_t(i)]; }
    const char *error() const { return m_error; } // what was wrong, for diagnostics

private:
    enum class State { Head, Fixed, ChunkSize, ChunkData, ChunkDataEnd, Trailers, UntilClose, Done, Failed };

    Result parseHead(const char *data, std::int64_t length, std::int64_t &consumed);
    bool parseStatusLine(QByteArrayView line);
    bool parseHeaderLine(QByteArrayView line);
    void parseServerTiming(QByteArrayView value);
    void addTimingPart(QByteArrayView metric, double durMs);
    bool startBody();
    Result fail(const char *why);

    State m_state = State::Head;
    bool m_headRequest = false;
    std::int64_t m_scanned = 0; // bytes of the pending head/line already searched for its end
    int m_status = 0;
    bool m_http10 = false;
    bool m_keepAlive = true;
    bool m_chunked = false;
    bool m_otherEncoding = false;
    std::int64_t m_contentLength = -1;
    std::int64_t m_remaining = 0;
    std::int64_t m_bytes = 0;
    int m_partCount = 0;
    std::array<TimingPart, kMaxServerTimingParts> m_parts{};
    const char *m_error = "";
};

} // namespace perflab::load

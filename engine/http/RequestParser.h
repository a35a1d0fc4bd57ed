// Incremental, strict HTTP/1.x request parser (RFC 9112).
//
// The connection hands it the unconsumed bytes of its read buffer, starting at the current
// request, every time more arrive; the parser keeps offsets (never pointers) between calls, so
// the buffer may grow or move. The head is scanned with memchr/memmem, copied once into the
// request and split into string views; no per-header copies. Framing rules follow the RFC's
// advice for servers behind proxies: ambiguous framing, malformed chunk sizes, control
// characters and obsolete line folding are errors, never guessed at.
#pragma once

#include "engine/http/HttpRequest.h"

#include <QByteArray>

namespace perflab::http {

struct ParserLimits
{
    qsizetype maxHeaderBytes = 16 * 1024;     // request line + fields; 431 beyond
    qsizetype maxRequestLineBytes = 8 * 1024; // 414 beyond
    qsizetype maxBodyBytes = 1024 * 1024;     // 413 beyond
};

struct ParseError
{
    int status = 400;
    QByteArray detail;
};

class RequestParser
{
public:
    enum class Result { NeedMore, Complete, Error };

    // `data` holds the bytes from the start of the current request; size only grows between
    // calls until Complete or Error.
    Result parse(const char *data, qsizetype size, const ParserLimits &limits);

    // After Complete: the request and how many bytes of `data` it used.
    HttpRequest takeRequest();
    qsizetype consumed() const { return m_consumed; }
    // After Error.
    const ParseError &error() const { return m_error; }
    // True once the head is parsed and the body is still arriving (for "Expect: 100-continue").
    bool waitingForBody() const
    {
        return m_state == State::Body || m_state == State::ChunkSize || m_state == State::ChunkData ||
               m_state == State::ChunkDataEnd || m_state == State::Trailers;
    }
    // True when some bytes of a request have been received (for the header timeout).
    bool inProgress() const { return m_state != State::Head || m_scanned > 0; }
    const HttpRequest &request() const { return m_request; }

    void reset();

private:
    enum class State { Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Done };

    Result fail(int status, const char *detail);
    Result parseHead(const char *data, qsizetype size, const ParserLimits &limits);
    Result parseHeadFields(const ParserLimits &limits);
    Result parseChunked(const char *data, qsizetype size, const ParserLimits &limits);

    State m_state = State::Head;
    HttpRequest m_request;
    ParseError m_error;
    qsizetype m_scanned = 0; // bytes of the head already searched for the blank line
    qsizetype m_skipped = 0; // empty lines before the request line (RFC 9112 §2.2)
    qsizetype m_pos = 0;     // offset of the next unparsed byte (body phase)
    qsizetype m_contentLength = 0;
    qsizetype m_chunkLeft = 0;
    qsizetype m_consumed = 0;
};

} // namespace perflab::http

// A deliberately dumb HTTP/1.1 client for tests: writes exactly the bytes it is given on a
// real loopback socket and parses what comes back (Content-Length, chunked, or until close),
// so tests can send malformed, pipelined or partial requests that a real client never would.
#pragma once

#include <QByteArray>
#include <QMap>
#include <QTcpSocket>

#include <optional>
#include <vector>

namespace perflab::test {

struct RawResponse
{
    int status = 0;
    QByteArray reason;
    QMap<QByteArray, QByteArray> headers; // lower-case names; repeated fields joined by ", "
    QByteArray body;                      // de-chunked
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

class RawHttpClient
{
public:
    explicit RawHttpClient(quint16 port, const QString &host = QStringLiteral("127.0.0.1"));
    bool isConnected() const;
    void send(const QByteArray &bytes);
    // Reads one response; nullopt on timeout or close before a complete response.
    // `headRequest`: the response to a HEAD has no body whatever its headers say.
    std::optional<RawResponse> readResponse(int timeoutMs = 5000, bool headRequest = false);
    std::vector<RawResponse> readResponses(int count, int timeoutMs = 5000);
    // True when the server closed the connection within the timeout (all data read first).
    bool waitForClose(int timeoutMs = 5000);
    QByteArray unreadBytes() const { return m_buffer; }
    QTcpSocket &socket() { return m_socket; }

private:
    bool fill(int timeoutMs);
    std::optional<RawResponse> tryParse(bool headRequest, bool closed);

    QTcpSocket m_socket;
    QByteArray m_buffer;
};

// "GET /path HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n"
QByteArray simpleGet(const QByteArray &path, const QByteArray &extraHeaders = {});

} // namespace perflab::test

// See RawHttpClient.h.
#include "RawHttpClient.h"

#include <QElapsedTimer>

namespace perflab::test {

RawHttpClient::RawHttpClient(quint16 port, const QString &host)
{
    m_socket.connectToHost(host, port);
    m_socket.waitForConnected(5000);
}

bool RawHttpClient::isConnected() const
{
    return m_socket.state() == QAbstractSocket::ConnectedState;
}

void RawHttpClient::send(const QByteArray &bytes)
{
    m_socket.write(bytes);
    m_socket.waitForBytesWritten(5000);
}

bool RawHttpClient::fill(int timeoutMs)
{
    if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(timeoutMs))
        return false;
    m_buffer += m_socket.readAll();
    return true;
}

std::optional<RawResponse> RawHttpClient::tryParse(bool headRequest, bool closed)
{
    const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return std::nullopt;
    RawResponse response;
    const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
    const QByteArray statusLine = lines.first().trimmed();
    const QList<QByteArray> parts = statusLine.split(' ');
    if (parts.size() < 2)
        return std::nullopt;
    response.status = parts[1].toInt();
    response.reason = statusLine.mid(parts[0].size() + parts[1].size() + 2);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        response.headers[name] =
            response.headers.contains(name) ? response.headers[name] + ", " + value : value;
    }
    qsizetype pos = headEnd + 4;
    const bool noBody =
        headRequest || response.status < 200 || response.status == 204 || response.status == 304;
    if (noBody) {
        m_buffer.remove(0, pos);
        return response;
    }
    if (response.header("transfer-encoding") == "chunked") {
        QByteArray body;
        while (true) {
            const qsizetype lineEnd = m_buffer.indexOf("\r\n", pos);
            if (lineEnd < 0)
                return std::nullopt;
            bool ok = false;
            const qsizetype size = m_buffer.mid(pos, lineEnd - pos).split(';').first().toLongLong(&ok, 16);
            if (!ok)
                return std::nullopt;
            if (size == 0) {
                const qsizetype end = m_buffer.indexOf("\r\n\r\n", lineEnd);
                if (end < 0 && m_buffer.mid(lineEnd, 4) != "\r\n\r\n")
                    return std::nullopt;
                m_buffer.remove(0, (end < 0 ? lineEnd : end) + 4);
                response.body = body;
                return response;
            }
            if (m_buffer.size() < lineEnd + 2 + size + 2)
                return std::nullopt;
            body += m_buffer.mid(lineEnd + 2, size);
            pos = lineEnd + 2 + size + 2;
        }
    }
    if (response.headers.contains("content-length")) {
        const qsizetype length = response.header("content-length").toLongLong();
        if (m_buffer.size() - pos < length)
            return std::nullopt;
        response.body = m_buffer.mid(pos, length);
        m_buffer.remove(0, pos + length);
        return response;
    }
    // Delimited by close.
    if (!closed)
        return std::nullopt;
    response.body = m_buffer.mid(pos);
    m_buffer.clear();
    return response;
}

std::optional<RawResponse> RawHttpClient::readResponse(int timeoutMs, bool headRequest)
{
    QElapsedTimer timer;
    timer.start();
    while (true) {
        const bool closed =
            m_socket.state() != QAbstractSocket::ConnectedState && m_socket.bytesAvailable() == 0;
        if (auto response = tryParse(headRequest, closed))
            return response;
        if (closed)
            return std::nullopt;
        const int left = timeoutMs - int(timer.elapsed());
        if (left <= 0)
            return std::nullopt;
        if (!fill(left) && m_socket.state() == QAbstractSocket::ConnectedState &&
            timer.elapsed() >= timeoutMs)
            return std::nullopt;
    }
}

std::vector<RawResponse> RawHttpClient::readResponses(int count, int timeoutMs)
{
    std::vector<RawResponse> responses;
    for (int i = 0; i < count; ++i) {
        auto response = readResponse(timeoutMs);
        if (!response)
            break;
        responses.push_back(*response);
    }
    return responses;
}

bool RawHttpClient::waitForClose(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (m_socket.state() == QAbstractSocket::ConnectedState) {
        const int left = timeoutMs - int(timer.elapsed());
        if (left <= 0)
            return false;
        if (m_socket.waitForReadyRead(left))
            m_buffer += m_socket.readAll();
    }
    m_buffer += m_socket.readAll();
    return true;
}

QByteArray simpleGet(const QByteArray &path, const QByteArray &extraHeaders)
{
    return "GET " + path + " HTTP/1.1\r\nHost: test\r\n" + extraHeaders + "\r\n";
}

} // namespace perflab::test

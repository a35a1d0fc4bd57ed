// See RoutesFixture.h.
#include "RoutesFixture.h"

#include "engine/http/Router.h"
#include "engine/lab/BaselineRoutes.h"
#include "engine/lab/ConcurrencyRoutes.h"
#include "engine/lab/WorkloadRoutes.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTest>

namespace perflab::test {

RoutesServer::RoutesServer(int threads)
{
    setSimulation(kTestIoScale);
    lab::addBaselineRoutes(*router);
    lab::addConcurrencyRoutes(*router, settings);
    lab::addStreamingRoutes(*router, settings, m_stats);
    lab::addWorkloadRoutes(*router, settings);
    if (auto error = start(loopbackConfig(threads)))
        qWarning("start failed: %s", qPrintable(*error));
}

void RoutesServer::setSimulation(double ioScale, double failureRate)
{
    patchOrDie(QJsonObject{
        {QStringLiteral("simulation"),
         QJsonObject{{QStringLiteral("io_scale"), ioScale}, {QStringLiteral("failure_rate"), failureRate}}}});
}

void RoutesSuite::initTestCase()
{
    m_server = std::make_unique<RoutesServer>(2);
    QVERIFY(m_server->isRunning());
}

void RoutesSuite::cleanupTestCase()
{
    m_server.reset();
}

void RoutesSuite::init()
{
    m_server->setSimulation(kTestIoScale);
}

TimedResponse timedRequest(quint16 port, const QByteArray &request, int timeoutMs)
{
    RawHttpClient client(port);
    QElapsedTimer timer;
    timer.start();
    client.send(request);
    TimedResponse timed;
    timed.response = client.readResponse(timeoutMs);
    timed.elapsedMs = timer.elapsed();
    return timed;
}

TimedResponse fastestOf(int attempts, quint16 port, const QByteArray &request)
{
    TimedResponse best;
    for (int i = 0; i < attempts; ++i) {
        TimedResponse timed = timedRequest(port, request);
        if (!timed.response)
            return timed;
        if (!best.response || timed.elapsedMs < best.elapsedMs)
            best = std::move(timed);
    }
    return best;
}

QByteArray postJson(const QByteArray &path, const QByteArray &body)
{
    return httpRequest("POST", path, body);
}

QStringList validationErrors(const QByteArray &body)
{
    QStringList errors;
    const QJsonArray detail =
        QJsonDocument::fromJson(body).object().value(QStringLiteral("detail")).toArray();
    for (const QJsonValue &value : detail) {
        const QJsonObject error = value.toObject();
        QStringList loc;
        for (const QJsonValue &part : error.value(QStringLiteral("loc")).toArray())
            loc.append(part.isString() ? part.toString() : QString::number(part.toInteger()));
        errors.append(error.value(QStringLiteral("type")).toString() + QLatin1Char('@') +
                      loc.join(QLatin1Char('.')));
    }
    return errors;
}

bool ChunkedReader::fill(int timeoutMs)
{
    if (m_socket.bytesAvailable() == 0 && !m_socket.waitForReadyRead(timeoutMs))
        return false;
    m_buffer += m_socket.readAll();
    return true;
}

bool ChunkedReader::readHead(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (!m_headDone) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end >= 0) {
            const QList<QByteArray> lines = m_buffer.left(end).split('\n');
            const QList<QByteArray> statusParts = lines.first().trimmed().split(' ');
            m_status = statusParts.value(1).toInt();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    m_headers.insert(lines[i].left(colon).trimmed().toLower(),
                                     lines[i].mid(colon + 1).trimmed());
            }
            m_buffer.remove(0, end + 4);
            m_headDone = true;
            break;
        }
        const int left = timeoutMs - int(timer.elapsed());
        if (left <= 0 || !fill(left))
            return false;
    }
    return true;
}

void ChunkedReader::decode()
{
    while (!m_ended && !m_error) {
        const qsizetype lineEnd = m_buffer.indexOf("\r\n");
        if (lineEnd < 0)
            return;
        bool ok = false;
        const qsizetype size = m_buffer.left(lineEnd).toLongLong(&ok, 16);
        if (!ok || size < 0) {
            m_error = true;
            return;
        }
        if (size == 0) {
            if (m_buffer.size() < lineEnd + 4)
                return;
            m_error = m_buffer.mid(lineEnd, 4) != "\r\n\r\n"; // no trailers expected
            m_ended = true;
            m_buffer.remove(0, lineEnd + 4);
            return;
        }
        if (m_buffer.size() < lineEnd + 2 + size + 2)
            return;
        if (m_buffer.mid(lineEnd + 2 + size, 2) != "\r\n") {
            m_error = true;
            return;
        }
        m_chunks.push_back(m_buffer.mid(lineEnd + 2, size));
        m_buffer.remove(0, lineEnd + 2 + size + 2);
    }
}

bool ChunkedReader::readUntil(const std::function<bool(const ChunkedReader &)> &done, int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    if (!readHead(timeoutMs))
        return false;
    while (true) {
        decode();
        if (m_error)
            return false;
        if (m_ended || done(*this))
            return true;
        const int left = timeoutMs - int(timer.elapsed());
        if (left <= 0 || !fill(left))
            return false;
    }
}

QByteArray ChunkedReader::body() const
{
    QByteArray body;
    for (const QByteArray &chunk : m_chunks)
        body += chunk;
    return body;
}

} // namespace perflab::test

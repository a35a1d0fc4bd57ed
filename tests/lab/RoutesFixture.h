// Shared fixture of the route suites: the loopback lab (LoopbackLab.h) with the guide's routes
// (baseline, concurrency, streaming, workload) and live settings at io_scale 0.05, plus clients
// that time a request or follow a streamed body chunk by chunk.
#pragma once

#include "LoopbackLab.h"

#include "engine/lab/StreamingRoutes.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QObject>
#include <QTcpSocket>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace perflab::test {

inline constexpr double kTestIoScale = 0.05;

// The loopback lab with the guide's baseline, concurrency, streaming and workload routes, started.
class RoutesServer : public LoopbackLab
{
public:
    explicit RoutesServer(int threads = 2);

    const lab::StreamingStats &streamingStats() const { return *m_stats; }

    // Through SettingsStore::patch, as the admin route would.
    void setSimulation(double ioScale, double failureRate = 0.0);

private:
    std::shared_ptr<lab::StreamingStats> m_stats = std::make_shared<lab::StreamingStats>();
};

// The base of each route suite's QTest class: one started RoutesServer for the suite, its
// simulation set back to io_scale 0.05 before each test function.
class RoutesSuite : public QObject
{
    Q_OBJECT

protected:
    std::unique_ptr<RoutesServer> m_server;

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
};

struct TimedResponse
{
    std::optional<RawResponse> response;
    qint64 elapsedMs = 0; // from sending the request to the whole response read
};

// One request on a new connection.
TimedResponse timedRequest(quint16 port, const QByteArray &request, int timeoutMs = 10000);
// The fastest of `attempts` (timing assertions then ignore a scheduler hiccup); null on failure.
TimedResponse fastestOf(int attempts, quint16 port, const QByteArray &request);

QByteArray postJson(const QByteArray &path, const QByteArray &body);

// {"detail":[…]} of a 422: the `type` and `loc` of each error, e.g. "float_parsing@query.work".
QStringList validationErrors(const QByteArray &body);

// Follows a chunked response as it arrives, keeping every chunk as sent.
class ChunkedReader
{
public:
    explicit ChunkedReader(QTcpSocket &socket) : m_socket(socket) {}

    // Reads until the head is complete; false on timeout.
    bool readHead(int timeoutMs = 5000);
    // Reads and decodes until `done(*this)` holds or the terminal chunk arrived; false on
    // timeout or a framing error.
    bool readUntil(const std::function<bool(const ChunkedReader &)> &done, int timeoutMs);
    bool readToEnd(int timeoutMs)
    {
        return readUntil([](const ChunkedReader &) { return false; }, timeoutMs) && m_ended;
    }

    int status() const { return m_status; }
    QByteArray header(const QByteArray &name) const { return m_headers.value(name.toLower()); }
    const std::vector<QByteArray> &chunks() const { return m_chunks; }
    QByteArray body() const;
    bool ended() const { return m_ended; } // the zero-size chunk was received
    bool framingError() const { return m_error; }

private:
    bool fill(int timeoutMs);
    void decode();

    QTcpSocket &m_socket;
    QByteArray m_buffer;
    int m_status = 0;
    QMap<QByteArray, QByteArray> m_headers;
    bool m_headDone = false;
    std::vector<QByteArray> m_chunks;
    bool m_ended = false;
    bool m_error = false;
};

} // namespace perflab::test

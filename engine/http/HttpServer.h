// The lab server's facade: binds, starts one HttpWorker per thread (each with an epoll event
// loop), drains gracefully, and stops. Routes are fixed before start(); limits can change live.
#pragma once

#include "engine/http/Middleware.h"
#include "engine/http/RequestObserver.h"
#include "engine/http/Router.h"
#include "engine/http/ServerLimits.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

class QThread;
class QTimer;

namespace perflab::http {

class HttpWorker;

struct ServerConfig
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 8000; // 0: any free port
    int threads = 0;     // 0: QThread::idealThreadCount()
    ServerLimits limits;
    // After this long a drain stops waiting for slow requests and closes what is left.
    std::chrono::milliseconds drainTimeout{30'000};
    // Qt's stock poll() dispatcher instead of epoll: for measuring the difference only.
    bool useQtDispatcher = false;
};

struct StartError
{
    enum class Kind { AddressInUse, InvalidAddress, Other } kind = Kind::Other;
    QString message;
};

class HttpServer final : public QObject
{
    Q_OBJECT
public:
    HttpServer(std::shared_ptr<const Router> router, ServerConfig config,
               std::shared_ptr<RequestObserver> observer = nullptr,
               std::shared_ptr<const MiddlewareChain> middleware = nullptr, QObject *parent = nullptr);
    ~HttpServer() override;

    // Binds and starts the workers. On failure nothing is left running.
    std::optional<StartError> start();
    bool isRunning() const { return !m_threads.empty(); }
    quint16 port() const { return m_port; }
    QString url() const;
    int threadCount() const { return int(m_threads.size()); }
    const Router &router() const { return *m_router; }
    int openConnections() const { return m_openConnections.load(std::memory_order_relaxed); }

    // Stops accepting, lets in-flight requests finish, closes idle connections; emits drained()
    // when every connection is closed (or when drainTimeout forced the rest closed).
    void drain();
    // Closes everything now and joins the worker threads.
    void stop();
    void setLimits(const ServerLimits &limits);

Q_SIGNALS:
    void drained();

private:
    void onWorkerDrained();

    std::shared_ptr<const Router> m_router;
    ServerConfig m_config;
    std::shared_ptr<RequestObserver> m_observer;
    std::shared_ptr<const MiddlewareChain> m_middleware;
    std::vector<QThread *> m_threads;
    std::vector<HttpWorker *> m_workers;
    std::atomic<int> m_openConnections{0};
    quint16 m_port = 0;
    int m_workersDrained = 0;
    bool m_draining = false;
    QTimer *m_drainTimer = nullptr;
};

} // namespace perflab::http

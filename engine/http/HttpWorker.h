// One worker of the thread-per-core server: lives on its own thread with its own event loop,
// accepts from its own SO_REUSEPORT listener, owns its connections, and sweeps their timeouts.
// Nothing here is shared with other workers except the open-connection count.
#pragma once

#include "engine/http/RequestObserver.h"
#include "engine/http/ServerLimits.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <unordered_set>

class QSocketNotifier;
class QTimer;

namespace perflab::http {

class HttpConnection;
class MiddlewareChain;
class Router;

class HttpWorker final : public QObject
{
    Q_OBJECT
public:
    HttpWorker(int index, int listenFd, const Router &router, const MiddlewareChain &middleware,
               ServerLimits limits, RequestObserver *observer, std::atomic<int> *openConnections);
    ~HttpWorker() override;

    const Router &router() const { return m_router; }
    const MiddlewareChain &middleware() const { return m_middleware; }
    const ServerLimits &limits() const { return m_limits; }
    WorkerRecorder &recorder() { return *m_recorder; }
    int index() const { return m_index; }

    void connectionClosed(HttpConnection *connection);

    // Called on the worker's thread (queued from HttpServer).
    void start();
    void beginDrain();
    void abortAll();
    void setLimits(const ServerLimits &limits);

Q_SIGNALS:
    void drained(int workerIndex);

private:
    void onAcceptable();
    void sweep();
    void stopListening();
    void maybeDrained();

    int m_index;
    int m_listenFd;
    const Router &m_router;
    const MiddlewareChain &m_middleware;
    ServerLimits m_limits;
    RequestObserver *m_observer;
    std::atomic<int> *m_openConnections;
    std::unique_ptr<WorkerRecorder> m_recorder;
    QSocketNotifier *m_acceptNotifier = nullptr;
    QTimer *m_sweepTimer = nullptr;
    QTimer *m_acceptBackoff = nullptr;
    std::unordered_set<HttpConnection *> m_connections;
    bool m_draining = false;
    bool m_drainedSignalled = false;
};

} // namespace perflab::http

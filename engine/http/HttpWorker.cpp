// See HttpWorker.h.
#include "engine/http/HttpWorker.h"

#include "engine/http/HttpConnection.h"

#include <QSocketNotifier>
#include <QTimer>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace perflab::http {

namespace {
class NullRecorder final : public WorkerRecorder
{
public:
    void requestStarted() override {}
    void requestFinished(const FinishedRequest &) override {}
    void connectionOpened() override {}
    void connectionClosed() override {}
};

constexpr int kMaxAcceptsPerWake = 64;
constexpr QByteArrayView kOverloaded =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 37\r\n"
    "Connection: close\r\n\r\n{\"detail\":\"too many open connections\"}";
} // namespace

HttpWorker::HttpWorker(int index, int listenFd, const Router &router, const MiddlewareChain &middleware,
                       ServerLimits limits, RequestObserver *observer, std::atomic<int> *openConnections)
    : m_index(index), m_listenFd(listenFd), m_router(router), m_middleware(middleware), m_limits(limits),
      m_observer(observer), m_openConnections(openConnections)
{
}

HttpWorker::~HttpWorker()
{
    // Connections are children: their destructors close their sockets.
    if (m_listenFd >= 0)
        ::close(m_listenFd);
}

void HttpWorker::start()
{
    m_recorder = m_observer ? m_observer->createWorkerRecorder(m_index) : std::make_unique<NullRecorder>();
    m_acceptNotifier = new QSocketNotifier(m_listenFd, QSocketNotifier::Read, this);
    connect(m_acceptNotifier, &QSocketNotifier::activated, this, &HttpWorker::onAcceptable);
    m_sweepTimer = new QTimer(this);
    connect(m_sweepTimer, &QTimer::timeout, this, &HttpWorker::sweep);
    setLimits(m_limits);
}

void HttpWorker::setLimits(const ServerLimits &limits)
{
    m_limits = limits;
    // Sweep often enough that a timeout fires within a tenth of its length, but no more than
    // 100 times a second: a sweep visits every connection.
    const auto shortest = std::min(m_limits.requestTimeout, m_limits.keepAliveTimeout);
    const auto interval =
        std::clamp(shortest / 10, std::chrono::milliseconds(10), std::chrono::milliseconds(250));
    if (m_sweepTimer)
        m_sweepTimer->start(interval);
}

void HttpWorker::onAcceptable()
{
    for (int i = 0; i < kMaxAcceptsPerWake; ++i) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                // Out of descriptors: the listener stays readable, so pause instead of spinning.
                qWarning("perflab: accept failed (%s); pausing accepts for 100 ms", std::strerror(errno));
                m_acceptNotifier->setEnabled(false);
                QTimer::singleShot(100, this, [this] {
                    if (!m_draining && m_acceptNotifier)
                        m_acceptNotifier->setEnabled(true);
                });
            }
            return;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (m_openConnections->fetch_add(1, std::memory_order_relaxed) >= m_limits.maxConnections) {
            m_openConnections->fetch_sub(1, std::memory_order_relaxed);
            [[maybe_unused]] auto sent =
                ::send(fd, kOverloaded.data(), size_t(kOverloaded.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
            ::close(fd);
            continue;
        }
        auto *connection = new HttpConnection(fd, this);
        m_connections.insert(connection);
        m_recorder->connectionOpened();
    }
}

void HttpWorker::connectionClosed(HttpConnection *connection)
{
    if (m_connections.erase(connection) == 0)
        return;
    m_openConnections->fetch_sub(1, std::memory_order_relaxed);
    m_recorder->connectionClosed();
    connection->deleteLater(); // we may be inside one of its handlers
    maybeDrained();
}

void HttpWorker::sweep()
{
    const auto now = HttpConnection::Clock::now();
    // checkTimeouts may close (and unregister) connections: iterate over a copy.
    std::vector<HttpConnection *> connections(m_connections.begin(), m_connections.end());
    for (HttpConnection *connection : connections) {
        if (m_connections.count(connection))
            connection->checkTimeouts(now);
    }
}

void HttpWorker::stopListening()
{
    delete m_acceptNotifier;
    m_acceptNotifier = nullptr;
    if (m_listenFd >= 0) {
        ::close(m_listenFd);
        m_listenFd = -1;
    }
}

void HttpWorker::beginDrain()
{
    m_draining = true;
    stopListening();
    std::vector<HttpConnection *> connections(m_connections.begin(), m_connections.end());
    for (HttpConnection *connection : connections) {
        if (m_connections.count(connection))
            connection->beginDrain();
    }
    maybeDrained();
}

void HttpWorker::abortAll()
{
    m_draining = true;
    stopListening();
    std::vector<HttpConnection *> connections(m_connections.begin(), m_connections.end());
    for (HttpConnection *connection : connections) {
        if (m_connections.count(connection))
            connection->abort();
    }
    maybeDrained();
}

void HttpWorker::maybeDrained()
{
    if (m_draining && m_connections.empty() && !m_drainedSignalled) {
        m_drainedSignalled = true;
        Q_EMIT drained(m_index);
    }
}

} // namespace perflab::http

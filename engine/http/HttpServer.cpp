// See HttpServer.h.
#include "engine/http/HttpServer.h"

#include "engine/http/HttpWorker.h"
#include "engine/net/EpollEventDispatcher.h"
#include "engine/net/ListenSocket.h"

#include <QHostAddress>
#include <QThread>
#include <QTimer>

namespace perflab::http {

HttpServer::HttpServer(std::shared_ptr<const Router> router, ServerConfig config,
                       std::shared_ptr<RequestObserver> observer,
                       std::shared_ptr<const MiddlewareChain> middleware, QObject *parent)
    : QObject(parent), m_router(std::move(router)), m_config(std::move(config)),
      m_observer(std::move(observer)),
      m_middleware(middleware ? std::move(middleware) : std::make_shared<const MiddlewareChain>())
{
}

HttpServer::~HttpServer()
{
    stop();
}

std::optional<StartError> HttpServer::start()
{
    if (isRunning())
        return StartError{StartError::Kind::Other, QStringLiteral("server already running")};
    const int threads = m_config.threads > 0 ? m_config.threads : std::max(1, QThread::idealThreadCount());
    net::ListenResult listen = net::listenReusePort(m_config.host, m_config.port, threads);
    if (listen.fds.empty()) {
        StartError error;
        error.kind = listen.addressInUse  ? StartError::Kind::AddressInUse
                     : listen.invalidHost ? StartError::Kind::InvalidAddress
                                          : StartError::Kind::Other;
        error.message = listen.error;
        return error;
    }
    m_port = listen.port;
    m_workersDrained = 0;
    m_draining = false;
    for (int i = 0; i < threads; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("perflab-http-%1").arg(i));
        if (!m_config.useQtDispatcher)
            thread->setEventDispatcher(new net::EpollEventDispatcher);
        auto *worker = new HttpWorker(i, listen.fds[size_t(i)], *m_router, *m_middleware, m_config.limits,
                                      m_observer.get(), &m_openConnections);
        worker->moveToThread(thread);
        connect(worker, &HttpWorker::drained, this, &HttpServer::onWorkerDrained, Qt::QueuedConnection);
        thread->start();
        QMetaObject::invokeMethod(worker, &HttpWorker::start, Qt::BlockingQueuedConnection);
        m_threads.push_back(thread);
        m_workers.push_back(worker);
    }
    return std::nullopt;
}

QString HttpServer::url() const
{
    QHostAddress address(m_config.host == QLatin1String("localhost") ? QStringLiteral("127.0.0.1")
                                                                     : m_config.host);
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[%1]").arg(address.toString())
                             : address.toString();
    return QStringLiteral("http://%1:%2").arg(host).arg(m_port);
}

void HttpServer::setLimits(const ServerLimits &limits)
{
    m_config.limits = limits;
    for (HttpWorker *worker : m_workers)
        QMetaObject::invokeMethod(
            worker, [worker, limits] { worker->setLimits(limits); }, Qt::QueuedConnection);
}

void HttpServer::drain()
{
    if (!isRunning()) {
        Q_EMIT drained();
        return;
    }
    if (m_draining)
        return;
    m_draining = true;
    for (HttpWorker *worker : m_workers)
        QMetaObject::invokeMethod(worker, &HttpWorker::beginDrain, Qt::QueuedConnection);
    m_drainTimer = new QTimer(this);
    m_drainTimer->setSingleShot(true);
    connect(m_drainTimer, &QTimer::timeout, this, [this] {
        qWarning("perflab: drain timed out after %lld ms; closing the remaining connections",
                 static_cast<long long>(m_config.drainTimeout.count()));
        for (HttpWorker *worker : m_workers)
            QMetaObject::invokeMethod(worker, &HttpWorker::abortAll, Qt::QueuedConnection);
    });
    m_drainTimer->start(m_config.drainTimeout);
}

void HttpServer::onWorkerDrained()
{
    if (++m_workersDrained < int(m_workers.size()))
        return;
    if (m_drainTimer) {
        m_drainTimer->stop();
        m_drainTimer->deleteLater();
        m_drainTimer = nullptr;
    }
    Q_EMIT drained();
}

void HttpServer::stop()
{
    for (size_t i = 0; i < m_workers.size(); ++i) {
        HttpWorker *worker = m_workers[i];
        // Delete on its own thread: its notifiers and timers belong to that thread.
        QMetaObject::invokeMethod(
            worker, [worker] { delete worker; }, Qt::BlockingQueuedConnection);
        m_threads[i]->quit();
        m_threads[i]->wait();
        delete m_threads[i];
    }
    m_workers.clear();
    m_threads.clear();
}

} // namespace perflab::http

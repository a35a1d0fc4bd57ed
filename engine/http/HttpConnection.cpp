// See HttpConnection.h.
#include "engine/http/HttpConnection.h"

#include "engine/http/HttpWorker.h"
#include "engine/http/ResponseWriter.h"
#include "engine/http/Router.h"

#include <QSocketNotifier>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace perflab::http {

namespace {
constexpr qsizetype kInitialReadBuffer = 16 * 1024;
constexpr qsizetype kMinReadSpace = 4 * 1024;
// Above this much unsent output, stop reading new requests until the client catches up.
constexpr qsizetype kOutputHighWater = 1024 * 1024;
// How long a closing connection keeps reading (and discarding) so that the kernel sends our
// last response before a FIN instead of destroying it with a RST (nginx's lingering close).
constexpr auto kLingerTime = std::chrono::seconds(2);

int64_t nanosSince(HttpConnection::Clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(HttpConnection::Clock::now() - start).count();
}

QByteArrayView contentEncodingOf(const HttpResponse &response)
{
    for (const auto &[name, value] : response.headers) {
        if (QByteArrayView(name).compare("Content-Encoding", Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}
} // namespace

HttpConnection::HttpConnection(int fd, HttpWorker *worker)
    : QObject(worker), m_fd(fd), m_worker(worker), m_direct(net::EpollEventDispatcher::forCurrentThread())
{
    if (m_direct) {
        m_direct->watchFd(fd, this, true, false);
    } else {
        m_readNotifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
        connect(m_readNotifier, &QSocketNotifier::activated, this, &HttpConnection::onReadable);
    }
    m_lastActivity = Clock::now();
}

void HttpConnection::onFdReady(uint32_t events)
{
    const bool hangup = events & (EPOLLHUP | EPOLLERR);
    if (m_reading && (hangup || (events & (EPOLLIN | EPOLLRDHUP))))
        onReadable();
    // A hang-up while only writing: the next send() reports it and closes.
    if (!m_closed && m_writing && (hangup || (events & EPOLLOUT)))
        flush();
}

HttpConnection::~HttpConnection()
{
    m_stop.request_stop();
    if (m_fd >= 0)
        ::close(m_fd);
}

void HttpConnection::setReading(bool enabled)
{
    if (m_reading == enabled || m_closed)
        return;
    m_reading = enabled;
    if (m_direct)
        m_direct->watchFd(m_fd, this, m_reading, m_writing);
    else
        m_readNotifier->setEnabled(enabled);
}

void HttpConnection::setWriting(bool enabled)
{
    if (m_writing == enabled || m_closed)
        return;
    m_writing = enabled;
    if (m_direct) {
        m_direct->watchFd(m_fd, this, m_reading, m_writing);
        return;
    }
    if (!m_writeNotifier) {
        m_writeNotifier = new QSocketNotifier(m_fd, QSocketNotifier::Write, this);
        connect(m_writeNotifier, &QSocketNotifier::activated, this, &HttpConnection::flush);
    }
    m_writeNotifier->setEnabled(enabled);
}

bool HttpConnection::idle() const
{
    return m_pending.empty() && !m_streaming && !m_parser.inProgress() && m_inBegin == m_inEnd &&
           m_outSent == m_out.size();
}

void HttpConnection::onReadable()
{
    if (m_closed)
        return;
    const auto now = Clock::now();
    if (m_lingering) {
        char discard[16 * 1024];
        ssize_t n;
        while ((n = ::read(m_fd, discard, sizeof discard)) > 0) {
        }
        if (n == 0 || (errno != EAGAIN && errno != EINTR))
            closeNow();
        return;
    }
    for (int round = 0; round < 4 && m_reading; ++round) {
        if (m_inCapacity - m_inEnd < kMinReadSpace) {
            if (m_inBegin > 0) {
                std::memmove(m_in.get(), m_in.get() + m_inBegin, size_t(m_inEnd - m_inBegin));
                m_inEnd -= m_inBegin;
                m_inBegin = 0;
            }
            if (m_inCapacity - m_inEnd < kMinReadSpace) {
                const qsizetype capacity = std::max(kInitialReadBuffer, m_inCapacity * 2);
                auto bigger = std::make_unique<char[]>(size_t(capacity));
                if (m_inEnd > 0)
                    std::memcpy(bigger.get(), m_in.get(), size_t(m_inEnd));
                m_in = std::move(bigger);
                m_inCapacity = capacity;
            }
        }
        const qsizetype space = m_inCapacity - m_inEnd;
        const ssize_t n = ::read(m_fd, m_in.get() + m_inEnd, size_t(space));
        if (n > 0) {
            m_inEnd += n;
            m_lastActivity = now;
            m_now = now;
            processInput();
            if (n < space)
                break;
            continue;
        }
        if (n == 0) {
            // The client finished sending. Answer what it sent, then close.
            setReading(false);
            m_peerClosedInput = true;
            m_closeWhenFlushed = true;
            break;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN)
            closeNow();
        break;
    }
    flush();
}

void HttpConnection::processInput()
{
    const ServerLimits &limits = m_worker->limits();
    while (m_inBegin < m_inEnd && !m_closeWhenFlushed) {
        if (int(m_pending.size()) >= limits.maxPipelinedRequests ||
            m_out.size() - m_outSent > kOutputHighWater) {
            setReading(false); // resumed by maybeResumeReading() when responses catch up
            return;
        }
        if (!m_parser.inProgress())
            m_requestStarted = m_now;
        const auto result = m_parser.parse(m_in.get() + m_inBegin, m_inEnd - m_inBegin, limits.parser);
        if (result == RequestParser::Result::NeedMore) {
            if (m_parser.waitingForBody() && m_parser.request().expectContinue && !m_sentContinue) {
                m_out.append("HTTP/1.1 100 Continue\r\n\r\n");
                m_sentContinue = true;
            }
            break;
        }
        if (result == RequestParser::Result::Error) {
            respondWithError(m_parser.error().status, m_parser.error().detail);
            break;
        }
        m_inBegin += m_parser.consumed();
        HttpRequest request = m_parser.takeRequest();
        m_parser.reset();
        m_sentContinue = false;
        handleRequest(std::move(request));
    }
    if (m_inBegin == m_inEnd) {
        m_inBegin = m_inEnd = 0;
        // Give back a buffer that grew for one large body.
        if (m_inCapacity > 4 * kInitialReadBuffer) {
            m_in.reset();
            m_inCapacity = 0;
        }
    }
}

void HttpConnection::handleRequest(HttpRequest &&request)
{
    Exchange exchange;
    exchange.method = request.method;
    exchange.head = request.method == Method::Head;
    exchange.http10 = request.versionMinor == 0;
    exchange.keepAlive = request.keepAlive && !m_draining;
    exchange.started = m_requestStarted;
    if (!exchange.keepAlive) {
        // Nothing after this request is read: its response is the last one.
        m_closeWhenFlushed = true;
        setReading(false);
    }
    m_worker->recorder().requestStarted();

    std::unique_ptr<RequestContext> context =
        m_spareContext ? std::move(m_spareContext) : std::make_unique<RequestContext>();
    context->reset(std::move(request));
    context->started = m_requestStarted;

    const Router &router = m_worker->router();
    RouteMatch match = router.match(context->request);
    if (match.kind == RouteMatch::Kind::Found) {
        exchange.routeId = match.routeId;
        context->route = &router.route(match.routeId);
    } else {
        exchange.routeId = match.kind == RouteMatch::Kind::NotFound ? -1 : context->request.routeId;
        context->routeError = std::move(match.errorResponse);
    }

    std::optional<Outcome> outcome;
    try {
        outcome.emplace(m_worker->middleware().run(*context));
    } catch (const std::exception &e) {
        outcome.emplace(
            HttpResponse::error(500, QStringLiteral("internal error: %1").arg(QString::fromUtf8(e.what()))));
    }
    if (outcome->isReady()) {
        deliver(exchange, std::move(outcome->response()));
        m_spareContext = std::move(context);
        return;
    }
    const uint64_t sequence = m_nextSequence++;
    m_pending.push_back({sequence, exchange, false, {}});
    // Eager: a coroutine that never suspends completes (and emits) before this returns.
    runAsync(this, m_worker, sequence, exchange, std::move(context), outcome->takeTask());
}

void HttpConnection::respondWithError(int status, QByteArrayView detail)
{
    m_worker->recorder().requestStarted();
    Exchange exchange;
    exchange.keepAlive = false;
    exchange.started = m_requestStarted;
    m_closeWhenFlushed = true;
    m_closeWithLinger = true; // the client may still be sending what we refused
    setReading(false);
    deliver(exchange, HttpResponse::error(status, QString::fromUtf8(detail)));
}

void HttpConnection::deliver(const Exchange &exchange, HttpResponse &&response)
{
    if (m_pending.empty() && !m_streaming) {
        emitResponse(exchange, response);
        return;
    }
    // An earlier response is not out yet: keep the order.
    m_pending.push_back({m_nextSequence++, exchange, true, std::move(response)});
}

void HttpConnection::emitResponse(Exchange exchange, HttpResponse &response)
{
    if (response.closeConnection)
        exchange.keepAlive = false;
    ResponseFraming framing;
    framing.headRequest = exchange.head;
    framing.http10 = exchange.http10;
    // HEAD of a streamed GET: the same head (Transfer-Encoding: chunked), no body to pump.
    framing.streamed = response.stream != nullptr;
    const bool pump = framing.streamed && !exchange.head;
    if (pump && exchange.http10)
        exchange.keepAlive = false; // no chunked in HTTP/1.0: the body ends with the connection
    framing.keepAlive = exchange.keepAlive;
    if (!exchange.keepAlive) {
        m_closeWhenFlushed = true;
        setReading(false);
    }
    const qsizetype bytes = appendResponse(m_out, response, framing);
    exchange.status = response.status;
    for (auto &task : response.backgroundTasks)
        m_afterWrite.push_back(std::move(task));
    if (pump) {
        m_streaming = true;
        pumpStream(this, m_worker, response.stream, exchange, bytes, m_stop.get_token());
        return;
    }
    recordFinished(exchange, response.status, bytes, contentEncodingOf(response));
}

void HttpConnection::recordFinished(const Exchange &exchange, int status, int64_t bytes,
                                    QByteArrayView encoding)
{
    FinishedRequest finished;
    finished.routeId = exchange.routeId;
    finished.method = exchange.method;
    finished.status = status;
    finished.durationNs = nanosSince(exchange.started);
    finished.bytesOut = bytes;
    finished.contentEncoding = encoding;
    m_worker->recorder().requestFinished(finished);
}

void HttpConnection::completePending(uint64_t sequence, HttpResponse &&response)
{
    for (Pending &pending : m_pending) {
        if (pending.sequence == sequence) {
            pending.response = std::move(response);
            pending.ready = true;
            break;
        }
    }
    emitReadyPending();
    flush();
}

void HttpConnection::emitReadyPending()
{
    while (!m_streaming && !m_pending.empty() && m_pending.front().ready) {
        Pending front = std::move(m_pending.front());
        m_pending.pop_front();
        emitResponse(front.exchange, front.response);
    }
    maybeResumeReading();
}

void HttpConnection::maybeResumeReading()
{
    if (m_reading || m_closed || m_closeWhenFlushed || m_draining)
        return;
    if (int(m_pending.size()) >= m_worker->limits().maxPipelinedRequests ||
        m_out.size() - m_outSent > kOutputHighWater)
        return;
    setReading(true);
    if (m_inBegin < m_inEnd) {
        m_now = Clock::now();
        processInput(); // requests that arrived while the pipeline was full
    }
}

void HttpConnection::finishStream(const Exchange &exchange, int status, int64_t bytes)
{
    m_streaming = false;
    recordFinished(exchange, status, bytes, {});
    emitReadyPending();
    flush();
}

void HttpConnection::flush()
{
    if (m_closed || m_lingering)
        return;
    while (m_outSent < m_out.size()) {
        const ssize_t n =
            ::send(m_fd, m_out.constData() + m_outSent, size_t(m_out.size() - m_outSent), MSG_NOSIGNAL);
        if (n > 0) {
            m_outSent += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            setWriting(true);
            return;
        }
        closeNow(); // EPIPE, ECONNRESET: the client is gone
        return;
    }
    m_out.resize(0); // keeps the capacity for the next batch
    m_outSent = 0;
    if (!m_afterWrite.empty())
        startBackgroundTasks();
    setWriting(false);
    if (m_closeWhenFlushed && m_pending.empty() && !m_streaming) {
        finishAndClose();
        return;
    }
    if (!m_reading)
        maybeResumeReading();
}

void HttpConnection::startBackgroundTasks()
{
    std::vector<std::function<QCoro::Task<>()>> tasks;
    tasks.swap(m_afterWrite);
    for (auto &task : tasks) {
        try {
            task(); // eager and detached: the coroutine frees itself when it ends
        } catch (const std::exception &e) {
            qWarning("perflab: background task failed: %s", e.what());
        }
    }
}

void HttpConnection::finishAndClose()
{
    // Unread input (a refused body, requests after "Connection: close", or a drain) would make
    // the kernel answer with RST and possibly destroy the response we just sent.
    if (m_closeWithLinger || m_inBegin < m_inEnd || !m_peerClosedInput) {
        ::shutdown(m_fd, SHUT_WR);
        m_lingering = true;
        m_lingerStarted = Clock::now();
        setReading(true);
        return;
    }
    closeNow();
}

void HttpConnection::closeNow()
{
    if (m_closed)
        return;
    if (m_direct) {
        m_direct->unwatchFd(m_fd);
    } else {
        m_readNotifier->setEnabled(false);
        if (m_writeNotifier)
            m_writeNotifier->setEnabled(false);
    }
    m_closed = true;
    m_stop.request_stop();
    ::close(m_fd);
    if (!m_afterWrite.empty())
        startBackgroundTasks(); // accepted work still runs when the client left early
    m_fd = -1;
    m_worker->connectionClosed(this);
}

void HttpConnection::checkTimeouts(Clock::time_point now)
{
    if (m_closed)
        return;
    if (m_lingering) {
        if (now - m_lingerStarted > kLingerTime)
            closeNow();
        return;
    }
    const ServerLimits &limits = m_worker->limits();
    if (m_parser.inProgress() && m_pending.empty() && !m_streaming && !m_closeWhenFlushed &&
        now - m_requestStarted > limits.requestTimeout) {
        respondWithError(408, "request not received in time");
        flush();
        return;
    }
    if (idle() && now - m_lastActivity > limits.keepAliveTimeout)
        closeNow();
}

void HttpConnection::beginDrain()
{
    if (m_closed || m_draining)
        return;
    m_draining = true;
    setReading(false);
    if (idle()) {
        closeNow();
        return;
    }
    // Requests already read get their answers; the last one says "Connection: close".
    if (!m_pending.empty())
        m_pending.back().exchange.keepAlive = false;
    m_closeWhenFlushed = true;
    if (m_pending.empty() && !m_streaming)
        flush();
}

void HttpConnection::abort()
{
    closeNow();
}

void HttpConnection::recordClientGone(HttpWorker *worker, const Exchange &exchange, int64_t bytes)
{
    // Counted as nginx does (499), so that in-flight and the per-route counts stay right.
    if (!worker)
        return;
    FinishedRequest gone;
    gone.routeId = exchange.routeId;
    gone.method = exchange.method;
    gone.status = 499;
    gone.durationNs = nanosSince(exchange.started);
    gone.bytesOut = bytes;
    worker->recorder().requestFinished(gone);
}

QCoro::Task<> HttpConnection::runAsync(QPointer<HttpConnection> self, QPointer<HttpWorker> worker,
                                       uint64_t sequence, Exchange exchange,
                                       [[maybe_unused]] std::unique_ptr<RequestContext> context,
                                       QCoro::Task<HttpResponse> task)
{
    // `context` is only held: the task refers to the request and timings inside it.
    HttpResponse response;
    try {
        response = co_await task;
    } catch (const std::exception &e) {
        response =
            HttpResponse::error(500, QStringLiteral("internal error: %1").arg(QString::fromUtf8(e.what())));
    } catch (...) {
        response = HttpResponse::error(500, QStringLiteral("internal error"));
    }
    if (!self || self->m_closed) {
        // The client went away first.
        recordClientGone(worker, exchange, 0);
        co_return;
    }
    self->completePending(sequence, std::move(response));
}

QCoro::Task<> HttpConnection::pumpStream(QPointer<HttpConnection> self, QPointer<HttpWorker> worker,
                                         std::shared_ptr<ResponseStream> stream, Exchange exchange,
                                         int64_t bytes, std::stop_token stop)
{
    bool failed = false;
    while (true) {
        std::optional<QByteArray> chunk;
        try {
            chunk = co_await stream->next(stop);
        } catch (...) {
            failed = true; // includes cancellation after the client left
        }
        if (!self || self->m_closed) {
            recordClientGone(worker, exchange, bytes);
            co_return;
        }
        if (failed) {
            // Mid-body there is no status left to send: ending without the last chunk tells
            // the client the body is incomplete.
            self->m_streaming = false;
            self->recordFinished(exchange, 500, bytes, {});
            self->closeNow();
            co_return;
        }
        if (!chunk)
            break;
        const qsizetype before = self->m_out.size();
        appendChunk(self->m_out, *chunk, exchange.http10);
        bytes += self->m_out.size() - before;
        self->flush();
    }
    const qsizetype before = self->m_out.size();
    appendLastChunk(self->m_out, exchange.http10);
    bytes += self->m_out.size() - before;
    self->finishStream(exchange, exchange.status, bytes);
}

} // namespace perflab::http

// One client connection on a worker thread: reads into its own buffer, parses requests,
// dispatches them, and writes the responses in request order (pipelining) with as few
// syscalls as possible (one read and one write per batch of requests in the common case).
//
// The socket is a plain non-blocking descriptor watched by QSocketNotifiers rather than a
// QTcpSocket: QAbstractSocket copies every read into its own ring buffer and flushes writes
// on a later event-loop turn, both measurable on a tiny response.
#pragma once

#include "engine/http/HttpRequest.h"
#include "engine/http/HttpResponse.h"
#include "engine/http/Middleware.h"
#include "engine/http/RequestObserver.h"
#include "engine/http/RequestParser.h"
#include "engine/http/Router.h"
#include "engine/net/EpollEventDispatcher.h"

#include <QObject>
#include <QPointer>

#include <chrono>
#include <deque>
#include <memory>
#include <stop_token>

class QSocketNotifier;

namespace perflab::http {

class HttpWorker;
struct ResponseFraming;

class HttpConnection final : public QObject, private net::FdHandler
{
    Q_OBJECT
public:
    using Clock = std::chrono::steady_clock;

    HttpConnection(int fd, HttpWorker *worker);
    ~HttpConnection() override;

    // Called by the worker's sweep timer.
    void checkTimeouts(Clock::time_point now);
    // Graceful shutdown: finish what is in flight, then close.
    void beginDrain();
    // Close at once (drain timed out, server stopping).
    void abort();

private:
    // What the connection must remember about a request until its response is written.
    struct Exchange
    {
        int routeId = -1;
        Method method = Method::Other;
        bool head = false;
        bool http10 = false;
        bool keepAlive = true;
        int status = 200; // of a streamed response, known before its body ends
        Clock::time_point started;
    };
    // A response slot in request order; `ready` once its handler finished.
    struct Pending
    {
        uint64_t sequence = 0;
        Exchange exchange;
        bool ready = false;
        HttpResponse response;
    };

    void onFdReady(uint32_t epollEvents) override;
    void onReadable();
    void setWriting(bool enabled);
    void processInput();
    void handleRequest(HttpRequest &&request);
    void respondWithError(int status, QByteArrayView detail);
    // Emits now if nothing is ahead of it in the pipeline, else queues it in order.
    void deliver(const Exchange &exchange, HttpResponse &&response);
    // Serializes a finished response (or starts its stream) at the front of the pipeline.
    void emitResponse(Exchange exchange, HttpResponse &response);
    void recordFinished(const Exchange &exchange, int status, int64_t bytes, QByteArrayView encoding);
    void completePending(uint64_t sequence, HttpResponse &&response);
    void emitReadyPending();
    void finishStream(const Exchange &exchange, int status, int64_t bytes);
    void flush();
    void finishAndClose();
    void startBackgroundTasks();
    void closeNow();
    void setReading(bool enabled);
    void maybeResumeReading();
    bool idle() const;

    static void recordClientGone(HttpWorker *worker, const Exchange &exchange, int64_t bytes);
    static QCoro::Task<> runAsync(QPointer<HttpConnection> self, QPointer<HttpWorker> worker,
                                  uint64_t sequence, Exchange exchange,
                                  std::unique_ptr<RequestContext> context, QCoro::Task<HttpResponse> task);
    static QCoro::Task<> pumpStream(QPointer<HttpConnection> self, QPointer<HttpWorker> worker,
                                    std::shared_ptr<ResponseStream> stream, Exchange exchange, int64_t bytes,
                                    std::stop_token stop);

    int m_fd;
    HttpWorker *m_worker;
    // Readiness comes straight from the epoll dispatcher when the thread has one (the
    // server's workers), else through QSocketNotifiers (Qt's dispatcher, for comparison).
    net::EpollEventDispatcher *m_direct;
    QSocketNotifier *m_readNotifier = nullptr;
    QSocketNotifier *m_writeNotifier = nullptr;
    bool m_writing = false;

    // Read buffer: bytes [m_inBegin, m_inEnd) are unconsumed.
    std::unique_ptr<char[]> m_in;
    qsizetype m_inCapacity = 0;
    qsizetype m_inBegin = 0;
    qsizetype m_inEnd = 0;

    QByteArray m_out;
    qsizetype m_outSent = 0;

    RequestParser m_parser;
    Clock::time_point m_requestStarted; // first byte of the request being parsed
    Clock::time_point m_lastActivity;
    Clock::time_point m_now; // time of the read being processed (one clock read per batch)
    Clock::time_point m_lingerStarted;
    bool m_sentContinue = false;

    std::deque<Pending> m_pending;
    // The context of the last request answered at once, kept to be reused by the next one.
    std::unique_ptr<RequestContext> m_spareContext;
    // Background tasks of responses in m_out, started once m_out is written.
    std::vector<std::function<QCoro::Task<>()>> m_afterWrite;
    uint64_t m_nextSequence = 0;
    bool m_streaming = false; // a streamed body is being written: later responses wait
    std::stop_source m_stop;  // requested when the connection goes away (ends streams)

    bool m_reading = true;
    bool m_closeWhenFlushed = false;
    bool m_closeWithLinger = false;
    bool m_peerClosedInput = false;
    bool m_lingering = false;
    bool m_draining = false;
    bool m_closed = false;
};

} // namespace perflab::http

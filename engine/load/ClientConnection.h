// ClientConnection: one keep-alive TCP connection of the load client, on its ClientWorker's
// epoll loop. One request at a time (no pipelining: a load generator that pipelines measures
// the pipeline, not the server's answer to a user).
//
// A plain non-blocking socket with TCP_NODELAY, watched through the dispatcher's FdHandler:
// no QObject, no signal, no event per request. The hot path is one send() for the request and
// one recv() per readiness for the response, parsed in place (ResponseParser) and recorded
// through the worker's pre-resolved RouteRecorder.
//
// Lifecycle: a request handed to a closed connection first connects (connect errors and
// timeouts count as `connect`). After a `Connection: close` response, a reset, a timeout or a
// protocol error the socket is closed and the next request reconnects. A request whose reused
// keep-alive connection turns out to be closed by the server before any byte of the answer
// came back is retried once on a fresh connection (the server's idle timeout is not an error
// of the request); otherwise a connection cut off mid-request counts as `reset`.
#pragma once

#include "engine/load/ResponseParser.h"
#include "engine/load/RouteRecorder.h"
#include "engine/net/EpollEventDispatcher.h"

#include <QByteArray>

#include <cstdint>
#include <memory>

struct sockaddr_storage;

namespace perflab::load {

class ClientWorker;

class ClientConnection final : private net::FdHandler
{
public:
    enum class State { Closed, Connecting, Idle, Busy };

    explicit ClientConnection(ClientWorker &worker);
    ~ClientConnection();
    ClientConnection(const ClientConnection &) = delete;
    ClientConnection &operator=(const ClientConnection &) = delete;

    State state() const { return m_state; }
    bool hasRequest() const { return m_entry >= 0; }
    // Hands over request `entry` (of the worker's mix), intended at `intendedNs`, now `nowNs`.
    void send(int entry, std::int64_t intendedNs, std::int64_t nowNs);
    // The coarse timeout check of the worker's sweep.
    void checkDeadline(std::int64_t nowNs);
    // Closes the socket; a request in flight is dropped without being counted.
    void abandon();

    // Set by the worker when a connection's response completes or fails: whether it may be
    // reused at once (false while a `connect` error's back-off lasts).
    std::int64_t reusableAtNs() const { return m_reusableAtNs; }

private:
    void onFdReady(uint32_t events) override;
    void startConnect(std::int64_t nowNs);
    void onConnectReady();
    void writeRequest();
    void onReadable();
    void finishResponse();
    // Ends the current request with an error of `kind`, closes the socket.
    void failRequest(ErrorKindId kind);
    // The server closed (or reset) the connection while a request was in flight.
    void onPeerClosed();
    void closeSocket();
    void setInterest(bool read, bool write);
    void release(); // tells the worker the connection is free again
    // Every change of m_state goes through here, which keeps the worker's connection gauges
    // (open: Idle or Busy; connecting: Connecting, or waiting out a failed connect's back-off).
    void setState(State next);
    void endBackoff();

    ClientWorker &m_worker;
    net::EpollEventDispatcher *m_dispatcher;
    int m_fd = -1;
    State m_state = State::Closed;
    bool m_watchRead = false;
    bool m_watchWrite = false;
    bool m_reused = false;    // the socket already carried a response
    bool m_retried = false;   // this request was already retried once
    bool m_inBackoff = false; // a connect failed; the next request will connect again

    // The request in flight.
    int m_entry = -1;
    std::int64_t m_intendedNs = 0;
    std::int64_t m_sentNs = 0;
    std::int64_t m_deadlineNs = 0; // request (or connect) timeout
    QByteArrayView m_out;          // points into the mix's static bytes or m_dynamicRequest
    std::int64_t m_outSent = 0;
    QByteArray m_dynamicRequest; // templated paths are expanded here (capacity reused)
    std::int64_t m_reusableAtNs = 0;

    ResponseParser m_parser;
    std::unique_ptr<char[]> m_in;
    std::int64_t m_inCapacity = 0;
    std::int64_t m_inLength = 0;
};

} // namespace perflab::load

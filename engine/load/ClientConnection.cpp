// See ClientConnection.h.
#include "engine/load/ClientConnection.h"

#include "engine/load/ClientWorker.h"
#include "engine/load/MonotonicClock.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace perflab::load {

namespace {
constexpr std::int64_t kInitialReadBuffer = 16 * 1024;
// Room for a head of ResponseParser::kMaxHeadBytes plus what follows it in the same read.
constexpr std::int64_t kMaxReadBuffer = 128 * 1024;
constexpr int kMaxReadsPerWake = 8;
} // namespace

ClientConnection::ClientConnection(ClientWorker &worker) : m_worker(worker), m_dispatcher(worker.dispatcher())
{
}

ClientConnection::~ClientConnection()
{
    closeSocket();
    endBackoff();
}

void ClientConnection::setState(State next)
{
    const auto isOpen = [](State s) { return s == State::Idle || s == State::Busy; };
    if (isOpen(m_state) != isOpen(next))
        m_worker.connectionsOpen()->add(isOpen(next) ? 1 : -1);
    if ((m_state == State::Connecting) != (next == State::Connecting))
        m_worker.connectionsConnecting()->add(next == State::Connecting ? 1 : -1);
    m_state = next;
}

void ClientConnection::endBackoff()
{
    if (m_inBackoff) {
        m_inBackoff = false;
        m_worker.connectionsConnecting()->dec();
    }
}

void ClientConnection::setInterest(bool read, bool write)
{
    if (m_fd < 0 || (read == m_watchRead && write == m_watchWrite))
        return;
    m_watchRead = read;
    m_watchWrite = write;
    m_dispatcher->watchFd(m_fd, this, read, write);
}

void ClientConnection::closeSocket()
{
    if (m_fd >= 0) {
        if (m_watchRead || m_watchWrite)
            m_dispatcher->unwatchFd(m_fd);
        ::close(m_fd);
        m_fd = -1;
    }
    m_watchRead = m_watchWrite = false;
    setState(State::Closed);
    m_inLength = 0;
    m_reused = false;
}

void ClientConnection::abandon()
{
    closeSocket();
    endBackoff();
    if (m_entry >= 0) {
        m_entry = -1;
        m_worker.requestAbandoned();
    }
}

void ClientConnection::send(int entry, std::int64_t intendedNs, std::int64_t nowNs)
{
    m_entry = entry;
    m_intendedNs = intendedNs;
    m_sentNs = nowNs;
    m_retried = false;
    m_reusableAtNs = 0;
    endBackoff();
    const PreparedRequest &request = m_worker.mix().entry(entry);
    m_out = request.bytes(m_dynamicRequest, m_worker.rng());
    m_outSent = 0;
    m_parser.begin(request.head);
    m_worker.requestStarted();
    if (m_state == State::Closed)
        startConnect(nowNs);
    else
        writeRequest();
}

void ClientConnection::startConnect(std::int64_t nowNs)
{
    const ClientShared &shared = m_worker.shared();
    m_reused = false;
    m_fd = ::socket(shared.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0) {
        failRequest(ErrorKindId::Connect);
        return;
    }
    int one = 1;
    setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int r;
    do {
        r = ::connect(m_fd, reinterpret_cast<const sockaddr *>(&shared.address), shared.addressLength);
    } while (r < 0 && errno == EINTR);
    if (r == 0) {
        writeRequest();
        return;
    }
    if (errno != EINPROGRESS) {
        failRequest(ErrorKindId::Connect);
        return;
    }
    setState(State::Connecting);
    m_deadlineNs = nowNs + m_worker.connectTimeoutNs();
    setInterest(false, true);
}

void ClientConnection::onConnectReady()
{
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0 || error != 0) {
        failRequest(ErrorKindId::Connect);
        return;
    }
    writeRequest();
}

void ClientConnection::writeRequest()
{
    setState(State::Busy);
    m_deadlineNs = m_sentNs + m_worker.requestTimeoutNs();
    while (m_outSent < m_out.size()) {
        const ssize_t n =
            ::send(m_fd, m_out.data() + m_outSent, size_t(m_out.size() - m_outSent), MSG_NOSIGNAL);
        if (n > 0) {
            m_outSent += n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            setInterest(true, true);
            return;
        }
        onPeerClosed(); // EPIPE, ECONNRESET: the server closed before we sent
        return;
    }
    setInterest(true, false);
}

void ClientConnection::onFdReady(uint32_t events)
{
    const bool hangup = events & (EPOLLHUP | EPOLLERR);
    switch (m_state) {
    case State::Connecting:
        if (hangup || (events & EPOLLOUT))
            onConnectReady();
        return;
    case State::Busy:
        if (m_watchWrite && (hangup || (events & EPOLLOUT))) {
            writeRequest();
            if (m_state != State::Busy)
                return;
        }
        if (hangup || (events & (EPOLLIN | EPOLLRDHUP)))
            onReadable();
        return;
    case State::Idle:
        // The server closed an idle keep-alive connection (or sent what nobody asked for):
        // drop the socket now so that the next request starts on a fresh one.
        closeSocket();
        return;
    case State::Closed:
        return;
    }
}

void ClientConnection::onReadable()
{
    for (int round = 0; round < kMaxReadsPerWake; ++round) {
        if (m_inLength == m_inCapacity) {
            const std::int64_t capacity = m_inCapacity == 0 ? kInitialReadBuffer : m_inCapacity * 2;
            if (capacity > kMaxReadBuffer) {
                failRequest(ErrorKindId::Protocol);
                return;
            }
            auto bigger = std::make_unique<char[]>(size_t(capacity));
            if (m_inLength > 0)
                std::memcpy(bigger.get(), m_in.get(), size_t(m_inLength));
            m_in = std::move(bigger);
            m_inCapacity = capacity;
        }
        const std::int64_t space = m_inCapacity - m_inLength;
        const ssize_t n = ::recv(m_fd, m_in.get() + m_inLength, size_t(space), 0);
        if (n > 0) {
            m_inLength += n;
            std::int64_t consumed = 0;
            const ResponseParser::Result result = m_parser.parse(m_in.get(), m_inLength, consumed);
            if (result == ResponseParser::Result::Complete) {
                finishResponse();
                return;
            }
            if (result == ResponseParser::Result::Error) {
                failRequest(ErrorKindId::Protocol);
                return;
            }
            if (consumed > 0) {
                m_inLength -= consumed;
                if (m_inLength > 0)
                    std::memmove(m_in.get(), m_in.get() + consumed, size_t(m_inLength));
            }
            if (n < space)
                return; // drained: the next readiness brings the rest
            continue;
        }
        if (n == 0) {
            onPeerClosed();
            return;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            onPeerClosed();
        return;
    }
}

void ClientConnection::onPeerClosed()
{
    if (m_parser.finishOnClose() == ResponseParser::Result::Complete) {
        finishResponse();
        return;
    }
    if (m_reused && !m_retried && m_parser.bytesReceived() == 0 && m_inLength == 0) {
        // A keep-alive connection the server had already closed: not this request's fault.
        const bool head = m_worker.mix().entry(m_entry).head;
        closeSocket();
        m_retried = true;
        m_outSent = 0;
        m_parser.begin(head);
        startConnect(monotonicNowNs());
        return;
    }
    failRequest(ErrorKindId::Reset);
}

void ClientConnection::finishResponse()
{
    const std::int64_t now = monotonicNowNs();
    m_worker.recorder(m_entry).recordResponse(m_parser, (now - m_intendedNs) / 1000, (now - m_sentNs) / 1000);
    m_inLength = 0;
    if (m_parser.keepAlive()) {
        setState(State::Idle);
        m_reused = true;
    } else {
        closeSocket();
    }
    m_entry = -1;
    m_worker.requestEnded(this, now);
}

void ClientConnection::failRequest(ErrorKindId kind)
{
    const std::int64_t now = monotonicNowNs();
    m_worker.recorder(m_entry).recordError(kind, m_parser.bytesReceived());
    closeSocket();
    // A refused or timed-out connect is retried after a pause, not in a tight loop.
    m_reusableAtNs = kind == ErrorKindId::Connect ? now + ClientWorker::kConnectBackoffNs : 0;
    if (kind == ErrorKindId::Connect && !m_inBackoff) {
        m_inBackoff = true;
        m_worker.connectionsConnecting()->inc();
    }
    m_entry = -1;
    m_worker.requestEnded(this, now);
}

void ClientConnection::checkDeadline(std::int64_t nowNs)
{
    if (m_entry < 0 || nowNs <= m_deadlineNs)
        return;
    if (m_state == State::Connecting)
        failRequest(ErrorKindId::Connect);
    else if (m_state == State::Busy)
        failRequest(ErrorKindId::Timeout);
}

} // namespace perflab::load

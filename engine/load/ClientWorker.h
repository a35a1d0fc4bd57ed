// ClientWorker: one client thread of the load generator (an EpollEventDispatcher loop, like
// the server's HttpWorker) with its share of the connections and of the load model.
//
// Closed model: every free connection sends at once (after `think_ms`, if any), measured from
// the actual send. Open and stages models: the thread walks its stride of the run's
// OpenLoopSchedule (requests index, index + T, ...); a timerfd watched through the
// dispatcher wakes it at the next intended time with µs precision (the dispatcher's own
// timers have ms resolution). At each wake every request whose intended time has come goes to
// a free connection; when none is free the requests wait (they are just the schedule's next
// indexes, so waiting costs no memory) and their latency keeps counting from the intended
// time. A send more than 1 ms after its intended time counts as late. Every open-loop send
// also records its send lag (GeneratorStats.h): it is measured from the later of its intended
// time and the moment since which the thread has had a free connection, so that waiting for
// a busy server is not counted as the generator's own lateness.
//
// Free connections are a stack (the most recently used is reused first: its socket and
// buffers are warm); connections in think time or connect back-off wait in a min-heap whose
// earliest time also arms the timerfd. A coarse sweep timer checks the timeouts.
#pragma once

#include "engine/load/ClientConnection.h"
#include "engine/load/LoadMetrics.h"
#include "engine/load/LoadPlan.h"
#include "engine/load/OpenLoopSchedule.h"
#include "engine/load/PreparedRequest.h"
#include "engine/load/RouteRecorder.h"
#include "engine/net/EpollEventDispatcher.h"

#include <QObject>

#include <sys/socket.h>

#include <atomic>
#include <memory>
#include <queue>
#include <random>
#include <vector>

class QTimer;

namespace perflab::load {

class GeneratorProbe;

// What every client thread of a run reads and none writes.
struct ClientShared
{
    std::shared_ptr<const RequestMix> mix;
    sockaddr_storage address{};
    socklen_t addressLength = 0;
    LoadOptions options;
    LoadFamilies *families = nullptr;
    GeneratorProbe *probe = nullptr; // each thread registers itself for its CPU figures
};

class ClientWorker final : public QObject, private net::FdHandler
{
    Q_OBJECT
public:
    static constexpr std::int64_t kLateSendNs = 1'000'000;
    static constexpr std::int64_t kConnectBackoffNs = 10'000'000;

    ClientWorker(int index, int workerCount, std::shared_ptr<const ClientShared> shared);
    ~ClientWorker() override;

    // ---- on the worker's thread (queued from LoadEngine) ----
    void start(const LoadModel &model, int connections, std::int64_t startNs);
    void applyModel(const LoadModel &model, int connections, std::int64_t atNs);
    void beginStop();  // no new requests; free connections close
    void abandonAll(); // closes everything; requests in flight count as nothing

    // ---- any thread ----
    int inFlight() const { return m_inFlight.load(std::memory_order_acquire); }

    // ---- for the connections ----
    net::EpollEventDispatcher *dispatcher() const { return m_dispatcher; }
    const RequestMix &mix() const { return *m_shared->mix; }
    const ClientShared &shared() const { return *m_shared; }
    RouteRecorder &recorder(int entry) { return *m_recorders[std::size_t(entry)]; }
    std::mt19937_64 &rng() { return m_rng; }
    std::int64_t requestTimeoutNs() const { return m_requestTimeoutNs; }
    std::int64_t connectTimeoutNs() const { return m_connectTimeoutNs; }
    metrics::Gauge *connectionsOpen() const { return m_connectionsOpen; }
    metrics::Gauge *connectionsConnecting() const { return m_connectionsConnecting; }
    void requestStarted();
    void requestAbandoned();
    // The connection's request ended (answered or failed): reuse or retire it.
    void requestEnded(ClientConnection *connection, std::int64_t nowNs);

private:
    struct Waiting
    {
        std::int64_t atNs;
        ClientConnection *connection;
        bool operator>(const Waiting &o) const { return atNs > o.atNs; }
    };

    void onFdReady(uint32_t events) override; // the timerfd
    void pump();
    void sendOn(ClientConnection *connection, std::int64_t intendedNs, std::int64_t nowNs);
    // Open loop: sendOn, and the send's lag recorded.
    void sendScheduled(ClientConnection *connection, std::int64_t intendedNs, std::int64_t nowNs);
    // Every connection goes onto the free stack through here: `sinceNs` is when it became free.
    void pushFree(ClientConnection *connection, std::int64_t sinceNs);
    bool retireIfSurplus(ClientConnection *connection);
    void armTimer(std::int64_t atNs);
    void sweep();
    bool isOpenLoop() const { return m_model.kind != LoadModelKind::Closed; }

    const int m_index;
    const int m_workerCount;
    std::shared_ptr<const ClientShared> m_shared;
    net::EpollEventDispatcher *m_dispatcher = nullptr;
    std::vector<std::unique_ptr<RouteRecorder>> m_recorders;
    metrics::Gauge *m_inFlightGauge = nullptr;
    metrics::Counter *m_sends = nullptr;
    metrics::HistogramSeries *m_sendLag = nullptr;
    metrics::Gauge *m_connectionsOpen = nullptr;
    metrics::Gauge *m_connectionsConnecting = nullptr;
    std::mt19937_64 m_rng;
    std::int64_t m_requestTimeoutNs;
    std::int64_t m_connectTimeoutNs;

    LoadModel m_model;
    OpenLoopSchedule m_schedule;
    std::uint64_t m_cursor = 0; // the next global schedule index this thread sends
    std::int64_t m_thinkNs = 0;

    std::vector<std::unique_ptr<ClientConnection>> m_connections;
    std::vector<std::unique_ptr<ClientConnection>> m_retired; // deleted by the next sweep
    int m_targetConnections = 0;
    std::vector<ClientConnection *> m_free;
    std::int64_t m_freeSinceNs = 0; // m_free has not been empty since then
    std::priority_queue<Waiting, std::vector<Waiting>, std::greater<>> m_waiting;

    int m_timerFd = -1;
    std::int64_t m_armedNs = OpenLoopSchedule::kNever;
    QTimer *m_sweepTimer = nullptr;
    bool m_pumping = false;
    bool m_pumpAgain = false;
    bool m_stopping = false;
    std::atomic<int> m_inFlight{0};
};

} // namespace perflab::load

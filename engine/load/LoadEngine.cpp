// See LoadEngine.h. The client threads are ClientWorkers (ClientWorker.h); snapshots are read
// from the registry by LoadSnapshotReader.
//
// Decisions: the target is resolved once, at start() (getaddrinfo, the first address); the
// thread count is min(options.threads, model.connections), fixed for the run, and the
// connections are spread over the threads (setModel() spreads a new count the same way);
// stop() blocks its caller for at most `grace` while the threads finish what is in flight;
// the registry is the engine's for its whole life, so a second start() keeps counting on
// top of the first run.
#include "engine/load/LoadEngine.h"

#include "engine/load/ClientWorker.h"
#include "engine/load/GeneratorProbe.h"
#include "engine/load/LoadMetrics.h"
#include "engine/load/LoadSnapshotReader.h"
#include "engine/load/MonotonicClock.h"
#include "engine/load/PreparedRequest.h"
#include "engine/net/EpollEventDispatcher.h"

#include <QDateTime>
#include <QThread>

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>

namespace perflab::load {

struct LoadEngine::Impl
{
    HttpTarget target;
    std::vector<RequestSpec> mix;
    LoadOptions options;
    metrics::Registry registry;
    LoadFamilies families = LoadFamilies::registerIn(registry);
    GeneratorProbe probe; // before the sampler, whose columns read it
    std::unique_ptr<metrics::Sampler> sampler;
    std::vector<QThread *> threads;
    std::vector<ClientWorker *> workers;
    bool running = false;
    // The connection gauges as the last run ended: after stop() they read 0, and a snapshot
    // taken then should still say how many the run had.
    std::int64_t connectionsOpenAtStop = 0;
    std::int64_t connectionsConnectingAtStop = 0;

    // Connections of worker i when the model asks for `total` over every worker.
    int connectionsFor(int worker, int total) const
    {
        const int count = int(workers.size());
        const int share = total / count + (worker < total % count ? 1 : 0);
        return std::max(1, share);
    }
};

namespace {
std::optional<QString> resolve(const HttpTarget &target, ClientShared &shared)
{
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *result = nullptr;
    const QByteArray host = target.host.toUtf8();
    const QByteArray port = QByteArray::number(target.port);
    const int error = getaddrinfo(host.constData(), port.constData(), &hints, &result);
    if (error != 0 || !result)
        return QStringLiteral("cannot resolve host '%1': %2")
            .arg(target.host, QString::fromLocal8Bit(gai_strerror(error)));
    std::memcpy(&shared.address, result->ai_addr, result->ai_addrlen);
    shared.addressLength = socklen_t(result->ai_addrlen);
    freeaddrinfo(result);
    return std::nullopt;
}
} // namespace

LoadEngine::LoadEngine(HttpTarget target, std::vector<RequestSpec> mix, LoadOptions options, QObject *parent)
    : QObject(parent), d(std::make_unique<Impl>())
{
    d->target = std::move(target);
    d->mix = std::move(mix);
    d->options = options;
    d->sampler = std::make_unique<metrics::Sampler>(d->registry, loadSamplerSpecs(&d->probe), this);
}

LoadEngine::~LoadEngine()
{
    stop(std::chrono::milliseconds(0));
}

std::optional<QString> LoadEngine::start(const LoadModel &model)
{
    if (d->running)
        return QStringLiteral("the load engine is already running");
    auto prepared = RequestMix::prepare(d->target, d->mix);
    if (auto *error = std::get_if<QString>(&prepared))
        return *error;
    auto shared = std::make_shared<ClientShared>();
    shared->mix = std::make_shared<const RequestMix>(std::get<RequestMix>(std::move(prepared)));
    shared->options = d->options;
    shared->families = &d->families;
    shared->probe = &d->probe;
    if (auto error = resolve(d->target, *shared))
        return error;

    // A thread without a connection could not send its share of an open-loop schedule.
    const int threads = std::clamp(std::min(d->options.threads, std::max(1, model.connections)), 1, 62);
    const std::int64_t startNs = monotonicNowNs();
    d->probe.start(model, startNs);
    for (int i = 0; i < threads; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("perflab-load-%1").arg(i));
        thread->setEventDispatcher(new net::EpollEventDispatcher);
        auto *worker = new ClientWorker(i, threads, shared);
        worker->moveToThread(thread);
        thread->start();
        d->threads.push_back(thread);
        d->workers.push_back(worker);
    }
    for (int i = 0; i < threads; ++i) {
        ClientWorker *worker = d->workers[std::size_t(i)];
        const int connections = d->connectionsFor(i, model.connections);
        QMetaObject::invokeMethod(
            worker, [worker, model, connections, startNs] { worker->start(model, connections, startNs); },
            Qt::QueuedConnection);
    }
    d->running = true;
    d->sampler->start();
    return std::nullopt;
}

void LoadEngine::setModel(const LoadModel &model)
{
    if (!d->running)
        return;
    // One instant for every thread, so that their strides of the schedule stay aligned.
    const std::int64_t atNs = monotonicNowNs();
    d->probe.setModel(model, atNs);
    for (int i = 0; i < int(d->workers.size()); ++i) {
        ClientWorker *worker = d->workers[std::size_t(i)];
        const int connections = d->connectionsFor(i, model.connections);
        QMetaObject::invokeMethod(
            worker, [worker, model, connections, atNs] { worker->applyModel(model, connections, atNs); },
            Qt::QueuedConnection);
    }
}

void LoadEngine::stop(std::chrono::milliseconds grace)
{
    if (!d->running)
        return;
    d->running = false;
    d->connectionsOpenAtStop = d->families.connectionsOpen.series()->value();
    d->connectionsConnectingAtStop = d->families.connectionsConnecting.series()->value();
    // Blocking: once it returns no thread sends again, so in-flight counts only go down.
    for (ClientWorker *worker : d->workers)
        QMetaObject::invokeMethod(worker, &ClientWorker::beginStop, Qt::BlockingQueuedConnection);
    // The run ends here for what was asked and the threads' CPU: the grace below only drains.
    d->probe.stop(monotonicNowNs());
    // Blocks the caller for at most `grace`: the client threads finish on their own loops.
    const std::int64_t deadline = monotonicNowNs() + std::int64_t(grace.count()) * 1'000'000;
    for (;;) {
        const bool busy = std::any_of(d->workers.begin(), d->workers.end(),
                                      [](ClientWorker *w) { return w->inFlight() > 0; });
        if (!busy || monotonicNowNs() >= deadline)
            break;
        QThread::msleep(2);
    }
    for (std::size_t i = 0; i < d->workers.size(); ++i) {
        ClientWorker *worker = d->workers[i];
        QMetaObject::invokeMethod(
            worker, [worker] { delete worker; }, Qt::BlockingQueuedConnection);
        d->threads[i]->quit();
        d->threads[i]->wait();
        delete d->threads[i];
    }
    d->workers.clear();
    d->threads.clear();
    d->sampler->stop();
}

bool LoadEngine::isRunning() const
{
    return d->running;
}

const std::vector<RequestSpec> &LoadEngine::mix() const
{
    return d->mix;
}

LoadSnapshot LoadEngine::snapshot() const
{
    std::vector<QString> routes;
    routes.reserve(d->mix.size());
    for (const RequestSpec &spec : d->mix)
        routes.push_back(spec.name());
    // The probe first: asked is read at its instant, and what was sent by then is counted after.
    GeneratorStats generator;
    d->probe.readInto(generator);
    LoadSnapshot snapshot = readLoadSnapshot(d->families, routes, QDateTime::currentMSecsSinceEpoch());
    snapshot.generator = std::move(generator);
    readGeneratorCounters(d->families, snapshot.generator);
    if (!d->running) {
        snapshot.generator.connectionsOpen = d->connectionsOpenAtStop;
        snapshot.generator.connectionsConnecting = d->connectionsConnectingAtStop;
    }
    for (const RouteStats &route : snapshot.routes) {
        const auto connect = route.errors.find(QString::fromLatin1(ErrorKind::Connect));
        if (connect != route.errors.end())
            snapshot.generator.connectFailures += connect->second;
    }
    return snapshot;
}

metrics::Registry &LoadEngine::registry()
{
    return d->registry;
}

metrics::Sampler &LoadEngine::sampler()
{
    return *d->sampler;
}

} // namespace perflab::load

// See LoadMetrics.h.
#include "engine/load/LoadMetrics.h"

#include "engine/load/GeneratorProbe.h"
#include "engine/load/LoadSnapshot.h"

#include <algorithm>
#include <memory>

namespace perflab::load {

namespace {
QString name(const char *latin1)
{
    return QString::fromLatin1(latin1);
}

// Requests the schedule intended since the previous call.
std::function<double()> askedInInterval(GeneratorProbe *probe)
{
    if (!probe)
        return {};
    auto previous = std::make_shared<double>(0.0);
    return [probe, previous] {
        const double asked = probe->read().asked;
        const double interval = std::max(0.0, asked - *previous);
        *previous = asked;
        return interval;
    };
}

// The busiest client thread's share of the time since the previous reading, in %: on a CPU
// (cpu), and on a CPU or waiting for one (busy). The busiest, not the mean: one saturated
// thread of several already keeps its stride of the schedule late. Both columns come from one
// reading of the probe per sample — the cpu column reads, the busy column (next in the spec
// list) takes what that reading gave — so busy >= cpu holds in every sample: two readings a
// few microseconds apart would each cover a slightly different interval.
struct ThreadShares
{
    std::int64_t elapsedNs = 0;
    std::vector<ClientThreadTime> threads;
    double busyPercent = 0; // of the last reading
};

std::function<double()> busiestThreadCpuPercent(GeneratorProbe *probe, std::shared_ptr<ThreadShares> shares)
{
    if (!probe)
        return {};
    return [probe, shares] {
        GeneratorProbe::Reading now = probe->read();
        const double intervalNs = double(now.elapsedNs - shares->elapsedNs);
        double cpuNs = 0;
        double busyNs = 0;
        for (std::size_t i = 0; i < now.threads.size(); ++i) {
            const ClientThreadTime before =
                i < shares->threads.size() ? shares->threads[i] : ClientThreadTime{};
            const double cpu = double(now.threads[i].cpuNs - before.cpuNs);
            cpuNs = std::max(cpuNs, cpu);
            busyNs = std::max(busyNs, cpu + double(now.threads[i].runWaitNs - before.runWaitNs));
        }
        shares->elapsedNs = now.elapsedNs;
        shares->threads = std::move(now.threads);
        auto percent = [intervalNs](double ns) {
            return intervalNs > 0 ? std::min(100.0, 100.0 * ns / intervalNs) : 0.0;
        };
        shares->busyPercent = percent(busyNs);
        return percent(cpuNs);
    };
}

std::function<double()> busiestThreadBusyPercent(GeneratorProbe *probe, std::shared_ptr<ThreadShares> shares)
{
    if (!probe)
        return {};
    return [shares] { return shares->busyPercent; };
}
} // namespace

LoadFamilies LoadFamilies::registerIn(metrics::Registry &registry)
{
    const QStringList route{QStringLiteral("route")};
    return LoadFamilies{
        registry.histogramFamily(
            name(LoadMetricNames::Latency),
            QStringLiteral(
                "Load client latency from the intended send time (coordinated omission corrected)."),
            route),
        registry.histogramFamily(name(LoadMetricNames::LatencyUncorrected),
                                 QStringLiteral("Load client latency from the actual send time."), route),
        registry.counterFamily(name(LoadMetricNames::Responses),
                               QStringLiteral("Complete responses received."),
                               {QStringLiteral("route"), QStringLiteral("status")}),
        registry.counterFamily(
            name(LoadMetricNames::Errors),
            QStringLiteral(
                "Failed requests by kind (connect, timeout, reset, protocol, status_4xx, status_5xx)."),
            {QStringLiteral("route"), QStringLiteral("kind")}),
        registry.counterFamily(name(LoadMetricNames::BytesReceived),
                               QStringLiteral("Response bytes received, head and body."), route),
        registry.counterFamily(
            name(LoadMetricNames::LateSends),
            QStringLiteral("Open loop: requests sent more than 1 ms after their intended time."), route),
        registry.counterFamily(name(LoadMetricNames::ServerTimingUs),
                               QStringLiteral("Sum of the Server-Timing dur of each part, in microseconds."),
                               {QStringLiteral("route"), QStringLiteral("part")}),
        registry.counterFamily(name(LoadMetricNames::ServerTimingResponses),
                               QStringLiteral("Responses that carried each Server-Timing part."),
                               {QStringLiteral("route"), QStringLiteral("part")}),
        registry.gaugeFamily(name(LoadMetricNames::InFlight),
                             QStringLiteral("Requests sent and not yet answered.")),
        registry.counterFamily(name(LoadMetricNames::Sends),
                               QStringLiteral("Requests handed to a connection.")),
        registry.histogramFamily(
            name(LoadMetricNames::SendLag),
            QStringLiteral(
                "Open loop: how late each send left against its intended time, once a connection was free.")),
        registry.gaugeFamily(name(LoadMetricNames::ConnectionsOpen), QStringLiteral("Connected sockets.")),
        registry.gaugeFamily(name(LoadMetricNames::ConnectionsConnecting),
                             QStringLiteral("Connections connecting, or waiting to retry a failed connect.")),
    };
}

std::vector<metrics::SeriesSpec> loadSamplerSpecs(GeneratorProbe *probe)
{
    using metrics::SeriesSpec;
    auto shares = std::make_shared<ThreadShares>();
    return {
        SeriesSpec::counterDelta(QStringLiteral("requests"), name(LoadMetricNames::Responses)),
        SeriesSpec::counterDelta(QStringLiteral("errors"), name(LoadMetricNames::Errors)),
        SeriesSpec::latencySummary(QStringLiteral("latency"), name(LoadMetricNames::Latency)),
        SeriesSpec::latencySummary(QStringLiteral("latency_uncorrected"),
                                   name(LoadMetricNames::LatencyUncorrected)),
        SeriesSpec::counterDelta(QStringLiteral("bytes_in"), name(LoadMetricNames::BytesReceived)),
        SeriesSpec::gaugeValue(QStringLiteral("in_flight"), name(LoadMetricNames::InFlight)),
        SeriesSpec::counterDelta(QStringLiteral("late_sends"), name(LoadMetricNames::LateSends)),
        SeriesSpec::computed(QStringLiteral("sends_asked"), askedInInterval(probe)),
        SeriesSpec::counterDelta(QStringLiteral("sends"), name(LoadMetricNames::Sends)),
        SeriesSpec::latencySummary(QStringLiteral("send_lag"), name(LoadMetricNames::SendLag)),
        // In this order: the busy column takes the reading the cpu column made (see above).
        SeriesSpec::computed(QStringLiteral("thread_cpu_max_pct"), busiestThreadCpuPercent(probe, shares)),
        SeriesSpec::computed(QStringLiteral("thread_busy_max_pct"), busiestThreadBusyPercent(probe, shares)),
        SeriesSpec::gaugeValue(QStringLiteral("connections_open"), name(LoadMetricNames::ConnectionsOpen)),
        SeriesSpec::gaugeValue(QStringLiteral("connections_connecting"),
                               name(LoadMetricNames::ConnectionsConnecting)),
        SeriesSpec::counterDelta(
            QStringLiteral("connect_errors"), name(LoadMetricNames::Errors),
            {metrics::LabelMatcher(QStringLiteral("kind"), QString::fromLatin1(ErrorKind::Connect))}),
    };
}

} // namespace perflab::load

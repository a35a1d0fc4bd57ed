// See LoadMetrics.h.
#include "load/LoadMetrics.h"

#include "load/GeneratorProbe.h"
#include "load/LoadSnapshot.h"

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

// The busiest client thread's share of the time since the previous call, in %: on a CPU, or
// on a CPU and waiting for one. The busiest, not the mean: one saturated thread of several
// already keeps its stride of the schedule late.
std::function<double()> busiestThreadPercent(GeneratorProbe *probe, bool withRunWait)
{
    if (!probe)
        return {};
    struct Previous
    {
        std::int64_t elapsedNs = 0;
        std::vector<ClientThreadTime> threads;
    };
    auto previous = std::make_shared<Previous>();
    return [probe, withRunWait, previous] {
        GeneratorProbe::Reading now = probe->read();
        const double intervalNs = double(now.elapsedNs - previous->elapsedNs);
        double busiestNs = 0;
        for (std::size_t i = 0; i < now.threads.size(); ++i) {
            const ClientThreadTime before = i < previous->threads.size() ? previous->threads[i] : ClientThreadTime{};
            double used = double(now.threads[i].cpuNs - before.cpuNs);
            if (withRunWait)
                used += double(now.threads[i].runWaitNs - before.runWaitNs);
            busiestNs = std::max(busiestNs, used);
        }
        previous->elapsedNs = now.elapsedNs;
        previous->threads = std::move(now.threads);
        return intervalNs > 0 ? std::min(100.0, 100.0 * busiestNs / intervalNs) : 0.0;
    };
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
        registry.counterFamily(name(LoadMetricNames::Sends), QStringLiteral("Requests handed to a connection.")),
        registry.histogramFamily(
            name(LoadMetricNames::SendLag),
            QStringLiteral("Open loop: how late each send left against its intended time, once a connection was free.")),
        registry.gaugeFamily(name(LoadMetricNames::ConnectionsOpen), QStringLiteral("Connected sockets.")),
        registry.gaugeFamily(name(LoadMetricNames::ConnectionsConnecting),
                             QStringLiteral("Connections connecting, or waiting to retry a failed connect.")),
    };
}

std::vector<metrics::SeriesSpec> loadSamplerSpecs(GeneratorProbe *probe)
{
    using metrics::SeriesSpec;
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
        SeriesSpec::computed(QStringLiteral("thread_cpu_max_pct"), busiestThreadPercent(probe, false)),
        SeriesSpec::computed(QStringLiteral("thread_busy_max_pct"), busiestThreadPercent(probe, true)),
        SeriesSpec::gaugeValue(QStringLiteral("connections_open"), name(LoadMetricNames::ConnectionsOpen)),
        SeriesSpec::gaugeValue(QStringLiteral("connections_connecting"), name(LoadMetricNames::ConnectionsConnecting)),
        SeriesSpec::counterDelta(QStringLiteral("connect_errors"), name(LoadMetricNames::Errors),
                                 {metrics::LabelMatcher(QStringLiteral("kind"), QString::fromLatin1(ErrorKind::Connect))}),
    };
}

} // namespace perflab::load

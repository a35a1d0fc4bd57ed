// See LoadMetrics.h.
#include "load/LoadMetrics.h"

namespace perflab::load {

namespace {
QString name(const char *latin1)
{
    return QString::fromLatin1(latin1);
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
    };
}

std::vector<metrics::SeriesSpec> loadSamplerSpecs()
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
    };
}

} // namespace perflab::load

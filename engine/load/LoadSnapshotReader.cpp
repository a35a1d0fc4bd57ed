// See LoadSnapshotReader.h.
#include "engine/load/LoadSnapshotReader.h"

namespace perflab::load {

namespace {
// Calls f(labelValues, counter) for every series of `family` whose first label is `route`.
template <typename F> void forRoute(const metrics::CounterFamily &family, const QString &route, F &&f)
{
    for (const auto &entry : family.seriesList()) {
        if (!entry.labelValues.isEmpty() && entry.labelValues.first() == route)
            f(entry.labelValues, *entry.series);
    }
}

std::uint64_t sumForRoute(const metrics::CounterFamily &family, const QString &route)
{
    std::uint64_t total = 0;
    forRoute(family, route, [&total](const QStringList &, const metrics::Counter &c) { total += c.value(); });
    return total;
}

template <typename Family> auto *findSeries(const Family &family, const QString &route)
{
    for (const auto &entry : family.seriesList()) {
        if (entry.labelValues.size() == 1 && entry.labelValues.first() == route)
            return entry.series;
    }
    return static_cast<decltype(family.seriesList().front().series)>(nullptr);
}
} // namespace

LoadSnapshot readLoadSnapshot(const LoadFamilies &families, const std::vector<QString> &routes,
                              qint64 timestampMs)
{
    LoadSnapshot snapshot;
    snapshot.timestampMs = timestampMs;
    for (const QString &route : routes) {
        RouteStats stats;
        stats.route = route;
        if (const auto *series = findSeries(families.latency, route))
            series->snapshotInto(stats.corrected);
        if (const auto *series = findSeries(families.latencyUncorrected, route))
            series->snapshotInto(stats.uncorrected);
        forRoute(families.responses, route, [&stats](const QStringList &labels, const metrics::Counter &c) {
            const std::uint64_t n = c.value();
            stats.responses += n;
            if (n > 0)
                stats.statusCounts[labels.at(1).toInt()] += n;
        });
        forRoute(families.errors, route, [&stats](const QStringList &labels, const metrics::Counter &c) {
            if (const std::uint64_t n = c.value())
                stats.errors[labels.at(1)] += n;
        });
        stats.bytesReceived = sumForRoute(families.bytesReceived, route);
        stats.lateSends = sumForRoute(families.lateSends, route);
        forRoute(families.serverTimingResponses, route,
                 [&stats](const QStringList &labels, const metrics::Counter &c) {
                     stats.serverTiming[labels.at(1)].count += c.value();
                 });
        forRoute(families.serverTimingUs, route,
                 [&stats](const QStringList &labels, const metrics::Counter &c) {
                     stats.serverTiming[labels.at(1)].totalMs += double(c.value()) / 1000.0;
                 });
        snapshot.routes.push_back(std::move(stats));
    }
    return snapshot;
}

void readGeneratorCounters(const LoadFamilies &families, GeneratorStats &stats)
{
    stats.sent = 0;
    for (const auto &entry : families.sends.seriesList())
        stats.sent += entry.series->value();
    stats.sendLag.reset();
    for (const auto &entry : families.sendLag.seriesList())
        entry.series->addCumulativeTo(stats.sendLag);
    stats.connectionsOpen = 0;
    for (const auto &entry : families.connectionsOpen.seriesList())
        stats.connectionsOpen += entry.series->value();
    stats.connectionsConnecting = 0;
    for (const auto &entry : families.connectionsConnecting.seriesList())
        stats.connectionsConnecting += entry.series->value();
}

} // namespace perflab::load

// RouteStats arithmetic: merging routes into the total and subtracting a phase's start
// snapshot from its end snapshot.
#include "engine/load/LoadSnapshot.h"

#include <algorithm>

namespace perflab::load {

namespace {

std::uint64_t minusClamped(std::uint64_t a, std::uint64_t b)
{
    return a > b ? a - b : 0;
}

// this - earlier for every key; keys that drop to 0 are removed, so a phase lists only
// the statuses and errors that happened in it.
template <typename Key>
void subtractCounts(std::map<Key, std::uint64_t> &counts, const std::map<Key, std::uint64_t> &earlier)
{
    for (const auto &[key, count] : earlier) {
        const auto it = counts.find(key);
        if (it == counts.end())
            continue;
        it->second = minusClamped(it->second, count);
        if (it->second == 0)
            counts.erase(it);
    }
}

template <typename Key>
void addCounts(std::map<Key, std::uint64_t> &counts, const std::map<Key, std::uint64_t> &other)
{
    for (const auto &[key, count] : other)
        counts[key] += count;
}

} // namespace

std::uint64_t RouteStats::errorCount() const
{
    std::uint64_t total = 0;
    for (const auto &[kind, count] : errors)
        total += count;
    return total;
}

std::uint64_t RouteStats::transportErrors() const
{
    std::uint64_t total = 0;
    for (const char *kind : {ErrorKind::Connect, ErrorKind::Timeout, ErrorKind::Reset, ErrorKind::Protocol}) {
        const auto it = errors.find(QString::fromLatin1(kind));
        if (it != errors.end())
            total += it->second;
    }
    return total;
}

void RouteStats::add(const RouteStats &other)
{
    corrected.add(other.corrected);
    uncorrected.add(other.uncorrected);
    responses += other.responses;
    addCounts(statusCounts, other.statusCounts);
    addCounts(errors, other.errors);
    bytesReceived += other.bytesReceived;
    lateSends += other.lateSends;
    for (const auto &[name, part] : other.serverTiming) {
        ServerTimingPart &mine = serverTiming[name];
        mine.totalMs += part.totalMs;
        mine.count += part.count;
    }
}

void RouteStats::subtract(const RouteStats &earlier)
{
    corrected.subtract(earlier.corrected);
    uncorrected.subtract(earlier.uncorrected);
    responses = minusClamped(responses, earlier.responses);
    subtractCounts(statusCounts, earlier.statusCounts);
    subtractCounts(errors, earlier.errors);
    bytesReceived = minusClamped(bytesReceived, earlier.bytesReceived);
    lateSends = minusClamped(lateSends, earlier.lateSends);
    for (const auto &[name, part] : earlier.serverTiming) {
        const auto it = serverTiming.find(name);
        if (it == serverTiming.end())
            continue;
        it->second.count = minusClamped(it->second.count, part.count);
        it->second.totalMs = std::max(0.0, it->second.totalMs - part.totalMs);
        if (it->second.count == 0)
            serverTiming.erase(it);
    }
}

RouteStats LoadSnapshot::total() const
{
    RouteStats all;
    all.route = QStringLiteral("all");
    for (const RouteStats &route : routes)
        all.add(route);
    return all;
}

LoadSnapshot LoadSnapshot::between(const LoadSnapshot &later, const LoadSnapshot &earlier)
{
    LoadSnapshot result = later;
    for (std::size_t i = 0; i < result.routes.size(); ++i) {
        RouteStats &route = result.routes[i];
        // Same mix, so normally the same index; looked up by name if the order differs.
        const RouteStats *before = nullptr;
        if (i < earlier.routes.size() && earlier.routes[i].route == route.route) {
            before = &earlier.routes[i];
        } else {
            const auto it = std::find_if(earlier.routes.begin(), earlier.routes.end(),
                                         [&route](const RouteStats &r) { return r.route == route.route; });
            if (it != earlier.routes.end())
                before = &*it;
        }
        if (before)
            route.subtract(*before);
    }
    result.generator.subtract(earlier.generator);
    return result;
}

} // namespace perflab::load

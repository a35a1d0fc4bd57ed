// LoadSnapshot: the cumulative statistics of a load run at one moment, per route (request
// mix entry), read from the load engine's metrics registry. A phase's statistics are the
// difference of the snapshots taken at its start and its end (LoadSnapshot::between), so
// phases are kept apart without the workers knowing about phases. Plain values. Beside the
// routes, what the generator measured about itself (GeneratorStats.h), kept apart the same way.
#pragma once

#include "engine/load/GeneratorStats.h"
#include "engine/metrics/LatencyHistogram.h"

#include <QString>

#include <cstdint>
#include <map>
#include <vector>

namespace perflab::load {

// Error kinds, as labels of load_errors_total and keys of RouteStats::errors.
namespace ErrorKind {
inline constexpr char Connect[] = "connect";   // connect() failed or timed out
inline constexpr char Timeout[] = "timeout";   // no complete response within the timeout
inline constexpr char Reset[] = "reset";       // the connection closed or reset mid-request
inline constexpr char Protocol[] = "protocol"; // a response that is not valid HTTP/1.1
inline constexpr char Status4xx[] = "status_4xx";
inline constexpr char Status5xx[] = "status_5xx";
} // namespace ErrorKind

struct ServerTimingPart
{
    double totalMs = 0;      // sum of `dur` over the responses that carried this part
    std::uint64_t count = 0; // responses that carried it
    double meanMs() const { return count ? totalMs / double(count) : 0.0; }
};

struct RouteStats
{
    QString route; // RequestSpec::name(), or "all" for the total

    // Latency in µs. Corrected: from the intended send time (open and stages models; in the
    // closed model it equals the uncorrected one). Uncorrected: from the actual send.
    metrics::LatencyHistogram corrected;
    metrics::LatencyHistogram uncorrected;

    std::uint64_t responses = 0;                      // complete responses, any status
    std::map<int, std::uint64_t> statusCounts;        // status code -> responses
    std::map<QString, std::uint64_t> errors;          // ErrorKind -> count (4xx/5xx included)
    std::uint64_t bytesReceived = 0;                  // response bytes, head and body
    std::uint64_t lateSends = 0;                      // open loop: sent > 1 ms after intended
    std::map<QString, ServerTimingPart> serverTiming; // Server-Timing part name -> total

    std::uint64_t errorCount() const;      // all errors (transport errors and 4xx/5xx)
    std::uint64_t transportErrors() const; // connect + timeout + reset + protocol

    void add(const RouteStats &other);        // merge (for the total)
    void subtract(const RouteStats &earlier); // this - earlier, per count
};

struct LoadSnapshot
{
    qint64 timestampMs = 0;         // when taken, ms since the epoch
    std::vector<RouteStats> routes; // in request mix order
    GeneratorStats generator;

    RouteStats total() const; // every route merged, route "all"
    // later - earlier, route by route (same mix), and the generator's figures; timestampMs is
    // later's.
    static LoadSnapshot between(const LoadSnapshot &later, const LoadSnapshot &earlier);
};

} // namespace perflab::load

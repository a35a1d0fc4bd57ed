// LoadMetrics: the metric families of a load run (one Registry per LoadEngine) and the
// sampler columns the live charts and reports read.
//
//   load_latency_seconds{route}              histogram (µs), from the intended send time
//   load_latency_uncorrected_seconds{route}  histogram (µs), from the actual send
//   load_responses_total{route,status}       complete responses, any status
//   load_errors_total{route,kind}            ErrorKind (LoadSnapshot.h); 4xx/5xx included
//   load_bytes_received_total{route}         response bytes, head and body
//   load_late_sends_total{route}             open loop: sent > 1 ms after the intended time
//   load_server_timing_us_total{route,part}  sum of Server-Timing `dur` per part, in µs
//   load_server_timing_responses_total{route,part}  responses that carried the part
//   load_in_flight                           gauge: requests sent and not answered
//   load_sends_total                         requests handed to a connection (either model)
//   load_send_lag_seconds                    histogram (µs), open loop: how late each send left
//                                            (GeneratorStats.h says from when)
//   load_connections_open                    gauge: connected sockets
//   load_connections_connecting              gauge: connecting, or waiting to retry a failed connect
//
// Sample columns: requests, errors, latency_* (corrected), latency_uncorrected_*, bytes_in,
// in_flight, late_sends; then the generator's own: sends_asked (open loop: requests the
// schedule intended in the interval; 0 in a closed loop), sends, send_lag_* (ms),
// thread_cpu_max_pct (the busiest client thread's time on a CPU, % of the interval),
// thread_busy_max_pct (the same plus its time waiting for a CPU), connections_open,
// connections_connecting, connect_errors.
#pragma once

#include "engine/metrics/Registry.h"
#include "engine/metrics/Sample.h"

#include <vector>

namespace perflab::load {

class GeneratorProbe;

namespace LoadMetricNames {
inline constexpr char Latency[] = "load_latency_seconds";
inline constexpr char LatencyUncorrected[] = "load_latency_uncorrected_seconds";
inline constexpr char Responses[] = "load_responses_total";
inline constexpr char Errors[] = "load_errors_total";
inline constexpr char BytesReceived[] = "load_bytes_received_total";
inline constexpr char LateSends[] = "load_late_sends_total";
inline constexpr char ServerTimingUs[] = "load_server_timing_us_total";
inline constexpr char ServerTimingResponses[] = "load_server_timing_responses_total";
inline constexpr char InFlight[] = "load_in_flight";
inline constexpr char Sends[] = "load_sends_total";
inline constexpr char SendLag[] = "load_send_lag_seconds";
inline constexpr char ConnectionsOpen[] = "load_connections_open";
inline constexpr char ConnectionsConnecting[] = "load_connections_connecting";
} // namespace LoadMetricNames

// The families, registered once per Registry (registering again returns the same ones).
struct LoadFamilies
{
    metrics::HistogramFamily &latency;
    metrics::HistogramFamily &latencyUncorrected;
    metrics::CounterFamily &responses;
    metrics::CounterFamily &errors;
    metrics::CounterFamily &bytesReceived;
    metrics::CounterFamily &lateSends;
    metrics::CounterFamily &serverTimingUs;
    metrics::CounterFamily &serverTimingResponses;
    metrics::GaugeFamily &inFlight;
    metrics::CounterFamily &sends;
    metrics::HistogramFamily &sendLag;
    metrics::GaugeFamily &connectionsOpen;
    metrics::GaugeFamily &connectionsConnecting;

    static LoadFamilies registerIn(metrics::Registry &registry);
};

// The sampler's columns (see the file comment). The columns the registry does not hold
// (sends_asked, thread_*_pct) read `probe`; without one (a schema for tests) they read 0.
std::vector<metrics::SeriesSpec> loadSamplerSpecs(GeneratorProbe *probe = nullptr);

} // namespace perflab::load

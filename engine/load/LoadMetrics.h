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
//
// Sample columns: requests, errors, latency_* (corrected), latency_uncorrected_*, bytes_in,
// in_flight, late_sends.
#pragma once

#include "metrics/Registry.h"
#include "metrics/Sample.h"

#include <vector>

namespace perflab::load {

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

    static LoadFamilies registerIn(metrics::Registry &registry);
};

// The sampler's columns (see the file comment).
std::vector<metrics::SeriesSpec> loadSamplerSpecs();

} // namespace perflab::load

// `perflab load`: a quick ad-hoc load test in the manner of wrk2. Runs the load
// engine for the duration, then prints the result as wrk2 does (latency percentiles corrected
// for coordinated omission beside the uncorrected ones, requests/s, transfer/s, errors by
// kind, status counts), or as one JSON object with --json:
//
//   {"url", "model": "closed"|"open", "connections", "threads", "rate" (open only),
//    "requests": complete responses of any status, "duration_s", "requests_per_s",
//    "bytes_received", "transfer_bytes_per_s", "late_sends",
//    "errors": {"connect", "timeout", "reset", "protocol", "status_4xx", "status_5xx", "total"},
//    "status_counts": {"200": n, ...},
//    "latency_ms": {"p50", "p90", "p99", "p999", "max", "mean"},   (from the intended send)
//    "latency_uncorrected_ms": {same keys},                        (from the actual send)
//    "trust": the generator's verdict on itself (report/TrustReport.h)}
// The text ends with the same verdict as a block ("Trust: ..."). In a terminal (stderr a tty,
// no --json) a progress line on stderr is rewritten a few times a second (ProgressLine.h).
//
// Exit codes: 0; 2 bad flags (LoadArguments); 3 when not one response came back (the target
// is unreachable: the connect errors are still reported); 4 when the generator was the limit
// (load/GeneratorTrust.h), with the reasons on stderr.
#pragma once

#include "LoadArguments.h"

namespace perflab::app {

int runLoad(const LoadCommandOptions &options);

} // namespace perflab::app

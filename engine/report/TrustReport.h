// TrustReport: the generator's verdict on itself (load/GeneratorTrust.h) as the commands and
// report files show it. One function per form, so `perflab load`, `perflab run`, run.json,
// report.html and report.pdf say the same.
//
// The `trust` object (perflab load --json; run.json, each phase):
//   model            "open" | "closed"
//   duration_s       the window the figures cover (the generator's running time)
//   asked            requests the schedule intended (null in a closed loop: no asked rate)
//   asked_per_s      null in a closed loop
//   sent             requests handed to a connection
//   achieved_per_s   sent / duration_s
//   achieved_share   sent / asked (null in a closed loop)
//   send_lag_ms      {count, p50, p99, max} (null in a closed loop)
//   send_lag_bound_ms  what p99 is held to (null in a closed loop)
//   client_threads   [{thread, cpu_share, run_wait_share, busy_share}] (shares of duration_s;
//                    run_wait_share null when the kernel does not report it; [] when the
//                    threads' CPU could not be read)
//   connections      {open, connecting, connect_failures} (open and connecting at the end)
//   verdict          "ok" | "generator_limited"
//   generator_limited  the same as a boolean
//   reasons          [text, ...] the rules broken, empty when ok
//   notes            [text, ...] what is worth knowing without being the generator's doing (a
//                    shortfall of busy connections), empty when there is none
//   text             the verdict in words, as the text output prints it
#pragma once

#include "engine/load/GeneratorTrust.h"

#include <QJsonObject>
#include <QStringList>

namespace perflab::report {

QJsonObject trustJson(const load::GeneratorTrust &trust);

// The text block, one line each, unindented:
//   generator (open loop)
//   asked 2000.0 req/s, sent 1999.6 req/s (100.0 %)
//   send lag once a connection was free: p50 0.06, p99 0.21, max 1.52 ms (bound 10.00 ms)
//   client thread CPU: #0 4.1 % (+0.2 % waiting for a CPU)
//   connections: 50 open, 0 connecting, 0 failed connects
//   verdict: ok: the generator sent what was asked, on time, with CPU to spare
QStringList trustTextLines(const load::GeneratorTrust &trust);

// Pieces of the block, for tables: "2000.0 req/s" or "none (closed loop)"; "1999.6 req/s
// (100.0 %)"; "p50 0.06, p99 0.21, max 1.52 ms (bound 10.00 ms)"; "#0 4.1 % (+0.2 % waiting
// for a CPU)".
QString askedText(const load::GeneratorTrust &trust);
QString achievedText(const load::GeneratorTrust &trust);
QString sendLagText(const load::GeneratorTrust &trust);
QString clientCpuText(const load::GeneratorTrust &trust);

} // namespace perflab::report

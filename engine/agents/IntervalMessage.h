// What an agent sends every 100 ms: the counts of one interval of its load (not cumulative
// figures, so a lost message loses 100 ms, not the run), per route of the plan's mix, with the
// latency histograms in HdrHistogram's V2 compressed encoding (base64) — the format
// HdrHistogram's own libraries exchange — and its own trust figures for the interval:
//   {"agent": "a1", "seq": 17, "phase": 0, "last": false, "final": false, "to_ms": T,
//    "routes": [{"i": 0, "corrected": "HISTFAAA...", "uncorrected": "...", "responses": 97,
//                "status": {"200": 97}, "errors": {"timeout": 1}, "bytes": 21340, "late": 0,
//                "timing": {"db": [812.5, 97]}}],
//    "generator": {"elapsed_ns": N, "asked": 100.2, "sent": 100, "send_lag": "...",
//                  "threads": [[cpu_ns, run_wait_ns]], "cpu_known": true, "run_wait_known": true,
//                  "open": 21, "connecting": 0, "connect_failures": 0}}
// An agent that cannot start its load sends one final message with "error": "why".
// Routes without a request in the interval are left out. "last" marks an agent's last interval
// of a phase (the agent cuts its intervals at the phase boundaries of the plan, so each phase's
// figures are exact), "final" its last of the run.
//
// Messages come from the network: decoding checks every field (types, ranges, route indexes,
// status codes, error kinds, histograms through the V2 decoder's own checks) and names the
// first wrong one; nothing in a message can make the coordinator allocate without bound.
#pragma once

#include "engine/load/LoadSnapshot.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <variant>
#include <vector>

namespace perflab::agents {

inline constexpr qsizetype kMaxIntervalBytes = 4 * 1024 * 1024;

struct IntervalMessage
{
    QString agent;
    std::uint64_t seq = 0;
    int phase = 0;
    bool lastOfPhase = false;
    bool final = false;
    qint64 toMs = 0;                      // when the interval ended, ms since the epoch (the agent's clock)
    std::vector<load::RouteStats> routes; // one per route of the mix, in its order
    load::GeneratorStats generator;       // the interval's figures; the gauges as it ended
    QString error; // the agent could not send its share ("cannot resolve host …"); final with it
};

QByteArray encodeInterval(const IntervalMessage &message);
// `routeNames`: the plan's mix in order; `phaseCount`: the plan's phases.
std::variant<IntervalMessage, QString> decodeInterval(const QByteArray &bytes,
                                                      const std::vector<QString> &routeNames, int phaseCount);

} // namespace perflab::agents

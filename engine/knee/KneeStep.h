// KneeStep: one step of a capacity search (KneeFinder) — the open-loop rate it offered and
// what came back during its measured part — and the reasons a step fails or a search ends.
// Plain values: the stopping rule (KneeRule) reads them, the outputs print them.
#pragma once

#include <QString>

#include <cstdint>

namespace perflab::knee {

// Why a step failed (the first three), or why the search ended (all of them).
enum class KneeReason {
    None,             // the step passed
    Errors,           // the error share was over its bound
    RateNotFollowed,  // responses per second fell below the share of the offered rate
    LatencyKnee,      // p99 (corrected for coordinated omission) was over its bound
    MaxRateSustained, // the search reached --max-rate and that step passed
    SweepCompleted,   // a concurrency sweep ran every concurrency of its plan
    Interrupted,      // Ctrl+C: the search ended before its rule did
};

// "errors", "rate_not_followed", "p99_over_bound", "max_rate_sustained", "sweep_completed",
// "interrupted"
// (stopped_because and each step's verdict in knee.json); "passed" for None.
QString reasonKey(KneeReason reason);
// The same in words, for the terminal and knee.html.
QString reasonText(KneeReason reason);

enum class StepKind {
    Rise,   // the next rate of the rising sequence
    Refine, // a rate between the last step that passed and the first that failed
    Sweep,  // a closed-loop step of a concurrency sweep (no rate: `concurrency` clients)
};
QString stepKindKey(StepKind kind); // "rise", "refine", "sweep"

struct KneeStep
{
    StepKind kind = StepKind::Rise;
    double offeredRps = 0;  // the open-loop rate the step asked for (0 in a sweep step)
    int concurrency = 0;    // a sweep step's clients, each sending as soon as answered
    double measuredS = 0;   // length of the measured part (after the warm-up)
    double achievedRps = 0; // complete responses (any status) per second of the measured part
    std::uint64_t responses = 0;
    std::uint64_t requests = 0; // responses + transport errors
    std::uint64_t errors = 0;   // transport errors + 4xx/5xx responses
    double errorShare = 0;      // errors / requests, 0 without requests
    double p50Ms = 0;           // corrected: from the intended send time
    double p99Ms = 0;
    double maxMs = 0;
    double p99UncorrectedMs = 0;           // from the actual send, for comparison
    KneeReason verdict = KneeReason::None; // judgeStep() as the search saw it

    bool passed() const { return verdict == KneeReason::None; }
};

} // namespace perflab::knee

// KneeResult: a finished capacity search as the outputs need it (the terminal table,
// knee.json, knee.html and the charts): the search's settings, every step in the order it
// ran, and the outcome of the stopping rule. Plain values.
#pragma once

#include "engine/knee/KneeRule.h"
#include "engine/knee/UslFit.h"
#include "engine/report/RunReport.h"

#include <QStringList>

#include <chrono>
#include <optional>
#include <vector>

namespace perflab::knee {

// How a search runs: the rates and bounds of KneeRule, and how each step is loaded.
struct KneeSearch
{
    RatePlan plan;
    KneeBounds bounds;
    double stepS = 5;     // each step's length, warm-up included
    double warmupS = 1;   // its first part, not measured
    int connections = 64; // the open loop's connection pool (one request at a time each);
                          // a sweep's largest concurrency
    int threads = 1;      // client threads
    // A closed-loop concurrency sweep (SweepPlan) fitted to the USL instead of the rate search.
    bool concurrencySweep = false;
    std::chrono::milliseconds timeout{10'000}; // per request
};

struct KneeResult
{
    QString targetArgument; // the URL or scenario as given on the command line
    QString url;            // where the load went
    bool embedded = false;  // an embedded lab started for the search
    QStringList routes;     // the request mix, as route labels ("GET /limited")
    KneeSearch search;
    std::vector<KneeStep> steps; // in the order they ran
    KneeReason stoppedBecause = KneeReason::None;
    double capacityRps = 0;
    std::optional<std::size_t> capacityStep; // the highest rate that passed, if any
    std::optional<std::size_t> kneeStep;     // the lowest rate that failed, if any
    // A sweep: capacityRps is the highest throughput measured, and this the law fitted to them
    // (nullopt when it cannot be: fewer than three concurrencies answered).
    std::optional<UslFit> usl;
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    report::Environment environment;

    // Whether some step passed: false when even the first step failed (or none ran). A sweep:
    // whether the law could be fitted.
    bool foundCapacity() const
    {
        return search.concurrencySweep ? usl.has_value() : capacityStep.has_value();
    }
};

} // namespace perflab::knee

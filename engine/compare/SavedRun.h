// SavedRun: the figures of a run folder that `perflab compare` needs, read back from its
// run.json (the format JsonReport.h writes): per phase and per route the request rate, the
// latency percentiles (corrected for coordinated omission, as the report shows them), errors
// and bytes. A folder that is not a run is an error naming the file and the field.
// A folder without run.json but with a latency.hlog is read from the log instead
// (SavedRunFromHlog.h): latency figures and rates only; errors and bytes are unknown there and 0.
#pragma once

#include "metrics/LatencyHistogram.h"

#include <QString>

#include <cstdint>
#include <variant>
#include <vector>

namespace perflab::compare {

struct RouteFigures
{
    QString route; // the request's template ("GET /users/{zipf:1..10000}"), or "all"
    double requests = 0;
    double requestsPerS = 0;
    double errorCount = 0;
    double errorRate = 0; // errors / requests
    double bytesReceived = 0;
    double p50Ms = 0, p90Ms = 0, p99Ms = 0, p999Ms = 0, maxMs = 0;
    // Rebuilt exactly from run.json's buckets (histogram_us.corrected): the whole percentile
    // spectrum, for the window's overlay of two runs.
    metrics::LatencyHistogram corrected;
};

struct SavedPhase
{
    QString name;
    double durationS = 0;
    RouteFigures total; // every route merged ("all")
    std::vector<RouteFigures> routes;
};

struct SavedRun
{
    QString folder;
    QString scenarioName;
    QString started; // ISO 8601 as run.json has it
    bool passed = true; // every threshold passed and no claim was found untrue
    double durationS = 0;
    RouteFigures total; // the whole run, every phase and route
    std::vector<SavedPhase> phases;
};

// `path` is a report folder (or its run.json); the error says which file and field were wrong.
std::variant<SavedRun, QString> loadSavedRun(const QString &path);

} // namespace perflab::compare

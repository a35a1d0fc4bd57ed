// SavedRun: the figures of a run folder that `perflab compare` needs: per phase and per route
// the request rate, the latency percentiles (corrected for coordinated omission, as the report
// shows them), errors and bytes, and the client's throughput and p99 over time. Read with
// report::readRunFolder (RunJsonReader.h) and derived with ReportStats, the same functions
// that wrote run.json's figures, so there is one reader of run.json; the percentiles come from
// the histograms rebuilt from its buckets (within 0.1 % of run.json's own, whose max was
// exact). A folder that is not a run is an error naming the file and the field.
// A folder without run.json but with a latency.hlog is read from the log instead
// (SavedRunFromHlog.h): latency figures and rates only; errors and bytes are unknown there and 0.
#pragma once

#include "engine/metrics/LatencyHistogram.h"
#include "engine/report/ChartScale.h"

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
    double startS = 0; // seconds since the run's start
    double endS = 0;
    double durationS = 0;
    RouteFigures total; // every route merged ("all")
    std::vector<RouteFigures> routes;
};

struct SavedRun
{
    QString folder;
    QString scenarioName;
    QString started;    // ISO 8601 as run.json has it
    bool passed = true; // every threshold passed and no claim was found untrue
    double durationS = 0;
    RouteFigures total; // the whole run, every phase and route
    std::vector<SavedPhase> phases;
    // The client side over time, x in seconds since the run's start, NaN where nothing was
    // measured: requests per second, and the corrected p99 in ms (the lines of the report's
    // throughput and latency charts; from latency.hlog, one point per logged interval).
    std::vector<report::ChartPoint> requestsPerS;
    std::vector<report::ChartPoint> p99Ms;
};

// `path` is a report folder (or its run.json); the error says which file and field were wrong.
std::variant<SavedRun, QString> loadSavedRun(const QString &path);

} // namespace perflab::compare

// RunReport: everything one `perflab run` (or the app's Export) produced, as plain values; the
// report writers (ReportWriter.h) turn it into the report folder (docs/reference/report-folder.md).
// Filled by the scenario runner; the writers never see the engine, only this.
#pragma once

#include "engine/cluster/MemberFigures.h"

#include <cstdint>

#include "engine/load/LoadPlan.h"
#include "engine/load/LoadSnapshot.h"
#include "engine/metrics/Sample.h"
#include "engine/report/ClaimResult.h"

#include <QJsonObject>
#include <QString>

#include <vector>

namespace perflab::report {

// One load agent's part of a phase run on agents (`perflab run --agents`): its own figures
// beside the merged ones, so a user sees which machine sent what and whether it kept up.
struct AgentReport
{
    QString name;                   // the agent's --name (host:pid by default)
    double share = 0;               // its part of the phase's rate or connections, 0..1
    load::RouteStats total;         // every route merged, route "all"
    load::GeneratorStats generator; // its own trust figures
    bool lost = false;              // it stopped reporting during (or before the end of) the phase
    qint64 lostAtMs = 0;            // when its last report came, ms since the epoch (lost only)
};

struct PhaseReport
{
    QString name;
    // The scenario phase this is, by its index in the scenario: a phase whose load was changed
    // while it ran is split into segments, one PhaseReport each, all with the same index
    // (-1: not known, as in a run read back from run.json; its position in the report then).
    int phaseIndex = -1;
    // For a segment of a split phase: the scenario phase's name ("" when the phase is whole).
    QString segmentOf;
    qint64 startMs = 0; // ms since the epoch
    qint64 endMs = 0;
    QJsonObject settingsPatch; // what the phase asked for (the scenario's "settings")
    QJsonObject settings;      // the whole live settings document while it ran (empty: external target)
    load::LoadModel model;
    load::LoadSnapshot stats; // this phase only (between its start and end)
    bool interrupted = false; // cancelled before its duration ran out
    // The stale-read probe's reads in this phase and how many were stale (0/0: no probe).
    std::uint64_t probeReads = 0;
    std::uint64_t staleReads = 0;
    // The job probe's jobs enqueued in this phase: accepted, and of those completed or failed by
    // the end of the settle time; refused: not accepted (all 0: no probe).
    std::uint64_t jobsAccepted = 0;
    std::uint64_t jobsCompleted = 0;
    std::uint64_t jobsFailed = 0;
    std::uint64_t jobsRefused = 0;
    // A cluster target: what each member did in this phase (from its /metrics at the phase's
    // start and end); empty for other targets.
    std::vector<cluster::MemberFigures> members;
    // A run on load agents: each agent's part (stats above are their exact merge); empty otherwise.
    std::vector<AgentReport> agents;
};

struct ThresholdResult
{
    QString phase; // the phase it was checked on, or "" for the whole run
    QString name;  // the scenario key: "p99_ms", "error_rate", ...
    double limit = 0;
    double actual = 0;
    bool passed = true;
};

struct Environment
{
    QString cpuModel;      // /proc/cpuinfo "model name"
    int cpuCores = 0;      // logical CPUs
    int serverThreads = 0; // 0: external target
    int loadThreads = 0;
    QString qtVersion;      // qVersion()
    QString perflabVersion; // PERFLAB_VERSION
    QString os;             // QSysInfo::prettyProductName()
    QString hostName;
};

// A time series with its column names (metrics::SampleSchema of the Sampler that made it).
struct SeriesTable
{
    QStringList columns;
    std::vector<metrics::Sample> samples; // oldest first, one per sampler interval (100 ms)
};

// The corrected latency (µs) of one route during one interval of a phase: what latency.hlog
// holds, one line each. The intervals of a phase and route add up, count for count, to that
// route's histogram in the phase's stats (they are differences of the same snapshots).
struct LatencyInterval
{
    QString phase;
    QString route;      // RequestSpec::name()
    qint64 startMs = 0; // ms since the epoch
    qint64 endMs = 0;
    std::int64_t maxUs = 0; // the histogram's max, kept so writing needs no decoding
    // HdrHistogram's V2 compressed encoding (metrics/HdrV2Codec.h): ~100 bytes to a few KiB
    // where a LatencyHistogram holds 184 KiB, so a 10-minute run of 5 routes stays a few MiB.
    QByteArray compressedHistogram;
};

struct RunReport
{
    QString scenarioName;
    QString description;
    QString scenarioFile; // path as given, "" for the app's ad-hoc runs
    QJsonObject scenario; // the scenario document as read
    QString target;       // "embedded (http://127.0.0.1:PORT)" or the external URL
    double scale = 1.0;   // --scale
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    std::vector<PhaseReport> phases;

    // Client side: columns of load/LoadMetrics.h (requests, errors, latency_*_ms,
    // latency_uncorrected_*_ms, bytes_in, in_flight, late_sends).
    SeriesTable client;
    // Server side (embedded target only, else empty): columns of lab/HttpMetrics.h
    // (requests, errors, latency_*_ms, in_flight, cache_hits, cache_misses, slow_queries, ...).
    SeriesTable server;
    std::vector<metrics::TimeSeriesEvent> events; // setting changes and the like, by time
    // Per phase and route, one entry per second of load (scenario/IntervalHistograms.h), in
    // time order; empty when the run did not record them (the app's ad-hoc exports).
    std::vector<LatencyInterval> intervals;

    std::vector<ThresholdResult> thresholds;
    std::vector<ClaimResult> claims; // the scenario's `expect`, in its order
    Environment environment;
    // A run on load agents: the problems they had in words ("agent a2 stopped reporting at
    // 12:00:03 in phase 'cache on': its share of 1/3 of the rate is missing from then on",
    // "agent a1 sent a malformed interval: ..."); empty when none.
    QStringList agentProblems;
    bool agentLost = false; // some agent stopped before the run's end

    bool thresholdsPassed() const;
    // No claim NotVerified (claims not evaluated, on phases an interrupted run never
    // finished, do not count: the interruption is the run's failure).
    bool claimsHold() const;
    bool passed() const { return thresholdsPassed() && claimsHold(); }
    // Some phase's figures were the load generator's rather than the server's
    // (load/GeneratorTrust.h on each phase's GeneratorStats).
    bool generatorLimited() const;
    // "1 of 2 thresholds passed, 3 of 3 claims verified"; a part the scenario does not have is
    // left out ("no thresholds or claims" when it has neither).
    QString outcomeText() const;
};

} // namespace perflab::report

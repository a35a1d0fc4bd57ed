// SyntheticRun: see the header for the figures.
#include "SyntheticRun.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace perflab::test {

namespace {

struct RouteFigures
{
    std::uint64_t ok = 0;        // 2xx responses
    std::uint64_t status5xx = 0; // 500 responses
    std::uint64_t timeouts = 0;  // no response
    std::int64_t baseUs = 1000;  // latencies spread from here
    std::int64_t spreadUs = 20000;
};

load::RouteStats makeRoute(const QString &name, const RouteFigures &f, int okStatus)
{
    load::RouteStats route;
    route.route = name;
    route.responses = f.ok + f.status5xx;
    if (f.ok)
        route.statusCounts[okStatus] = f.ok;
    if (f.status5xx) {
        route.statusCounts[500] = f.status5xx;
        route.errors[QString::fromLatin1(load::ErrorKind::Status5xx)] = f.status5xx;
    }
    if (f.timeouts)
        route.errors[QString::fromLatin1(load::ErrorKind::Timeout)] = f.timeouts;
    for (std::uint64_t i = 0; i < route.responses; ++i) {
        const std::int64_t us = f.baseUs + std::int64_t(i * 7919 % std::uint64_t(f.spreadUs));
        route.uncorrected.record(us);
        route.corrected.record(us + us / 4); // the open loop's queueing adds to the corrected one
    }
    route.corrected.record(250'000); // one stall only the corrected figures show
    route.bytesReceived = route.responses * 512;
    route.lateSends = f.timeouts;
    const double n = double(route.responses);
    route.serverTiming[u"handler"_s] = {2.0 * n, route.responses};
    route.serverTiming[u"db"_s] = {1.5 * n, route.responses};
    route.serverTiming[u"queue"_s] = {0.25 * n, route.responses};
    route.serverTiming[u"total"_s] = {2.5 * n, route.responses};
    return route;
}

QJsonObject settingsWith(bool cacheEnabled)
{
    return {{u"cache"_s, QJsonObject{{u"enabled"_s, cacheEnabled}, {u"ttl_s"_s, 30}}},
            {u"simulation"_s, QJsonObject{{u"io_scale"_s, 0.02}}}};
}

report::PhaseReport makePhase(const QString &name, qint64 fromS, qint64 toS, bool cache,
                              const RouteFigures &a, const RouteFigures &b)
{
    report::PhaseReport phase;
    phase.name = name;
    phase.startMs = kStartMs + fromS * 1000;
    phase.endMs = kStartMs + toS * 1000;
    phase.settingsPatch = {{u"cache"_s, QJsonObject{{u"enabled"_s, cache}}}};
    phase.settings = settingsWith(cache);
    phase.model.kind = load::LoadModelKind::Open;
    phase.model.rate = 100;
    phase.model.connections = 16;
    phase.stats.timestampMs = phase.endMs;
    phase.stats.routes.push_back(makeRoute(u"GET /users/{zipf:1..100}"_s, a, 200));
    phase.stats.routes.push_back(makeRoute(u"PUT /users/{uniform:1..100}"_s, b, 201));
    return phase;
}

// `seconds` of a generator asked for `rate` (0: a closed loop) that sent `sent`, each send
// `lagUs` late, its one thread on a CPU and waiting for one the given shares of the time.
load::GeneratorStats generator(double seconds, double rate, std::uint64_t sent, std::int64_t lagUs,
                               std::pair<double, double> cpuAndWait)
{
    load::GeneratorStats stats;
    stats.elapsedNs = std::int64_t(seconds * 1e9);
    stats.asked = rate * seconds;
    stats.sent = sent;
    if (rate > 0)
        stats.sendLag.record(lagUs, sent);
    stats.threads = {
        {std::int64_t(cpuAndWait.first * seconds * 1e9), std::int64_t(cpuAndWait.second * seconds * 1e9)}};
    stats.cpuKnown = true;
    stats.runWaitKnown = true;
    stats.connectionsOpen = 16;
    return stats;
}

metrics::Sample sample(qint64 timestampMs, QList<double> values)
{
    metrics::Sample s;
    s.timestampMs = timestampMs;
    s.intervalS = 0.1;
    s.values = std::move(values);
    return s;
}

} // namespace

QString thirdPhaseName()
{
    return u"warm <cache> & \"quoted\""_s;
}

report::RunReport syntheticRun()
{
    report::RunReport run;
    run.scenarioName = u"Caching <script>alert(1)</script>"_s;
    run.description = u"Cache off, then on.\nSecond line & more."_s;
    run.scenarioFile = u"scenarios/caching.json"_s;
    run.scenario = {{u"name"_s, run.scenarioName}, {u"target"_s, u"embedded"_s}};
    run.target = u"embedded (http://127.0.0.1:8123)"_s;
    run.scale = 0.5;
    run.startedMs = kStartMs;
    run.finishedMs = kStartMs + 25'000;

    // 1000 = 900 + 98 + 2 timeouts; 1500 = 1350 + 148 + 2; 500 = 400 + 100.
    run.phases.push_back(
        makePhase(u"cache off"_s, 0, 10, false, {892, 8, 0, 2000, 20000}, {98, 0, 2, 3000, 20000}));
    run.phases.push_back(
        makePhase(u"cache on"_s, 10, 20, true, {1347, 3, 0, 500, 5000}, {148, 0, 2, 800, 5000}));
    run.phases.push_back(
        makePhase(thirdPhaseName(), 20, 25, true, {400, 0, 0, 500, 4000}, {100, 0, 0, 800, 4000}));
    run.phases[0].stats.generator = generator(10, 100, 1000, 80, {0.05, 0.01});
    run.phases[1].stats.generator = generator(10, 200, 1500, 25'000, {0.40, 0.55});
    run.phases[2].stats.generator = generator(5, 0, 500, 0, {0.30, 0.05});

    run.client.columns = {u"requests"_s,
                          u"errors"_s,
                          u"latency_count"_s,
                          u"latency_mean_ms"_s,
                          u"latency_p50_ms"_s,
                          u"latency_p90_ms"_s,
                          u"latency_p99_ms"_s,
                          u"latency_p999_ms"_s,
                          u"latency_max_ms"_s,
                          u"latency_uncorrected_count"_s,
                          u"latency_uncorrected_p99_ms"_s,
                          u"bytes_in"_s,
                          u"in_flight"_s,
                          u"late_sends"_s};
    run.server.columns = {u"requests"_s,   u"errors"_s,       u"latency_p99_ms"_s, u"in_flight"_s,
                          u"cache_hits"_s, u"cache_misses"_s, u"slow_queries"_s};
    for (int k = 0; k < kClientSamples; ++k) {
        const qint64 t = kStartMs + 100 * (k + 1);
        const double perInterval = k < 100 ? 10 : (k < 200 ? 15 : 10);
        const double p50 = k < 100 ? 12 : 3;
        const double wave = double(k % 20);                // a visible ripple
        const double count = (k == 150) ? 0 : perInterval; // one interval without responses: a gap
        run.client.samples.push_back(
            sample(t, {perInterval, k < 100 ? 0.1 : 0.05, count, p50 * 1.2, p50, p50 * 1.8 + wave * 0.1,
                       p50 * 2.5 + wave * 0.3, p50 * 3, p50 * 4 + wave, count, p50 * 2.0, perInterval * 512,
                       4 + wave / 4, 0}));
        if (k >= kMissingServerFirst && k < kMissingServerFirst + kMissingServerCount)
            continue;
        const double hits = k < 100 ? 0 : perInterval * 0.9;
        run.server.samples.push_back(sample(t + 30, {perInterval, 0, p50 * 2, 3 + wave / 5, hits,
                                                     perInterval - hits, k < 100 ? double(k % 3) : 0}));
    }
    for (const report::PhaseReport &phase : run.phases)
        run.events.push_back({phase.startMs + 5, u"settings"_s, phase.settingsPatch});

    run.thresholds.push_back({QString(), u"p99_ms"_s, 50, 30.1, true});
    run.thresholds.push_back({u"cache on"_s, u"error_rate"_s, 0.001, 0.0033, false});
    report::ClaimResult cheaper;
    cheaper.claim = u"A cache hit is <far> cheaper"_s;
    cheaper.metric = u"p50_ms"_s;
    cheaper.phase = u"cache on"_s;
    cheaper.route = u"GET /users/{zipf:1..100}"_s;
    cheaper.relative = true;
    cheaper.referencePhase = u"cache off"_s;
    cheaper.referenceRoute = cheaper.route;
    cheaper.limit = 0.5;
    cheaper.value = 3;
    cheaper.referenceValue = 12;
    cheaper.ratio = 0.25;
    cheaper.status = report::ClaimStatus::Verified;
    run.claims.push_back(cheaper);
    report::ClaimResult fast;
    fast.claim = u"Every answer within a millisecond"_s;
    fast.metric = u"p99_ms"_s;
    fast.phase = u"cache off"_s;
    fast.limit = 1;
    fast.value = 30.1;
    fast.status = report::ClaimStatus::NotVerified;
    run.claims.push_back(fast);
    report::ClaimResult skipped;
    skipped.claim = u"Hits stay high"_s;
    skipped.metric = u"hit_rate"_s;
    skipped.phase = u"later"_s;
    skipped.atMost = false;
    skipped.limit = 0.9;
    skipped.reason = u"phase 'later' did not run (the run was stopped)"_s;
    run.claims.push_back(skipped);
    run.environment = {
        u"Test CPU @ 3.00GHz"_s, 2, 2, 1, u"6.4.2"_s, u"0.1.0"_s, u"Debian GNU/Linux 12"_s, u"testhost"_s};
    return run;
}

report::RunReport smallRun()
{
    report::RunReport run;
    run.scenarioName = u"small"_s;
    run.startedMs = kStartMs;
    run.finishedMs = kStartMs + 1000;
    report::PhaseReport phase;
    phase.name = u"Small Run!"_s;
    phase.startMs = kStartMs;
    phase.endMs = kStartMs + 1000;
    load::RouteStats route;
    route.route = u"GET /"_s;
    for (int ms = 1; ms <= 10; ++ms) {
        route.corrected.record(ms * 1000, std::uint64_t(ms));
        route.uncorrected.record(ms * 900, std::uint64_t(ms));
    }
    route.corrected.record(1'000'000); // the same counts as tests/data/metrics/spectrum_small.hgrm
    route.responses = 55;
    route.statusCounts[200] = 55;
    phase.stats.routes.push_back(route);
    run.phases.push_back(phase);
    return run;
}

} // namespace perflab::test

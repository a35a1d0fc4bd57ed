// JsonReport: see the header for the layout.
#include "engine/report/JsonReport.h"

#include "engine/report/ClaimText.h"
#include "engine/report/ReportStats.h"
#include "engine/report/TrustReport.h"

#include <QDateTime>

namespace perflab::report {

namespace {

QJsonObject latencyJson(const metrics::LatencyHistogram &histogram)
{
    const LatencySummaryMs s = summarizeLatency(histogram);
    return {{QStringLiteral("count"), double(s.count)},
            {QStringLiteral("p50"), s.p50},
            {QStringLiteral("p90"), s.p90},
            {QStringLiteral("p99"), s.p99},
            {QStringLiteral("p999"), s.p999},
            {QStringLiteral("max"), s.max},
            {QStringLiteral("mean"), s.mean}};
}

// The raw figures the trust verdict was judged from, so a run read back is judged the same.
QJsonObject generatorStatsJson(const load::GeneratorStats &g)
{
    QJsonArray threads;
    for (const load::ClientThreadTime &t : g.threads)
        threads.append(QJsonObject{{QStringLiteral("cpu_ns"), double(t.cpuNs)},
                                   {QStringLiteral("run_wait_ns"), double(t.runWaitNs)}});
    return {{QStringLiteral("elapsed_ns"), double(g.elapsedNs)},
            {QStringLiteral("asked"), g.asked},
            {QStringLiteral("sent"), double(g.sent)},
            {QStringLiteral("send_lag_us"), histogramBuckets(g.sendLag)},
            {QStringLiteral("threads"), threads},
            {QStringLiteral("cpu_known"), g.cpuKnown},
            {QStringLiteral("run_wait_known"), g.runWaitKnown},
            {QStringLiteral("connections_open"), double(g.connectionsOpen)},
            {QStringLiteral("connections_connecting"), double(g.connectionsConnecting)},
            {QStringLiteral("connect_failures"), double(g.connectFailures)}};
}

QJsonObject phaseJson(const PhaseReport &phase, const QString &slug)
{
    const double durationS = phaseDurationS(phase);
    QJsonArray routes;
    for (const load::RouteStats &route : phase.stats.routes)
        routes.append(routeJson(route, durationS));
    QJsonObject json{{QStringLiteral("name"), phase.name},
                     {QStringLiteral("slug"), slug},
                     {QStringLiteral("start_ms"), double(phase.startMs)},
                     {QStringLiteral("end_ms"), double(phase.endMs)},
                     {QStringLiteral("duration_s"), durationS},
                     {QStringLiteral("settings_patch"), phase.settingsPatch},
                     {QStringLiteral("settings"), phase.settings},
                     {QStringLiteral("model"), modelJson(phase.model)},
                     {QStringLiteral("total"), routeJson(phase.stats.total(), durationS)},
                     {QStringLiteral("routes"), routes},
                     {QStringLiteral("trust"), trustJson(load::assessGenerator(phase.stats.generator))},
                     {QStringLiteral("generator"), generatorStatsJson(phase.stats.generator)}};
    if (!phase.segmentOf.isEmpty())
        json.insert(QStringLiteral("segment_of"), phase.segmentOf);
    if (phase.probeReads > 0)
        json.insert(QStringLiteral("stale_reads"),
                    QJsonObject{{QStringLiteral("reads"), double(phase.probeReads)},
                                {QStringLiteral("stale"), double(phase.staleReads)}});
    if (!phase.members.empty()) {
        QJsonArray members;
        for (const cluster::MemberFigures &member : phase.members) {
            QJsonObject figures{{QStringLiteral("instance"), member.instance},
                                {QStringLiteral("answered"), member.answered}};
            if (member.answered) {
                figures.insert(QStringLiteral("requests"), member.requests);
                figures.insert(QStringLiteral("server_errors"), member.serverErrors);
                figures.insert(QStringLiteral("cache_hits"), member.cacheHits);
                figures.insert(QStringLiteral("cache_misses"), member.cacheMisses);
                figures.insert(QStringLiteral("cache_errors"), member.cacheErrors);
                figures.insert(QStringLiteral("jobs_completed"), member.jobsCompleted);
            }
            members.append(figures);
        }
        json.insert(QStringLiteral("instances"), members);
    }
    if (!phase.agents.empty()) {
        QJsonArray agents;
        for (const AgentReport &agent : phase.agents)
            agents.append(
                QJsonObject{{QStringLiteral("name"), agent.name},
                            {QStringLiteral("share"), agent.share},
                            {QStringLiteral("lost"), agent.lost},
                            {QStringLiteral("lost_at_ms"), double(agent.lostAtMs)},
                            {QStringLiteral("total"), routeJson(agent.total, durationS)},
                            {QStringLiteral("trust"), trustJson(load::assessGenerator(agent.generator))},
                            {QStringLiteral("generator"), generatorStatsJson(agent.generator)}});
        json.insert(QStringLiteral("agents"), agents);
    }
    if (phase.jobsAccepted + phase.jobsRefused > 0)
        json.insert(QStringLiteral("jobs"),
                    QJsonObject{{QStringLiteral("accepted"), double(phase.jobsAccepted)},
                                {QStringLiteral("completed"), double(phase.jobsCompleted)},
                                {QStringLiteral("failed"), double(phase.jobsFailed)},
                                {QStringLiteral("refused"), double(phase.jobsRefused)}});
    return json;
}

QJsonValue optionalNumber(const std::optional<double> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonObject claimJson(const ClaimResult &claim)
{
    QJsonObject json{{QStringLiteral("claim"), claim.claim},
                     {QStringLiteral("metric"), claim.metric},
                     {QStringLiteral("phase"), claim.phase},
                     {QStringLiteral("route"), claim.route},
                     {claim.atMost ? QStringLiteral("at_most") : QStringLiteral("at_least"), claim.limit},
                     {QStringLiteral("value"), optionalNumber(claim.value)},
                     {QStringLiteral("status"), claimStatusText(claim.status).replace(u' ', u'_')},
                     {QStringLiteral("verified"), claim.status == ClaimStatus::Verified},
                     {QStringLiteral("reason"), claim.reason},
                     {QStringLiteral("text"), claimFiguresText(claim)}};
    if (claim.relative) {
        json.insert(QStringLiteral("vs"), QJsonObject{{QStringLiteral("phase"), claim.referencePhase},
                                                      {QStringLiteral("route"), claim.referenceRoute}});
        json.insert(QStringLiteral("vs_value"), optionalNumber(claim.referenceValue));
        json.insert(QStringLiteral("ratio"), optionalNumber(claim.ratio));
    }
    return json;
}

} // namespace

QJsonObject environmentJson(const Environment &e)
{
    return {{QStringLiteral("cpu_model"), e.cpuModel},
            {QStringLiteral("cpu_cores"), e.cpuCores},
            {QStringLiteral("server_threads"), e.serverThreads},
            {QStringLiteral("load_threads"), e.loadThreads},
            {QStringLiteral("qt_version"), e.qtVersion},
            {QStringLiteral("perflab_version"), e.perflabVersion},
            {QStringLiteral("os"), e.os},
            {QStringLiteral("host_name"), e.hostName}};
}

QJsonArray histogramBuckets(const metrics::LatencyHistogram &histogram)
{
    QJsonArray buckets;
    for (int index = histogram.firstIndex(); index <= histogram.lastIndex(); ++index) {
        const std::uint64_t count = histogram.countAtIndex(index);
        if (count != 0)
            buckets.append(QJsonArray{double(metrics::LatencyHistogram::valueAtIndex(index)), double(count)});
    }
    return buckets;
}

QJsonObject routeJson(const load::RouteStats &stats, double durationS)
{
    QJsonObject errors;
    for (const auto &[kind, n] : stats.errors)
        errors.insert(kind, double(n));
    QJsonObject statusCounts;
    for (const auto &[status, n] : stats.statusCounts)
        statusCounts.insert(QString::number(status), double(n));
    QJsonObject serverTiming;
    for (const auto &[name, part] : stats.serverTiming) {
        serverTiming.insert(name, QJsonObject{{QStringLiteral("mean_ms"), part.meanMs()},
                                              {QStringLiteral("total_ms"), part.totalMs},
                                              {QStringLiteral("count"), double(part.count)}});
    }
    const std::uint64_t requests = requestCount(stats);
    return {{QStringLiteral("route"), stats.route},
            {QStringLiteral("requests"), double(requests)},
            {QStringLiteral("responses"), double(stats.responses)},
            {QStringLiteral("requests_per_s"), durationS > 0 ? double(requests) / durationS : 0.0},
            {QStringLiteral("error_count"), double(stats.errorCount())},
            {QStringLiteral("error_rate"), errorRate(stats)},
            {QStringLiteral("transport_errors"), double(stats.transportErrors())},
            {QStringLiteral("errors"), errors},
            {QStringLiteral("status_counts"), statusCounts},
            {QStringLiteral("bytes_received"), double(stats.bytesReceived)},
            {QStringLiteral("late_sends"), double(stats.lateSends)},
            {QStringLiteral("server_timing"), serverTiming},
            {QStringLiteral("latency_ms"), latencyJson(stats.corrected)},
            {QStringLiteral("latency_uncorrected_ms"), latencyJson(stats.uncorrected)},
            {QStringLiteral("histogram_us"),
             QJsonObject{{QStringLiteral("corrected"), histogramBuckets(stats.corrected)},
                         {QStringLiteral("uncorrected"), histogramBuckets(stats.uncorrected)}}}};
}

QJsonObject modelJson(const load::LoadModel &model)
{
    QJsonObject json;
    switch (model.kind) {
    case load::LoadModelKind::Closed:
        json.insert(QStringLiteral("model"), QStringLiteral("closed"));
        json.insert(QStringLiteral("think_ms"), model.thinkMs);
        break;
    case load::LoadModelKind::Open:
        json.insert(QStringLiteral("model"), QStringLiteral("open"));
        json.insert(QStringLiteral("rate"), model.rate);
        break;
    case load::LoadModelKind::Stages: {
        json.insert(QStringLiteral("model"), QStringLiteral("stages"));
        QJsonArray stages;
        for (const load::Stage &stage : model.stages)
            stages.append(QJsonObject{{QStringLiteral("duration_s"), stage.durationS},
                                      {QStringLiteral("rate"), stage.rate}});
        json.insert(QStringLiteral("stages"), stages);
        break;
    }
    }
    json.insert(QStringLiteral("connections"), model.connections);
    return json;
}

QJsonObject seriesJson(const SeriesTable &table)
{
    QJsonArray columns{QStringLiteral("timestamp_ms"), QStringLiteral("interval_s")};
    for (const QString &column : table.columns)
        columns.append(column);
    QJsonArray rows;
    for (const metrics::Sample &sample : table.samples) {
        QJsonArray row{double(sample.timestampMs), sample.intervalS};
        for (qsizetype i = 0; i < table.columns.size(); ++i)
            row.append(sample.value(i));
        rows.append(row);
    }
    return {{QStringLiteral("columns"), columns}, {QStringLiteral("rows"), rows}};
}

QJsonObject runJson(const RunReport &report)
{
    QJsonObject json;
    json.insert(QStringLiteral("format"), QStringLiteral("perflab-run/1"));
    json.insert(QStringLiteral("scenario"), QJsonObject{{QStringLiteral("name"), report.scenarioName},
                                                        {QStringLiteral("description"), report.description},
                                                        {QStringLiteral("file"), report.scenarioFile},
                                                        {QStringLiteral("document"), report.scenario}});
    json.insert(QStringLiteral("target"), report.target);
    json.insert(QStringLiteral("scale"), report.scale);
    json.insert(QStringLiteral("started_ms"), double(report.startedMs));
    json.insert(QStringLiteral("finished_ms"), double(report.finishedMs));
    json.insert(QStringLiteral("started"),
                QDateTime::fromMSecsSinceEpoch(report.startedMs, Qt::UTC).toString(Qt::ISODateWithMs));
    const double durationS = std::max<qint64>(0, report.finishedMs - report.startedMs) / 1000.0;
    json.insert(QStringLiteral("duration_s"), durationS);
    json.insert(QStringLiteral("passed"), report.passed());
    json.insert(QStringLiteral("generator_limited"), report.generatorLimited());
    if (report.agentLost || !report.agentProblems.isEmpty()) {
        json.insert(QStringLiteral("agent_lost"), report.agentLost);
        json.insert(QStringLiteral("agent_problems"), QJsonArray::fromStringList(report.agentProblems));
    }
    json.insert(QStringLiteral("environment"), environmentJson(report.environment));

    QJsonArray thresholds;
    for (const ThresholdResult &t : report.thresholds) {
        thresholds.append(QJsonObject{{QStringLiteral("phase"), t.phase},
                                      {QStringLiteral("name"), t.name},
                                      {QStringLiteral("limit"), t.limit},
                                      {QStringLiteral("actual"), t.actual},
                                      {QStringLiteral("passed"), t.passed}});
    }
    json.insert(QStringLiteral("thresholds"), thresholds);
    QJsonArray claims;
    for (const ClaimResult &claim : report.claims)
        claims.append(claimJson(claim));
    json.insert(QStringLiteral("claims"), claims);

    const QStringList slugs = phaseSlugs(report.phases);
    QJsonArray phases;
    double phasesDurationS = 0;
    for (std::size_t i = 0; i < report.phases.size(); ++i) {
        phases.append(phaseJson(report.phases[i], slugs.at(qsizetype(i))));
        phasesDurationS += phaseDurationS(report.phases[i]);
    }
    json.insert(QStringLiteral("phases"), phases);

    const std::vector<load::RouteStats> routes = routesAcrossPhases(report.phases);
    QJsonArray routesJson;
    for (const load::RouteStats &route : routes)
        routesJson.append(routeJson(route, phasesDurationS));
    json.insert(QStringLiteral("total"), routeJson(mergedRoutes(routes), phasesDurationS));
    json.insert(QStringLiteral("routes"), routesJson);

    json.insert(QStringLiteral("series"), QJsonObject{{QStringLiteral("client"), seriesJson(report.client)},
                                                      {QStringLiteral("server"), seriesJson(report.server)}});
    QJsonArray events;
    for (const metrics::TimeSeriesEvent &event : report.events) {
        events.append(QJsonObject{{QStringLiteral("timestamp_ms"), double(event.timestampMs)},
                                  {QStringLiteral("kind"), event.kind},
                                  {QStringLiteral("detail"), event.detail}});
    }
    json.insert(QStringLiteral("events"), events);
    return json;
}

} // namespace perflab::report

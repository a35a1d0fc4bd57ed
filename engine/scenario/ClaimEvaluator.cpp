// See ClaimEvaluator.h.
#include "engine/scenario/ClaimEvaluator.h"

#include "engine/report/ReportStats.h"

namespace perflab::scenario {

namespace {

struct Figure
{
    std::optional<double> value;
    QString reason;       // when value is missing
    bool skipped = false; // a phase it needs did not finish
};

QString phaseLabel(const Scenario &scenario, const ClaimSide &side)
{
    return side.phase ? scenario.phases[std::size_t(*side.phase)].name : QString();
}

QString where(const Scenario &scenario, const ClaimSide &side)
{
    const QString route = side.route.isEmpty() ? QStringLiteral("any route") : side.route;
    const QString phase =
        side.phase ? QStringLiteral("phase '%1'").arg(phaseLabel(scenario, side)) : QStringLiteral("the run");
    return route + QStringLiteral(" in ") + phase;
}

// The phases a side reads, or why they cannot be read.
std::variant<std::vector<const report::PhaseReport *>, Figure>
phasesOf(const Scenario &scenario, const report::RunReport &report, const ClaimSide &side)
{
    std::vector<std::size_t> wanted;
    if (side.phase) {
        wanted.push_back(std::size_t(*side.phase));
    } else {
        for (std::size_t i = 0; i < scenario.phases.size(); ++i)
            wanted.push_back(i);
    }
    std::vector<const report::PhaseReport *> phases;
    for (const std::size_t index : wanted) {
        const QString name = scenario.phases[index].name;
        // A phase whose load changed while it ran has several segments: the phase is all of them.
        std::size_t found = 0;
        for (std::size_t position = 0; position < report.phases.size(); ++position) {
            const report::PhaseReport &phase = report.phases[position];
            if (phase.phaseIndex >= 0 ? std::size_t(phase.phaseIndex) != index : position != index)
                continue;
            if (phase.interrupted)
                return Figure{std::nullopt, QStringLiteral("phase '%1' was interrupted").arg(name), true};
            phases.push_back(&phase);
            ++found;
        }
        if (found == 0)
            return Figure{std::nullopt,
                          QStringLiteral("phase '%1' did not run (the run was stopped)").arg(name), true};
    }
    return phases;
}

Figure hitRate(const report::RunReport &report, const std::vector<const report::PhaseReport *> &phases)
{
    if (!phases.empty() && !phases.front()->members.empty()) {
        // A cluster: every member's own counters, merged.
        double hits = 0, misses = 0;
        for (const report::PhaseReport *phase : phases) {
            for (const cluster::MemberFigures &member : phase->members) {
                hits += member.cacheHits;
                misses += member.cacheMisses;
            }
        }
        if (hits + misses <= 0)
            return {std::nullopt, QStringLiteral("no cache lookups")};
        return {hits / (hits + misses), {}};
    }
    if (!report.server.columns.contains(QStringLiteral("cache_hits")))
        return {std::nullopt,
                QStringLiteral("hit_rate needs the server's cache counters, which only the embedded "
                               "lab reports (external target)")};
    double hits = 0, misses = 0;
    for (const report::PhaseReport *phase : phases) {
        hits += report::sumColumn(report.server, QStringLiteral("cache_hits"), phase->startMs, phase->endMs)
                    .value_or(0);
        misses +=
            report::sumColumn(report.server, QStringLiteral("cache_misses"), phase->startMs, phase->endMs)
                .value_or(0);
    }
    const double lookups = hits + misses;
    if (lookups <= 0)
        return {std::nullopt, QStringLiteral("no cache lookups")};
    return {hits / lookups, {}};
}

Figure figureOf(const Scenario &scenario, const report::RunReport &report, const QString &metric,
                const ClaimSide &side)
{
    auto selected = phasesOf(scenario, report, side);
    if (auto *unavailable = std::get_if<Figure>(&selected))
        return *unavailable;
    const auto &phases = std::get<std::vector<const report::PhaseReport *>>(selected);
    if (metric == QLatin1String("hit_rate"))
        return hitRate(report, phases);
    if (metric == QLatin1String("job_completion_share")) {
        std::uint64_t accepted = 0, completed = 0;
        for (const report::PhaseReport *phase : phases) {
            accepted += phase->jobsAccepted;
            completed += phase->jobsCompleted;
        }
        if (accepted == 0)
            return {std::nullopt, QStringLiteral("the job probe had no job accepted")};
        return {double(completed) / double(accepted), {}};
    }
    if (metric == QLatin1String("stale_read_share")) {
        std::uint64_t reads = 0, stale = 0;
        for (const report::PhaseReport *phase : phases) {
            reads += phase->probeReads;
            stale += phase->staleReads;
        }
        if (reads == 0)
            return {std::nullopt, QStringLiteral("the stale-read probe made no reads")};
        return {double(stale) / double(reads), {}};
    }

    std::vector<load::RouteStats> matching;
    double durationS = 0;
    for (const report::PhaseReport *phase : phases) {
        durationS += report::phaseDurationS(*phase);
        for (const load::RouteStats &route : phase->stats.routes)
            if (side.route.isEmpty() || route.route == side.route)
                matching.push_back(route);
    }
    const load::RouteStats stats = report::mergedRoutes(matching);
    const std::uint64_t requests = report::requestCount(stats);
    const QString none = QStringLiteral("no requests on ") + where(scenario, side);
    if (metric == QLatin1String("rps"))
        return durationS > 0 ? Figure{double(stats.responses) / durationS, {}} : Figure{std::nullopt, none};
    if (requests == 0)
        return {std::nullopt, none};
    if (metric == QLatin1String("error_rate"))
        return {report::errorRate(stats), {}};
    if (metric.startsWith(QLatin1String("status_"))) {
        const int code = metric.mid(7, 3).toInt();
        const auto found = stats.statusCounts.find(code);
        const double count = found == stats.statusCounts.end() ? 0.0 : double(found->second);
        return {count / double(requests), {}};
    }
    if (stats.responses == 0)
        return {std::nullopt, QStringLiteral("no responses on ") + where(scenario, side)};
    if (metric == QLatin1String("bytes_per_request"))
        return {double(stats.bytesReceived) / double(stats.responses), {}};
    const report::LatencySummaryMs latency = report::summarizeLatency(stats.corrected);
    if (metric == QLatin1String("p50_ms"))
        return {latency.p50, {}};
    if (metric == QLatin1String("p90_ms"))
        return {latency.p90, {}};
    return {latency.p99, {}}; // p99_ms: the parser admits nothing else
}

report::ClaimResult evaluate(const Scenario &scenario, const report::RunReport &report, const Claim &claim)
{
    report::ClaimResult result;
    result.claim = claim.text;
    result.metric = claim.metric;
    result.phase = phaseLabel(scenario, claim.side);
    result.route = claim.side.route;
    result.relative = claim.reference.has_value();
    if (claim.reference) {
        result.referencePhase = phaseLabel(scenario, *claim.reference);
        result.referenceRoute = claim.reference->route;
    }
    result.atMost = claim.atMost;
    result.limit = claim.limit;

    const Figure own = figureOf(scenario, report, claim.metric, claim.side);
    const Figure reference =
        claim.reference ? figureOf(scenario, report, claim.metric, *claim.reference) : Figure{};
    result.value = own.value;
    result.referenceValue = reference.value;
    if (own.skipped || reference.skipped) {
        result.status = report::ClaimStatus::NotEvaluated;
        result.reason = own.skipped ? own.reason : reference.reason;
        return result;
    }
    result.status = report::ClaimStatus::NotVerified;
    if (!own.value || (claim.reference && !reference.value)) {
        result.reason = !own.value ? own.reason : reference.reason;
        return result;
    }
    if (claim.reference) {
        if (*reference.value == 0) {
            result.reason = QStringLiteral("the reference figure is 0, so there is no ratio");
            return result;
        }
        result.ratio = *own.value / *reference.value;
    }
    const double compared = *result.compared();
    const bool holds = claim.atMost ? compared <= claim.limit : compared >= claim.limit;
    result.status = holds ? report::ClaimStatus::Verified : report::ClaimStatus::NotVerified;
    return result;
}

} // namespace

std::vector<report::ClaimResult> evaluateClaims(const Scenario &scenario, const report::RunReport &report)
{
    std::vector<report::ClaimResult> results;
    results.reserve(scenario.claims.size());
    for (const Claim &claim : scenario.claims)
        results.push_back(evaluate(scenario, report, claim));
    return results;
}

} // namespace perflab::scenario

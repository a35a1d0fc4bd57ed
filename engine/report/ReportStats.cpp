// ReportStats: see the header.
#include "engine/report/ReportStats.h"

#include "engine/report/ReportFormat.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace perflab::report {

namespace {
double usToMs(double us)
{
    return us / 1000.0;
}
} // namespace

LatencySummaryMs summarizeLatency(const metrics::LatencyHistogram &histogram)
{
    LatencySummaryMs summary;
    summary.count = histogram.totalCount();
    if (summary.count == 0)
        return summary;
    // valueAtPercentile() answers a bucket's highest equivalent value, up to 0.1 % above the
    // exact max that the histogram also keeps: a table showing p99.9 > max would look wrong.
    const std::int64_t max = histogram.max();
    const auto at = [&](double p) { return usToMs(double(std::min(histogram.valueAtPercentile(p), max))); };
    summary.p50 = at(50.0);
    summary.p90 = at(90.0);
    summary.p99 = at(99.0);
    summary.p999 = at(99.9);
    summary.max = usToMs(double(max));
    summary.mean = usToMs(histogram.mean());
    return summary;
}

std::uint64_t requestCount(const load::RouteStats &stats)
{
    return stats.responses + stats.transportErrors();
}

double errorRate(const load::RouteStats &stats)
{
    const std::uint64_t requests = requestCount(stats);
    return requests ? double(stats.errorCount()) / double(requests) : 0.0;
}

load::RouteStats mergedRoutes(const std::vector<load::RouteStats> &routes)
{
    load::RouteStats total;
    total.route = QStringLiteral("all");
    for (const load::RouteStats &route : routes)
        total.add(route);
    return total;
}

std::vector<load::RouteStats> routesAcrossPhases(const std::vector<PhaseReport> &phases)
{
    std::vector<load::RouteStats> routes;
    for (const PhaseReport &phase : phases) {
        for (const load::RouteStats &route : phase.stats.routes) {
            auto found = std::find_if(routes.begin(), routes.end(),
                                      [&](const load::RouteStats &r) { return r.route == route.route; });
            if (found == routes.end()) {
                routes.emplace_back();
                routes.back().route = route.route;
                found = routes.end() - 1;
            }
            found->add(route);
        }
    }
    return routes;
}

double phaseDurationS(const PhaseReport &phase)
{
    return std::max<qint64>(0, phase.endMs - phase.startMs) / 1000.0;
}

std::optional<qsizetype> phaseIndexAt(const std::vector<PhaseReport> &phases, qint64 timestampMs)
{
    for (std::size_t i = 0; i < phases.size(); ++i) {
        if (phases[i].startMs < timestampMs && timestampMs <= phases[i].endMs)
            return qsizetype(i);
    }
    return std::nullopt;
}

std::optional<qsizetype> phaseIndexForEvent(const std::vector<PhaseReport> &phases, qint64 timestampMs)
{
    for (std::size_t i = 0; i < phases.size(); ++i) {
        if (timestampMs < phases[i].endMs)
            return qsizetype(i);
    }
    if (!phases.empty() && timestampMs == phases.back().endMs)
        return qsizetype(phases.size() - 1);
    return std::nullopt;
}

QString slugify(const QString &name)
{
    QString slug;
    slug.reserve(name.size());
    bool pendingDash = false;
    for (const QChar c : name.toLower()) {
        // ASCII only: a file name that every shell and zip tool takes without quoting.
        if ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9')) {
            if (pendingDash && !slug.isEmpty())
                slug += u'-';
            pendingDash = false;
            slug += c;
        } else {
            pendingDash = true;
        }
    }
    return slug;
}

QStringList phaseSlugs(const std::vector<PhaseReport> &phases)
{
    QStringList slugs;
    std::map<QString, int> seen;
    for (std::size_t i = 0; i < phases.size(); ++i) {
        QString slug = slugify(phases[i].name);
        if (slug.isEmpty())
            slug = QStringLiteral("phase-%1").arg(i + 1);
        const int repeat = ++seen[slug];
        if (repeat > 1)
            slug += QStringLiteral("-%1").arg(repeat);
        slugs.append(slug);
    }
    return slugs;
}

bool isGaugeColumn(const QString &column)
{
    static const QStringList gauges = {QStringLiteral("in_flight"), QStringLiteral("connections"),
                                       QStringLiteral("connections_connecting")};
    static const QStringList gaugeSuffixes = {QStringLiteral("_ms"),        QStringLiteral("_depth"),
                                              QStringLiteral("_entries"),   QStringLiteral("_in_use"),
                                              QStringLiteral("_idle"),      QStringLiteral("_open"),
                                              QStringLiteral("_in_flight"), QStringLiteral("_pct")};
    if (gauges.contains(column) || column.startsWith(QLatin1String("pool_")))
        return true;
    return std::any_of(gaugeSuffixes.begin(), gaugeSuffixes.end(),
                       [&](const QString &suffix) { return column.endsWith(suffix); });
}

std::optional<double> sumColumn(const SeriesTable &table, const QString &column, qint64 startMs, qint64 endMs)
{
    const qsizetype index = table.columns.indexOf(column);
    if (index < 0)
        return std::nullopt;
    double sum = 0;
    for (const metrics::Sample &sample : table.samples) {
        if (startMs < sample.timestampMs && sample.timestampMs <= endMs)
            sum += sample.value(index);
    }
    return sum;
}

std::optional<double> cacheHitRatePercent(const SeriesTable &server, qint64 startMs, qint64 endMs)
{
    const auto hits = sumColumn(server, QStringLiteral("cache_hits"), startMs, endMs);
    const auto misses = sumColumn(server, QStringLiteral("cache_misses"), startMs, endMs);
    if (!hits || !misses || *hits + *misses <= 0)
        return std::nullopt;
    return 100.0 * *hits / (*hits + *misses);
}

PhaseSummary summarizePhase(const RunReport &report, const PhaseReport &phase)
{
    const load::RouteStats total = phase.stats.total();
    PhaseSummary summary;
    summary.durationS = phaseDurationS(phase);
    summary.requests = requestCount(total);
    summary.requestsPerS = summary.durationS > 0 ? double(summary.requests) / summary.durationS : 0;
    summary.errors = total.errorCount();
    summary.errorRatePercent = errorRate(total) * 100;
    summary.corrected = summarizeLatency(total.corrected);
    summary.uncorrected = summarizeLatency(total.uncorrected);
    summary.cacheHitRatePercent = cacheHitRatePercent(report.server, phase.startMs, phase.endMs);
    return summary;
}

ChangeVerdict judgeChange(double changePercent, Better better, double samePercent)
{
    // A change shown as "0.0%" but judged better or worse would contradict its own label.
    if (formatChange(changePercent) == QLatin1String("0.0%") || std::abs(changePercent) < samePercent)
        return ChangeVerdict::Same;
    if (better == Better::Neither)
        return ChangeVerdict::Unjudged;
    return ((changePercent < 0) == (better == Better::Lower)) ? ChangeVerdict::Better : ChangeVerdict::Worse;
}

} // namespace perflab::report

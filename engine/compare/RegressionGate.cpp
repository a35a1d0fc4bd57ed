// RegressionGate: see RegressionGate.h.
#include "engine/compare/RegressionGate.h"

#include <QStringList>

#include <array>
#include <utility>

namespace perflab::compare {

namespace {

constexpr std::array<std::pair<GateMetric, const char *>, 7> kNames{{{GateMetric::P50, "p50"},
                                                                     {GateMetric::P90, "p90"},
                                                                     {GateMetric::P99, "p99"},
                                                                     {GateMetric::P999, "p999"},
                                                                     {GateMetric::Max, "max"},
                                                                     {GateMetric::Rps, "rps"},
                                                                     {GateMetric::ErrorRate, "error_rate"}}};

double valueOf(const RouteFigures &figures, GateMetric metric)
{
    switch (metric) {
    case GateMetric::P50:
        return figures.p50Ms;
    case GateMetric::P90:
        return figures.p90Ms;
    case GateMetric::P99:
        return figures.p99Ms;
    case GateMetric::P999:
        return figures.p999Ms;
    case GateMetric::Max:
        return figures.maxMs;
    case GateMetric::Rps:
        return figures.requestsPerS;
    case GateMetric::ErrorRate:
        return figures.errorRate;
    }
    return 0;
}

QString formatValue(GateMetric metric, double value)
{
    if (metric == GateMetric::Rps)
        return QStringLiteral("%1 req/s").arg(value, 0, 'f', 1);
    if (metric == GateMetric::ErrorRate)
        return QStringLiteral("%1 %").arg(100.0 * value, 0, 'f', 2);
    return QStringLiteral("%1 ms").arg(value, 0, 'g', 4);
}

} // namespace

QString gateMetricName(GateMetric metric)
{
    for (const auto &[known, name] : kNames) {
        if (known == metric)
            return QString::fromLatin1(name);
    }
    return {};
}

QString Regression::text() const
{
    GateMetric kind = GateMetric::P99;
    for (const auto &[known, name] : kNames) {
        if (metric == QLatin1String(name))
            kind = known;
    }
    const QString unit = kind == GateMetric::ErrorRate ? QStringLiteral("pp") : QStringLiteral("%");
    const QString sign = kind == GateMetric::Rps ? QStringLiteral("-") : QStringLiteral("+");
    return QStringLiteral("phase '%1', %2: %3 %4 -> %5 (%6%7 %8 > %9 %8)")
        .arg(phase, route, metric, formatValue(kind, a), formatValue(kind, b), sign)
        .arg(change, 0, 'f', kind == GateMetric::ErrorRate ? 2 : 1)
        .arg(unit)
        .arg(limit, 0, 'g', 4);
}

std::variant<std::vector<GateLimit>, QString> parseMaxRegression(const QString &spec)
{
    std::vector<GateLimit> limits;
    const QStringList entries = spec.split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (entries.isEmpty())
        return QStringLiteral(
            "--max-regression: expected METRIC=LIMIT[,...] such as p99=10%,rps=5%,error_rate=0.5pp");
    for (const QString &raw : entries) {
        const QString entry = raw.trimmed();
        const qsizetype equals = entry.indexOf(QLatin1Char('='));
        const QString name = entry.left(equals).trimmed();
        GateLimit limit;
        bool known = false;
        for (const auto &[metric, metricName] : kNames) {
            if (name == QLatin1String(metricName)) {
                limit.metric = metric;
                known = true;
            }
        }
        if (equals < 0 || !known)
            return QStringLiteral(
                       "--max-regression '%1': expected METRIC=LIMIT with METRIC one of p50, p90, p99, p999, "
                       "max, rps, error_rate")
                .arg(entry);
        QString value = entry.mid(equals + 1).trimmed();
        const bool percentagePoints = limit.metric == GateMetric::ErrorRate;
        const QString unit = percentagePoints ? QStringLiteral("pp") : QStringLiteral("%");
        const QString otherUnit = percentagePoints ? QStringLiteral("%") : QStringLiteral("pp");
        if (value.endsWith(otherUnit))
            return QStringLiteral("--max-regression '%1': %2 takes %3, not %4")
                .arg(entry, name, unit, otherUnit);
        if (value.endsWith(unit))
            value.chop(unit.size());
        bool ok = false;
        limit.limit = value.toDouble(&ok);
        if (!ok || limit.limit < 0)
            return QStringLiteral("--max-regression '%1': expected a number >= 0 before %2").arg(entry, unit);
        limits.push_back(limit);
    }
    return limits;
}

std::vector<Regression> findRegressions(const std::vector<ComparisonRow> &rows,
                                        const std::vector<GateLimit> &limits)
{
    std::vector<Regression> found;
    for (const ComparisonRow &row : rows) {
        if (!row.a || !row.b)
            continue; // listed as "only in", not a regression
        for (const GateLimit &limit : limits) {
            const double a = valueOf(*row.a, limit.metric);
            const double b = valueOf(*row.b, limit.metric);
            double worse = 0;
            if (limit.metric == GateMetric::ErrorRate) {
                worse = 100.0 * (b - a);
            } else {
                const std::optional<double> change = changePercent(a, b);
                if (!change)
                    continue; // no base: a latency or rate of 0 says the phase had no requests
                worse = limit.metric == GateMetric::Rps ? -*change : *change;
            }
            if (worse > limit.limit)
                found.push_back(
                    {row.phase, row.route, gateMetricName(limit.metric), a, b, worse, limit.limit});
        }
    }
    return found;
}

} // namespace perflab::compare

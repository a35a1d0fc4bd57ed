// ComparisonJson: see the header.
#include "engine/compare/ComparisonJson.h"

#include <QJsonArray>

namespace perflab::compare {

namespace {

// The figures that get a change_percent, by their JSON key.
struct ChangeKey
{
    const char *key;
    double RouteFigures::*value;
};

constexpr ChangeKey kChangeKeys[] = {
    {"rps", &RouteFigures::requestsPerS},  {"p50", &RouteFigures::p50Ms},
    {"p90", &RouteFigures::p90Ms},         {"p99", &RouteFigures::p99Ms},
    {"p999", &RouteFigures::p999Ms},       {"max", &RouteFigures::maxMs},
    {"errors", &RouteFigures::errorCount}, {"bytes", &RouteFigures::bytesReceived},
};

QJsonObject figuresJson(const RouteFigures &f)
{
    return {{QStringLiteral("requests"), f.requests},    {QStringLiteral("rps"), f.requestsPerS},
            {QStringLiteral("p50_ms"), f.p50Ms},         {QStringLiteral("p90_ms"), f.p90Ms},
            {QStringLiteral("p99_ms"), f.p99Ms},         {QStringLiteral("p999_ms"), f.p999Ms},
            {QStringLiteral("max_ms"), f.maxMs},         {QStringLiteral("errors"), f.errorCount},
            {QStringLiteral("error_rate"), f.errorRate}, {QStringLiteral("bytes"), f.bytesReceived}};
}

QJsonObject runJson(const SavedRun &run)
{
    return {{QStringLiteral("folder"), run.folder},
            {QStringLiteral("scenario"), run.scenarioName},
            {QStringLiteral("started"), run.started}};
}

} // namespace

QJsonObject comparisonJson(const SavedRun &a, const SavedRun &b, const std::vector<ComparisonRow> &rows,
                           const std::vector<Regression> &regressions, bool gated)
{
    QJsonArray rowArray;
    for (const ComparisonRow &row : rows) {
        QJsonObject json{{QStringLiteral("phase"), row.phase},
                         {QStringLiteral("route"), row.route},
                         {QStringLiteral("a"), row.a ? QJsonValue(figuresJson(*row.a)) : QJsonValue()},
                         {QStringLiteral("b"), row.b ? QJsonValue(figuresJson(*row.b)) : QJsonValue()}};
        if (row.a && row.b) {
            QJsonObject changes;
            for (const ChangeKey &figure : kChangeKeys) {
                const std::optional<double> percent =
                    changePercent((*row.a).*figure.value, (*row.b).*figure.value);
                changes.insert(QLatin1String(figure.key), percent ? QJsonValue(*percent) : QJsonValue());
            }
            json.insert(QStringLiteral("change_percent"), changes);
            json.insert(QStringLiteral("error_rate_change_pp"),
                        100.0 * (row.b->errorRate - row.a->errorRate));
        } else {
            json.insert(QStringLiteral("only_in"), row.a ? QStringLiteral("a") : QStringLiteral("b"));
        }
        rowArray.append(json);
    }
    QJsonArray regressionArray;
    for (const Regression &r : regressions) {
        regressionArray.append(QJsonObject{{QStringLiteral("phase"), r.phase},
                                           {QStringLiteral("route"), r.route},
                                           {QStringLiteral("metric"), r.metric},
                                           {QStringLiteral("a"), r.a},
                                           {QStringLiteral("b"), r.b},
                                           {QStringLiteral("change"), r.change},
                                           {QStringLiteral("limit"), r.limit},
                                           {QStringLiteral("text"), r.text()}});
    }
    return {{QStringLiteral("a"), runJson(a)},
            {QStringLiteral("b"), runJson(b)},
            {QStringLiteral("rows"), rowArray},
            {QStringLiteral("gated"), gated},
            {QStringLiteral("regressions"), regressionArray},
            {QStringLiteral("passed"), regressions.empty()}};
}

} // namespace perflab::compare

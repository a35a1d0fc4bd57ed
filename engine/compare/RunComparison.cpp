// RunComparison: see RunComparison.h.
#include "engine/compare/RunComparison.h"

namespace perflab::compare {

namespace {

const SavedPhase *findPhase(const SavedRun &run, const QString &name)
{
    for (const SavedPhase &phase : run.phases) {
        if (phase.name == name)
            return &phase;
    }
    return nullptr;
}

std::optional<RouteFigures> findRoute(const SavedPhase *phase, const QString &route)
{
    if (!phase)
        return std::nullopt;
    for (const RouteFigures &figures : phase->routes) {
        if (figures.route == route)
            return figures;
    }
    return std::nullopt;
}

void addPhaseRows(std::vector<ComparisonRow> &rows, const QString &name, const SavedPhase *a,
                  const SavedPhase *b)
{
    rows.push_back({name, QStringLiteral("all"), a ? std::optional(a->total) : std::nullopt,
                    b ? std::optional(b->total) : std::nullopt});
    if (a) {
        for (const RouteFigures &route : a->routes)
            rows.push_back({name, route.route, route, findRoute(b, route.route)});
    }
    if (b) {
        for (const RouteFigures &route : b->routes) {
            if (!findRoute(a, route.route))
                rows.push_back({name, route.route, std::nullopt, route});
        }
    }
}

} // namespace

std::vector<ComparisonRow> compareRuns(const SavedRun &a, const SavedRun &b)
{
    std::vector<ComparisonRow> rows;
    for (const SavedPhase &phase : a.phases)
        addPhaseRows(rows, phase.name, &phase, findPhase(b, phase.name));
    for (const SavedPhase &phase : b.phases) {
        if (!findPhase(a, phase.name))
            addPhaseRows(rows, phase.name, nullptr, &phase);
    }
    return rows;
}

std::optional<double> changePercent(double a, double b)
{
    if (a == 0)
        return std::nullopt;
    return 100.0 * (b - a) / a;
}

} // namespace perflab::compare

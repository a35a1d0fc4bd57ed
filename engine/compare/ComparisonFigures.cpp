// ComparisonFigures: see the header.
#include "engine/compare/ComparisonFigures.h"

#include "engine/compare/RunComparison.h"

#include <QLocale>

namespace perflab::compare {

QString deltaFigureHeader(DeltaFigure figure)
{
    switch (figure) {
    case DeltaFigure::Rps:
        return QStringLiteral("req/s");
    case DeltaFigure::P50:
        return QStringLiteral("p50 ms");
    case DeltaFigure::P90:
        return QStringLiteral("p90 ms");
    case DeltaFigure::P99:
        return QStringLiteral("p99 ms");
    case DeltaFigure::P999:
        return QStringLiteral("p99.9 ms");
    case DeltaFigure::Max:
        return QStringLiteral("max ms");
    case DeltaFigure::ErrorRate:
        return QStringLiteral("error rate");
    }
    return {};
}

double deltaFigureValue(const RouteFigures &f, DeltaFigure figure)
{
    switch (figure) {
    case DeltaFigure::Rps:
        return f.requestsPerS;
    case DeltaFigure::P50:
        return f.p50Ms;
    case DeltaFigure::P90:
        return f.p90Ms;
    case DeltaFigure::P99:
        return f.p99Ms;
    case DeltaFigure::P999:
        return f.p999Ms;
    case DeltaFigure::Max:
        return f.maxMs;
    case DeltaFigure::ErrorRate:
        return 100.0 * f.errorRate;
    }
    return 0;
}

report::ChangeVerdict deltaVerdict(const RouteFigures &ra, const RouteFigures &rb, DeltaFigure figure)
{
    const double a = deltaFigureValue(ra, figure);
    const double b = deltaFigureValue(rb, figure);
    if (figure == DeltaFigure::ErrorRate)
        return b > a   ? report::ChangeVerdict::Worse
               : b < a ? report::ChangeVerdict::Better
                       : report::ChangeVerdict::Same;
    const report::Better better = figure == DeltaFigure::Rps ? report::Better::Higher : report::Better::Lower;
    const std::optional<double> change = changePercent(a, b);
    return change ? report::judgeChange(*change, better, kSameBelowPercent) : report::ChangeVerdict::Same;
}

QString deltaValueText(double value, DeltaFigure figure)
{
    const QLocale c = QLocale::c();
    if (figure == DeltaFigure::Rps)
        return c.toString(value, 'f', 1);
    if (figure == DeltaFigure::ErrorRate)
        return c.toString(value, 'f', 2) + QStringLiteral(" %");
    return c.toString(value, 'f', value < 10 ? 3 : 1);
}

QString deltaChangeText(const RouteFigures &ra, const RouteFigures &rb, DeltaFigure figure)
{
    const double a = deltaFigureValue(ra, figure);
    const double b = deltaFigureValue(rb, figure);
    if (figure == DeltaFigure::ErrorRate)
        return QStringLiteral("%1%2 pp").arg(b >= a ? QStringLiteral("+") : QString()).arg(b - a, 0, 'f', 2);
    if (const std::optional<double> percent = changePercent(a, b))
        return QStringLiteral("%1%2 %")
            .arg(*percent >= 0 ? QStringLiteral("+") : QString())
            .arg(*percent, 0, 'f', 1);
    return QStringLiteral("n/a");
}

} // namespace perflab::compare

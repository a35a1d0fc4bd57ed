// See ClaimText.h.
#include "engine/report/ClaimText.h"

#include "engine/report/ReportFormat.h"

#include <QStringList>

#include <algorithm>
#include <cmath>

namespace perflab::report {

namespace {

QString significant(double value)
{
    if (!std::isfinite(value))
        return QStringLiteral("?");
    const double magnitude = std::abs(value);
    const int decimals = magnitude == 0 ? 0 : std::clamp(2 - int(std::floor(std::log10(magnitude))), 0, 6);
    return formatNumber(value, decimals);
}

QString orAll(const QString &name, const char *all)
{
    return name.isEmpty() ? QLatin1String(all) : name;
}

} // namespace

QString claimStatusText(ClaimStatus status)
{
    switch (status) {
    case ClaimStatus::Verified:
        return QStringLiteral("verified");
    case ClaimStatus::NotVerified:
        return QStringLiteral("not verified");
    case ClaimStatus::NotEvaluated:
        break;
    }
    return QStringLiteral("not evaluated");
}

QString claimBoundText(const ClaimResult &claim)
{
    return (claim.atMost ? QStringLiteral("≤ ") : QStringLiteral("≥ ")) + formatNumber(claim.limit, 6);
}

QString claimFigureText(const QString &metric, double value)
{
    if (metric.endsWith(QLatin1String("_ms")))
        return significant(value) + QStringLiteral(" ms");
    if (metric == QLatin1String("rps"))
        return significant(value) + QStringLiteral(" req/s");
    if (metric == QLatin1String("bytes_per_request"))
        return significant(value) + QStringLiteral(" B");
    return significant(value); // rates and shares: fractions
}

QString claimFiguresText(const ClaimResult &claim)
{
    const bool samePhase = !claim.relative || claim.phase == claim.referencePhase;
    const bool sameRoute = !claim.relative || claim.route == claim.referenceRoute;
    QString head = claim.metric;
    if (sameRoute && !claim.route.isEmpty())
        head += u' ' + claim.route;
    if (claim.relative && samePhase)
        head += QStringLiteral(" in ") + orAll(claim.phase, "every phase");

    auto side = [&](const QString &phase, const QString &route, const std::optional<double> &value) {
        QStringList parts;
        if (!samePhase || !claim.relative)
            parts.append(orAll(phase, "whole run"));
        if (!sameRoute)
            parts.append(orAll(route, "all routes"));
        parts.append(value ? claimFigureText(claim.metric, *value) : QStringLiteral("?"));
        return parts.join(u' ');
    };
    QString text = head + QStringLiteral(": ") + side(claim.phase, claim.route, claim.value);
    if (claim.relative)
        text +=
            QStringLiteral(" / ") + side(claim.referencePhase, claim.referenceRoute, claim.referenceValue);
    const std::optional<double> compared = claim.compared();
    if (claim.relative && compared)
        text += QStringLiteral(" = ") + significant(*compared);
    if (!claim.reason.isEmpty())
        return text + QStringLiteral(" (") + claimBoundText(claim) + QStringLiteral("): ") + claim.reason;
    if (claim.status == ClaimStatus::Verified)
        return text + u' ' + claimBoundText(claim);
    return text + QStringLiteral(", expected ") + claimBoundText(claim);
}

QString claimLine(const ClaimResult &claim)
{
    return QStringLiteral("claim %1: %2 — %3")
        .arg(claimStatusText(claim.status), claim.claim, claimFiguresText(claim));
}

} // namespace perflab::report

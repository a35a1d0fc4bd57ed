// RunReport's own logic: the run passes when every threshold passed and no claim was found
// untrue (none of either: passes).
#include "engine/report/RunReport.h"

#include "engine/load/GeneratorTrust.h"

#include <QStringList>

#include <algorithm>

namespace perflab::report {

bool RunReport::thresholdsPassed() const
{
    return std::all_of(thresholds.begin(), thresholds.end(),
                       [](const ThresholdResult &threshold) { return threshold.passed; });
}

bool RunReport::claimsHold() const
{
    return std::none_of(claims.begin(), claims.end(),
                        [](const ClaimResult &claim) { return claim.status == ClaimStatus::NotVerified; });
}

bool RunReport::generatorLimited() const
{
    return std::any_of(phases.begin(), phases.end(), [](const PhaseReport &phase) {
        return load::assessGenerator(phase.stats.generator).generatorLimited;
    });
}

QString RunReport::outcomeText() const
{
    QStringList parts;
    if (!thresholds.empty()) {
        const auto passedCount =
            std::count_if(thresholds.begin(), thresholds.end(),
                          [](const ThresholdResult &threshold) { return threshold.passed; });
        parts << QStringLiteral("%1 of %2 thresholds passed").arg(passedCount).arg(thresholds.size());
    }
    if (!claims.empty()) {
        const auto verified = std::count_if(claims.begin(), claims.end(), [](const ClaimResult &claim) {
            return claim.status == ClaimStatus::Verified;
        });
        parts << QStringLiteral("%1 of %2 claims verified").arg(verified).arg(claims.size());
    }
    return parts.isEmpty() ? QStringLiteral("no thresholds or claims") : parts.join(QStringLiteral(", "));
}

} // namespace perflab::report

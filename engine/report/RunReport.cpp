// RunReport's own logic: the run passes when every threshold passed and no claim was found
// untrue (none of either: passes).
#include "report/RunReport.h"

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

} // namespace perflab::report

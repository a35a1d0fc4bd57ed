// RunReport's own logic: the run passes when every threshold passed (no threshold: passes).
#include "report/RunReport.h"

#include <algorithm>

namespace perflab::report {

bool RunReport::thresholdsPassed() const
{
    return std::all_of(thresholds.begin(), thresholds.end(),
                       [](const ThresholdResult &threshold) { return threshold.passed; });
}

} // namespace perflab::report

// See KneeStep.h.
#include "engine/knee/KneeStep.h"

namespace perflab::knee {

QString reasonKey(KneeReason reason)
{
    switch (reason) {
    case KneeReason::None:
        return QStringLiteral("passed");
    case KneeReason::Errors:
        return QStringLiteral("errors");
    case KneeReason::RateNotFollowed:
        return QStringLiteral("rate_not_followed");
    case KneeReason::LatencyKnee:
        return QStringLiteral("p99_over_bound");
    case KneeReason::MaxRateSustained:
        return QStringLiteral("max_rate_sustained");
    case KneeReason::SweepCompleted:
        return QStringLiteral("sweep_completed");
    case KneeReason::Interrupted:
        return QStringLiteral("interrupted");
    }
    Q_UNREACHABLE();
}

QString reasonText(KneeReason reason)
{
    switch (reason) {
    case KneeReason::None:
        return QStringLiteral("passed");
    case KneeReason::Errors:
        return QStringLiteral("errors over their bound");
    case KneeReason::RateNotFollowed:
        return QStringLiteral("achieved rate fell behind the offered rate");
    case KneeReason::LatencyKnee:
        return QStringLiteral("p99 over its bound");
    case KneeReason::MaxRateSustained:
        return QStringLiteral("--max-rate sustained");
    case KneeReason::SweepCompleted:
        return QStringLiteral("every concurrency of the sweep measured");
    case KneeReason::Interrupted:
        return QStringLiteral("interrupted");
    }
    Q_UNREACHABLE();
}

QString stepKindKey(StepKind kind)
{
    switch (kind) {
    case StepKind::Rise:
        return QStringLiteral("rise");
    case StepKind::Refine:
        return QStringLiteral("refine");
    case StepKind::Sweep:
        return QStringLiteral("sweep");
    }
    Q_UNREACHABLE();
}

} // namespace perflab::knee

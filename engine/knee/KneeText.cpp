// See KneeText.h.
#include "engine/knee/KneeText.h"

namespace perflab::knee {

namespace {

QString ms(double value)
{
    return QString::number(value, 'f', value < 10 ? 2 : value < 100 ? 1 : 0);
}

QString percent(double share)
{
    return QString::number(share * 100, 'f', share < 0.1 ? 2 : 1) + QLatin1Char('%');
}

} // namespace

QString formatRate(double rps)
{
    return QString::number(rps, 'f', rps >= 100 ? 0 : 1);
}

QString stepTableHeader()
{
    return QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8  %9")
        .arg(QStringLiteral("step"), 4)
        .arg(QStringLiteral("kind"), -6)
        .arg(QStringLiteral("offered/s"), 10)
        .arg(QStringLiteral("achieved/s"), 11)
        .arg(QStringLiteral("followed"), 9)
        .arg(QStringLiteral("p50 ms"), 9)
        .arg(QStringLiteral("p99 ms"), 9)
        .arg(QStringLiteral("errors"), 8)
        .arg(QStringLiteral("verdict"));
}

QString stepTableRow(int number, const KneeStep &step, const KneeBounds &bounds)
{
    const double followed = step.offeredRps > 0 ? step.achievedRps / step.offeredRps : 0;
    QString verdict = reasonText(step.verdict);
    if (!step.passed())
        verdict += QStringLiteral(" (") + verdictDetail(step, bounds) + QLatin1Char(')');
    return QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8  %9")
        .arg(number, 4)
        .arg(stepKindKey(step.kind), -6)
        .arg(formatRate(step.offeredRps), 10)
        .arg(formatRate(step.achievedRps), 11)
        .arg(percent(followed), 9)
        .arg(ms(step.p50Ms), 9)
        .arg(ms(step.p99Ms), 9)
        .arg(percent(step.errorShare), 8)
        .arg(verdict);
}

QString sweepTableHeader()
{
    return QStringLiteral("%1 %2 %3 %4 %5 %6  %7")
        .arg(QStringLiteral("step"), 4)
        .arg(QStringLiteral("clients"), 8)
        .arg(QStringLiteral("achieved/s"), 11)
        .arg(QStringLiteral("p50 ms"), 9)
        .arg(QStringLiteral("p99 ms"), 9)
        .arg(QStringLiteral("errors"), 8)
        .arg(QStringLiteral("verdict"));
}

QString sweepTableRow(int number, const KneeStep &step, const KneeBounds &bounds)
{
    QString verdict = reasonText(step.verdict);
    if (!step.passed())
        verdict += QStringLiteral(" (") + verdictDetail(step, bounds) + QLatin1Char(')');
    return QStringLiteral("%1 %2 %3 %4 %5 %6  %7")
        .arg(number, 4)
        .arg(step.concurrency, 8)
        .arg(formatRate(step.achievedRps), 11)
        .arg(ms(step.p50Ms), 9)
        .arg(ms(step.p99Ms), 9)
        .arg(percent(step.errorShare), 8)
        .arg(verdict);
}

QString uslText(const std::optional<UslFit> &fit)
{
    if (!fit)
        return QStringLiteral("USL fit: none (fewer than three concurrencies answered, or no solution)");
    QString text = QStringLiteral("USL fit: λ %1 req/s, σ %2, κ %3, R² %4")
                       .arg(formatRate(fit->lambda), QString::number(fit->sigma, 'g', 3),
                            QString::number(fit->kappa, 'g', 3), QString::number(fit->rSquared, 'f', 3));
    if (fit->peakConcurrency && fit->peakThroughput)
        return text +
               QStringLiteral("; peak at %1 clients: %2 req/s")
                   .arg(QString::number(*fit->peakConcurrency, 'f', 0), formatRate(*fit->peakThroughput));
    if (fit->sigma > 0 && fit->sigma < 1)
        return text + QStringLiteral("; no peak (κ <= 0): throughput levels off towards λ/σ = %1 req/s")
                          .arg(formatRate(fit->lambda / fit->sigma));
    return text + QStringLiteral("; no peak");
}

QString verdictDetail(const KneeStep &step, const KneeBounds &bounds)
{
    switch (step.verdict) {
    case KneeReason::Errors:
        return QStringLiteral("%1 errors of %2 requests, %3 > %4")
            .arg(step.errors)
            .arg(step.requests)
            .arg(percent(step.errorShare), percent(bounds.maxErrorShare));
    case KneeReason::RateNotFollowed:
        return QStringLiteral("%1 of %2 req/s, %3 < %4")
            .arg(formatRate(step.achievedRps), formatRate(step.offeredRps),
                 percent(step.offeredRps > 0 ? step.achievedRps / step.offeredRps : 0),
                 percent(bounds.minFollowShare));
    case KneeReason::LatencyKnee:
        return QStringLiteral("p99 %1 ms > %2 ms").arg(ms(step.p99Ms), ms(bounds.p99Ms));
    case KneeReason::None:
    case KneeReason::MaxRateSustained:
    case KneeReason::SweepCompleted:
    case KneeReason::Interrupted:
        return {};
    }
    Q_UNREACHABLE();
}

QString capacityLine(const KneeResult &result)
{
    const KneeBounds &bounds = result.search.bounds;
    QString line;
    if (result.search.concurrencySweep) {
        line = result.capacityStep ? QStringLiteral("highest throughput: %1 req/s at %2 clients (step %3)")
                                         .arg(formatRate(result.capacityRps))
                                         .arg(result.steps[*result.capacityStep].concurrency)
                                         .arg(*result.capacityStep + 1)
                                   : QStringLiteral("highest throughput: none measured");
        line += QStringLiteral(" — ") + uslText(result.usl);
        if (result.stoppedBecause == KneeReason::Interrupted)
            line += QStringLiteral(" — interrupted");
        return line;
    }
    if (result.capacityStep) {
        line = QStringLiteral("capacity: %1 req/s (step %2)")
                   .arg(formatRate(result.capacityRps))
                   .arg(*result.capacityStep + 1);
    } else {
        line = QStringLiteral("capacity: none found (not even --start-rate %1 req/s was sustained)")
                   .arg(formatRate(result.search.plan.startRps));
    }
    if (result.stoppedBecause == KneeReason::MaxRateSustained)
        return line + QStringLiteral(" — --max-rate sustained: no knee up to %1 req/s")
                          .arg(formatRate(result.search.plan.maxRps));
    if (result.stoppedBecause == KneeReason::Interrupted)
        return line + QStringLiteral(" — interrupted: a lower bound at most");
    if (result.kneeStep) {
        const KneeStep &knee = result.steps[*result.kneeStep];
        line += QStringLiteral(" — the knee: %1 req/s (step %2), %3: %4")
                    .arg(formatRate(knee.offeredRps))
                    .arg(*result.kneeStep + 1)
                    .arg(reasonText(knee.verdict), verdictDetail(knee, bounds));
    }
    return line;
}

} // namespace perflab::knee

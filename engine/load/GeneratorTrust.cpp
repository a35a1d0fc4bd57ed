// See GeneratorTrust.h for the rules and why.
#include "engine/load/GeneratorTrust.h"

#include <algorithm>
#include <cmath>

namespace perflab::load {

namespace {

// HdrHistogram answers a bucket's upper bound, which may lie above the exact maximum.
double percentileMs(const metrics::LatencyHistogram &h, double percentile)
{
    return double(std::min(h.valueAtPercentile(percentile), h.max())) / 1000.0;
}

QString number(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}

QString percent(double share)
{
    return number(100.0 * share, share < 0.1 ? 1 : 0) + QStringLiteral(" %");
}

} // namespace

int GeneratorTrust::busiestThread() const
{
    int busiest = -1;
    for (int i = 0; i < int(threads.size()); ++i)
        if (busiest < 0 || threads[std::size_t(i)].busy() > threads[std::size_t(busiest)].busy())
            busiest = i;
    return busiest;
}

GeneratorTrust assessGenerator(const GeneratorStats &window)
{
    using namespace GeneratorBounds;
    GeneratorTrust trust;
    trust.durationS = double(window.elapsedNs) / 1e9;
    trust.asked = window.asked;
    trust.sent = window.sent;
    trust.openLoop = window.asked >= 1.0;
    trust.achievedPerS = trust.durationS > 0 ? double(window.sent) / trust.durationS : 0.0;
    trust.cpuKnown = window.cpuKnown;
    trust.runWaitKnown = window.runWaitKnown;
    trust.connectionsOpen = window.connectionsOpen;
    trust.connectionsConnecting = window.connectionsConnecting;
    trust.connectFailures = window.connectFailures;
    if (window.cpuKnown && window.elapsedNs > 0) {
        for (const ClientThreadTime &time : window.threads)
            trust.threads.push_back(
                {double(time.cpuNs) / double(window.elapsedNs),
                 window.runWaitKnown ? double(time.runWaitNs) / double(window.elapsedNs) : 0.0});
    }
    const int threadCount = std::max<int>(1, int(window.threads.size()));

    if (trust.openLoop) {
        trust.askedPerS = trust.durationS > 0 ? trust.asked / trust.durationS : 0.0;
        trust.achievedShare = double(trust.sent) / trust.asked;
        trust.sendLagCount = window.sendLag.totalCount();
        trust.sendLagP50Ms = percentileMs(window.sendLag, 50);
        trust.sendLagP99Ms = percentileMs(window.sendLag, 99);
        trust.sendLagMaxMs = double(window.sendLag.max()) / 1000.0;
        const double intervalMs = trust.askedPerS > 0 ? 1000.0 * threadCount / trust.askedPerS : 0.0;
        trust.sendLagBoundMs = std::max(kSendLagFloorMs, intervalMs);
    }

    bool shortfall = false;
    if (trust.openLoop) {
        const double allowed = (1.0 - kMinAchievedShare) * trust.asked + threadCount;
        shortfall = trust.asked - double(trust.sent) > allowed;
    }
    bool lateSends = false;
    if (trust.openLoop && trust.sendLagCount > 0) {
        const auto boundUs = std::int64_t(std::llround(trust.sendLagBoundMs * 1000.0));
        const std::uint64_t late = trust.sendLagCount - window.sendLag.countAtOrBelow(boundUs);
        lateSends = trust.sendLagP99Ms > trust.sendLagBoundMs && late >= kMinLateSends;
    }
    const int busiest = trust.busiestThread();
    const bool saturated = busiest >= 0 && trust.threads[std::size_t(busiest)].busy() >= kMaxBusyShare;
    int waitiest = -1;
    for (int i = 0; i < int(trust.threads.size()); ++i)
        if (waitiest < 0 ||
            trust.threads[std::size_t(i)].runWait > trust.threads[std::size_t(waitiest)].runWait)
            waitiest = i;
    const bool starved =
        waitiest >= 0 && trust.threads[std::size_t(waitiest)].runWait >= kStarvedRunWaitShare;

    if (shortfall) {
        const QString sent =
            QStringLiteral("sent %1 of the %2 req/s asked (%3)")
                .arg(number(trust.achievedPerS, 1), number(trust.askedPerS, 1), percent(trust.achievedShare));
        const bool threadsMeasured = trust.cpuKnown && trust.runWaitKnown;
        if (lateSends || saturated)
            trust.reasons << sent; // the other reasons say why
        else if (starved)
            trust.reasons << sent + QStringLiteral(": client thread %1 waited for a CPU %2 of the time")
                                        .arg(waitiest)
                                        .arg(percent(trust.threads[std::size_t(waitiest)].runWait));
        else if (!threadsMeasured)
            trust.reasons << sent + QStringLiteral(
                                        " (the client threads' CPU could not be read to tell the generator "
                                        "from busy connections)");
        else
            trust.notes << sent + QStringLiteral(
                                      ": every connection was busy with the server while the client threads "
                                      "had time to spare; the latency counts that wait from the intended "
                                      "time, and more connections would offer the rest");
    }
    if (lateSends)
        trust.reasons << QStringLiteral("send lag p99 %1 ms > bound %2 ms")
                             .arg(number(trust.sendLagP99Ms, 2), number(trust.sendLagBoundMs, 2));
    if (saturated) {
        const ClientThreadShare &thread = trust.threads[std::size_t(busiest)];
        trust.reasons << (trust.runWaitKnown
                              ? QStringLiteral(
                                    "client thread %1 was hardly ever idle (on a CPU %2, waiting for one %3)")
                                    .arg(busiest)
                                    .arg(percent(thread.cpu), percent(thread.runWait))
                              : QStringLiteral("client thread %1 was on a CPU %2 of the time")
                                    .arg(busiest)
                                    .arg(percent(thread.cpu)));
    }
    trust.generatorLimited = !trust.reasons.isEmpty();
    return trust;
}

QString trustVerdictWord(const GeneratorTrust &trust)
{
    return trust.generatorLimited ? QStringLiteral("generator-limited") : QStringLiteral("ok");
}

QString trustVerdictText(const GeneratorTrust &trust)
{
    if (trust.generatorLimited)
        return QStringLiteral("generator-limited: ") + trust.reasons.join(QStringLiteral("; "));
    if (!trust.notes.isEmpty())
        return QStringLiteral("ok: the generator kept up, but ") + trust.notes.join(QStringLiteral("; "));
    if (!trust.openLoop)
        return trust.cpuKnown
                   ? QStringLiteral("ok: the client threads had time to spare (closed loop: no asked rate)")
                   : QStringLiteral(
                         "ok as far as measured (closed loop: no asked rate; the threads' CPU could not be read)");
    return trust.cpuKnown
               ? QStringLiteral("ok: the generator sent what was asked, on time, with CPU to spare")
               : QStringLiteral("ok: the generator sent what was asked, on time (its CPU could not be read)");
}

} // namespace perflab::load

// See TrustReport.h.
#include "engine/report/TrustReport.h"

#include <QJsonArray>

namespace perflab::report {

namespace {

QString number(double value, int decimals)
{
    return QString::number(value, 'f', decimals);
}

QString percent(double share)
{
    return number(100.0 * share, 1) + QStringLiteral(" %");
}

QJsonValue orNull(bool present, double value)
{
    return present ? QJsonValue(value) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject trustJson(const load::GeneratorTrust &trust)
{
    const bool open = trust.openLoop;
    QJsonArray threads;
    for (int i = 0; i < int(trust.threads.size()); ++i) {
        const load::ClientThreadShare &thread = trust.threads[std::size_t(i)];
        threads.append(
            QJsonObject{{QStringLiteral("thread"), i},
                        {QStringLiteral("cpu_share"), thread.cpu},
                        {QStringLiteral("run_wait_share"), orNull(trust.runWaitKnown, thread.runWait)},
                        {QStringLiteral("busy_share"), thread.busy()}});
    }
    QJsonValue sendLag(QJsonValue::Null);
    if (open)
        sendLag = QJsonObject{{QStringLiteral("count"), double(trust.sendLagCount)},
                              {QStringLiteral("p50"), trust.sendLagP50Ms},
                              {QStringLiteral("p99"), trust.sendLagP99Ms},
                              {QStringLiteral("max"), trust.sendLagMaxMs}};
    return {{QStringLiteral("model"), open ? QStringLiteral("open") : QStringLiteral("closed")},
            {QStringLiteral("duration_s"), trust.durationS},
            {QStringLiteral("asked"), orNull(open, trust.asked)},
            {QStringLiteral("asked_per_s"), orNull(open, trust.askedPerS)},
            {QStringLiteral("sent"), double(trust.sent)},
            {QStringLiteral("achieved_per_s"), trust.achievedPerS},
            {QStringLiteral("achieved_share"), orNull(open, trust.achievedShare)},
            {QStringLiteral("send_lag_ms"), sendLag},
            {QStringLiteral("send_lag_bound_ms"), orNull(open, trust.sendLagBoundMs)},
            {QStringLiteral("client_threads"), threads},
            {QStringLiteral("connections"),
             QJsonObject{{QStringLiteral("open"), double(trust.connectionsOpen)},
                         {QStringLiteral("connecting"), double(trust.connectionsConnecting)},
                         {QStringLiteral("connect_failures"), double(trust.connectFailures)}}},
            {QStringLiteral("verdict"),
             trust.generatorLimited ? QStringLiteral("generator_limited") : QStringLiteral("ok")},
            {QStringLiteral("generator_limited"), trust.generatorLimited},
            {QStringLiteral("reasons"), QJsonArray::fromStringList(trust.reasons)},
            {QStringLiteral("notes"), QJsonArray::fromStringList(trust.notes)},
            {QStringLiteral("text"), load::trustVerdictText(trust)}};
}

QString askedText(const load::GeneratorTrust &trust)
{
    return trust.openLoop ? number(trust.askedPerS, 1) + QStringLiteral(" req/s")
                          : QStringLiteral("none (closed loop)");
}

QString achievedText(const load::GeneratorTrust &trust)
{
    QString text = number(trust.achievedPerS, 1) + QStringLiteral(" req/s");
    if (trust.openLoop)
        text += QStringLiteral(" (%1)").arg(percent(trust.achievedShare));
    return text;
}

QString sendLagText(const load::GeneratorTrust &trust)
{
    if (!trust.openLoop)
        return QStringLiteral("none (closed loop: no schedule)");
    return QStringLiteral("p50 %1, p99 %2, max %3 ms (bound %4 ms)")
        .arg(number(trust.sendLagP50Ms, 2), number(trust.sendLagP99Ms, 2), number(trust.sendLagMaxMs, 2),
             number(trust.sendLagBoundMs, 2));
}

QString clientCpuText(const load::GeneratorTrust &trust)
{
    if (trust.threads.empty())
        return QStringLiteral("not measured");
    QStringList parts;
    for (int i = 0; i < int(trust.threads.size()); ++i) {
        const load::ClientThreadShare &thread = trust.threads[std::size_t(i)];
        QString part = QStringLiteral("#%1 %2").arg(i).arg(percent(thread.cpu));
        if (trust.runWaitKnown)
            part += QStringLiteral(" (+%1 waiting for a CPU)").arg(percent(thread.runWait));
        parts << part;
    }
    return parts.join(QStringLiteral(", "));
}

QStringList trustTextLines(const load::GeneratorTrust &trust)
{
    QStringList lines;
    lines << (trust.openLoop ? QStringLiteral("generator (open loop)")
                             : QStringLiteral("generator (closed loop: no asked rate)"));
    if (trust.openLoop)
        lines << QStringLiteral("asked %1, sent %2").arg(askedText(trust), achievedText(trust));
    else
        lines << QStringLiteral("sent %1").arg(achievedText(trust));
    // Not the late-send count above it, which counts from the intended time whatever held the
    // send back: the lag counts only the generator's own part.
    lines << (trust.openLoop ? QStringLiteral("send lag once a connection was free: ") + sendLagText(trust)
                             : QStringLiteral("send lag ") + sendLagText(trust));
    lines << QStringLiteral("client thread CPU: ") + clientCpuText(trust);
    lines << QStringLiteral("connections: %1 open, %2 connecting, %3 failed connects")
                 .arg(trust.connectionsOpen)
                 .arg(trust.connectionsConnecting)
                 .arg(trust.connectFailures);
    lines << QStringLiteral("verdict: ") + load::trustVerdictText(trust);
    return lines;
}

} // namespace perflab::report

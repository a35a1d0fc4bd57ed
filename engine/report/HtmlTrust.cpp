// See HtmlTrust.h.
#include "engine/report/HtmlTrust.h"

#include "engine/load/GeneratorTrust.h"
#include "engine/report/TrustReport.h"

using namespace Qt::StringLiterals;

namespace perflab::report {

namespace {
QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}
} // namespace

QString trustSummaryText(const RunReport &report)
{
    QStringList limited;
    for (const PhaseReport &phase : report.phases)
        if (load::assessGenerator(phase.stats.generator).generatorLimited)
            limited << phase.name;
    if (limited.isEmpty())
        return u"kept up in every phase"_s;
    return QStringLiteral(
               "was the limit in %1 of %2 phases (%3): their figures are the generator's, not the server's")
        .arg(limited.size())
        .arg(report.phases.size())
        .arg(limited.join(u", "_s));
}

QString trustHtml(const RunReport &report)
{
    QString html =
        QStringLiteral(
            "<p>Whether the load generator kept its own schedule, measured by the generator itself. A phase is "
            "<em>generator-limited</em> when it sent less than %1 % of the requests its open-loop schedule asked for, "
            "when its send lag p99 (how late a send left once a connection was free for it) exceeds the bound "
            "(the mean interval between one client thread's sends, at least %2 ms), or when a client thread was "
            "on a CPU or waiting for one at least %3 % of the time. A closed loop has no asked rate; only its "
            "threads' CPU can tell.</p>\n")
            .arg(qRound(100 * load::GeneratorBounds::kMinAchievedShare))
            .arg(load::GeneratorBounds::kSendLagFloorMs)
            .arg(qRound(100 * load::GeneratorBounds::kMaxBusyShare));
    html +=
        u"<table class=\"figures trust\"><thead><tr><th>phase</th><th>asked</th><th>sent</th>"
        "<th>send lag</th><th>client thread CPU</th><th>connections</th><th>verdict</th></tr></thead><tbody>\n"_s;
    for (const PhaseReport &phase : report.phases) {
        const load::GeneratorTrust trust = load::assessGenerator(phase.stats.generator);
        html +=
            QStringLiteral(
                "<tr class=\"%1\"><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td>"
                "<td>%8</td></tr>\n")
                .arg(trust.generatorLimited ? u"fail"_s : u"pass"_s, esc(phase.name), esc(askedText(trust)),
                     esc(achievedText(trust)), esc(sendLagText(trust)), esc(clientCpuText(trust)),
                     esc(QStringLiteral("%1 open, %2 failed connects")
                             .arg(trust.connectionsOpen)
                             .arg(trust.connectFailures)),
                     esc(load::trustVerdictText(trust)));
    }
    return html + u"</tbody></table>\n"_s;
}

} // namespace perflab::report

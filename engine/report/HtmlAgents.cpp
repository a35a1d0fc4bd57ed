// See HtmlAgents.h.
#include "engine/report/HtmlAgents.h"

#include "engine/load/GeneratorTrust.h"
#include "engine/report/ReportFormat.h"
#include "engine/report/TrustReport.h"

using namespace Qt::StringLiterals;

namespace perflab::report {

namespace {
QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}
} // namespace

QString agentsHtml(const RunReport &report)
{
    QString html =
        u"<p>The phases' figures above are the exact merge of these agents' interval histograms "
        "(HdrHistogram V2, every 100 ms): the same counts per bucket as one histogram of every sample. "
        "Each agent judges its own generator.</p>\n<table class=\"figures\"><thead><tr><th>phase</th>"
        "<th>agent</th><th>share</th><th>responses</th><th>req/s</th><th>p50 ms</th><th>p99 ms</th>"
        "<th>errors</th><th>asked / sent</th><th>verdict</th></tr></thead><tbody>\n"_s;
    for (const PhaseReport &phase : report.phases) {
        const double seconds = std::max(0.001, double(phase.endMs - phase.startMs) / 1000.0);
        for (const AgentReport &agent : phase.agents) {
            const load::GeneratorTrust trust = load::assessGenerator(agent.generator);
            const QString verdict = agent.lost ? u"lost: its share is missing from then on"_s
                                               : esc(load::trustVerdictText(trust));
            html +=
                QStringLiteral("<tr%1><td>%2</td><td>%3</td><td>%4 %</td><td>%5</td><td>%6</td><td>%7</td>"
                               "<td>%8</td><td>%9</td><td>%10</td><td>%11</td></tr>\n")
                    .arg(agent.lost || trust.generatorLimited ? u" class=\"fail\""_s : QString(),
                         esc(phase.name), esc(agent.name), QString::number(100.0 * agent.share, 'f', 1),
                         formatNumber(double(agent.total.responses), 6),
                         formatNumber(double(agent.total.responses) / seconds, 4),
                         formatNumber(double(agent.total.corrected.valueAtPercentile(50)) / 1000.0, 3),
                         formatNumber(double(agent.total.corrected.valueAtPercentile(99)) / 1000.0, 3),
                         formatNumber(double(agent.total.errorCount()), 6),
                         trust.openLoop ? esc(askedText(trust)) + u" / "_s + esc(achievedText(trust))
                                        : u"closed loop"_s,
                         verdict);
        }
    }
    html += u"</tbody></table>\n"_s;
    if (!report.agentProblems.isEmpty()) {
        html += u"<ul class=\"problems\">\n"_s;
        for (const QString &problem : report.agentProblems)
            html += u"<li>"_s + esc(problem) + u"</li>\n"_s;
        html += u"</ul>\n"_s;
    }
    return html;
}

} // namespace perflab::report

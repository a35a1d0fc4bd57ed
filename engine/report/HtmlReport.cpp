// HtmlReport: summary, claims, thresholds and charts; the page frame and the environment
// table come from HtmlPage, the figure tables from HtmlTables, the settings from HtmlSettings.
#include "engine/report/HtmlReport.h"

#include "engine/report/ClaimText.h"
#include "engine/report/HtmlAgents.h"
#include "engine/report/HtmlPage.h"
#include "engine/report/HtmlSettings.h"
#include "engine/report/HtmlTables.h"
#include "engine/report/HtmlTrust.h"
#include "engine/report/ReportFormat.h"
#include "engine/report/ReportStats.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace perflab::report {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString badge(bool passed)
{
    return passed ? u"<span class=\"badge pass\">PASS</span>"_s : u"<span class=\"badge fail\">FAIL</span>"_s;
}

QString summaryHtml(const RunReport &report)
{
    const std::vector<load::RouteStats> routes = routesAcrossPhases(report.phases);
    const load::RouteStats total = mergedRoutes(routes);
    double phasesS = 0;
    for (const PhaseReport &phase : report.phases)
        phasesS += phaseDurationS(phase);
    const double durationS = double(std::max<qint64>(0, report.finishedMs - report.startedMs)) / 1000.0;
    const std::uint64_t requests = requestCount(total);

    QString html = u"<table class=\"kv\">\n"_s;
    html += htmlKvRow(u"result"_s, badge(report.passed()) + QLatin1Char(' ') + esc(report.outcomeText()));
    html += htmlKvRow(u"target"_s, esc(report.target));
    if (!report.scenarioFile.isEmpty())
        html += htmlKvRow(u"scenario file"_s, esc(report.scenarioFile));
    html += htmlKvRow(u"started"_s, formatUtc(report.startedMs));
    html += htmlKvRow(u"duration"_s, formatDuration(durationS));
    html += htmlKvRow(u"scale"_s, formatNumber(report.scale, 3));
    html += htmlKvRow(u"phases"_s, QString::number(report.phases.size()));
    html += htmlKvRow(u"requests"_s, QStringLiteral("%1 (%2/s over the phases)")
                                         .arg(requests)
                                         .arg(formatNumber(phasesS > 0 ? double(requests) / phasesS : 0, 1)));
    html += htmlKvRow(
        u"errors"_s,
        QStringLiteral("%1 (%2%)").arg(total.errorCount()).arg(formatNumber(errorRate(total) * 100, 2)));
    html += htmlKvRow(u"load generator"_s,
                      (report.generatorLimited() ? u"<span class=\"badge fail\">LIMITED</span> "_s
                                                 : u"<span class=\"badge pass\">OK</span> "_s) +
                          esc(trustSummaryText(report)));
    return html + u"</table>\n"_s;
}

QString claimsHtml(const RunReport &report)
{
    if (report.claims.empty())
        return u"<p>The scenario states no claims.</p>\n"_s;
    QString html =
        u"<p>What the scenario demonstrates, checked on this run's figures: a ratio of two phases or "
        "routes, or one figure, against its bound.</p>\n<table class=\"figures claims\"><thead><tr>"
        "<th>claim</th><th>figures</th><th>result</th></tr></thead><tbody>\n"_s;
    for (const ClaimResult &claim : report.claims) {
        const bool verified = claim.status == ClaimStatus::Verified;
        const QString cls = verified                                   ? u"pass"_s
                            : claim.status == ClaimStatus::NotVerified ? u"fail"_s
                                                                       : u"skipped"_s;
        html +=
            QStringLiteral("<tr class=\"claim %1\"><td>%2</td><td>%3</td><td>%4</td></tr>\n")
                .arg(cls, esc(claim.claim), esc(claimFiguresText(claim)), esc(claimStatusText(claim.status)));
    }
    return html + u"</tbody></table>\n"_s;
}

QString thresholdsHtml(const RunReport &report)
{
    if (report.thresholds.empty())
        return u"<p>The scenario sets no thresholds.</p>\n"_s;
    QString html = u"<table class=\"figures\"><thead><tr><th>threshold</th><th>phase</th><th>limit</th>"
                   "<th>actual</th><th>result</th></tr></thead><tbody>\n"_s;
    for (const ThresholdResult &t : report.thresholds) {
        html +=
            QStringLiteral("<tr class=\"%1\"><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td></tr>\n")
                .arg(t.passed ? u"pass"_s : u"fail"_s, esc(t.name),
                     t.phase.isEmpty() ? u"whole run"_s : esc(t.phase), formatNumber(t.limit, 4),
                     formatNumber(t.actual, 4), t.passed ? u"pass"_s : u"FAIL"_s);
    }
    return html + u"</tbody></table>\n"_s;
}

// The events again as a table: a tooltip needs a mouse, a printed report has none.
QString eventsHtml(const RunReport &report)
{
    if (report.events.empty())
        return {};
    QString html =
        u"<h3>Events</h3>\n<table class=\"figures events\"><thead><tr><th>time s</th><th>phase</th>"
        "<th>kind</th><th>detail</th></tr></thead><tbody>\n"_s;
    for (const metrics::TimeSeriesEvent &event : report.events) {
        const auto phase = phaseIndexForEvent(report.phases, event.timestampMs);
        html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td><code>%4</code></td></tr>\n")
                    .arg(formatNumber(double(event.timestampMs - report.startedMs) / 1000.0, 3),
                         phase ? esc(report.phases[std::size_t(*phase)].name) : QString(), esc(event.kind),
                         esc(QString::fromUtf8(QJsonDocument(event.detail).toJson(QJsonDocument::Compact))));
    }
    return html + u"</tbody></table>\n"_s;
}

// A cluster target: each member's own counters per phase, beside the merged figures above.
QString instancesHtml(const RunReport &report)
{
    QString html =
        u"<p>Each instance's own counters between the phase's start and end (its /metrics), and the "
        "probes' figures where the scenario has them.</p>\n<table class=\"figures\"><thead><tr><th>phase</th>"
        "<th>instance</th><th>requests</th><th>share</th><th>cache hit rate</th><th>cache errors</th>"
        "<th>5xx</th><th>jobs completed</th></tr></thead><tbody>\n"_s;
    for (const PhaseReport &phase : report.phases) {
        double total = 0;
        for (const cluster::MemberFigures &member : phase.members)
            total += member.answered ? member.requests : 0;
        for (const cluster::MemberFigures &member : phase.members) {
            if (!member.answered) {
                html += QStringLiteral(
                            "<tr class=\"fail\"><td>%1</td><td>%2</td><td colspan=\"6\">did not answer "
                            "(stopped or killed)</td></tr>\n")
                            .arg(esc(phase.name), esc(member.instance));
                continue;
            }
            const double hitRate = member.hitRate();
            html += QStringLiteral(
                        "<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td>"
                        "<td>%8</td></tr>\n")
                        .arg(esc(phase.name), esc(member.instance), formatNumber(member.requests, 6),
                             total > 0 ? QString::number(100.0 * member.requests / total, 'f', 1) + u" %"_s
                                       : u"—"_s,
                             hitRate < 0 ? u"—"_s : QString::number(100.0 * hitRate, 'f', 1) + u" %"_s,
                             formatNumber(member.cacheErrors, 6), formatNumber(member.serverErrors, 6),
                             formatNumber(member.jobsCompleted, 6));
        }
    }
    html += u"</tbody></table>\n"_s;
    QString probes;
    for (const PhaseReport &phase : report.phases) {
        if (phase.probeReads > 0)
            probes += QStringLiteral("<li>%1: %2 of %3 reads stale after a rename</li>\n")
                          .arg(esc(phase.name))
                          .arg(phase.staleReads)
                          .arg(phase.probeReads);
        if (phase.jobsAccepted + phase.jobsRefused > 0)
            probes +=
                QStringLiteral("<li>%1: %2 of %3 accepted jobs completed (%4 failed, %5 refused)</li>\n")
                    .arg(esc(phase.name))
                    .arg(phase.jobsCompleted)
                    .arg(phase.jobsAccepted)
                    .arg(phase.jobsFailed)
                    .arg(phase.jobsRefused);
    }
    return probes.isEmpty() ? html : html + u"<ul>\n"_s + probes + u"</ul>\n"_s;
}

QString chartsHtml(const RunReport &report, const std::vector<NamedChart> &charts)
{
    QString html =
        u"<p>Phases are the bands named on top; ▲ marks a setting change (hover for the patch).</p>\n"_s;
    for (const NamedChart &chart : charts)
        html += u"<figure>\n"_s + renderSvgChart(chart.spec) + u"</figure>\n"_s;
    return html + eventsHtml(report);
}

} // namespace

QString reportHtml(const RunReport &report, const std::vector<NamedChart> &charts)
{
    const QString name = report.scenarioName.isEmpty() ? u"Perflab run"_s : report.scenarioName;
    QString html;
    html.reserve(256 * 1024);
    html += htmlPageStart(name + u" — Perflab report"_s);
    html += u"<header>\n<h1>"_s + esc(name) + u"</h1>\n"_s;
    if (!report.description.isEmpty())
        html += u"<p class=\"description\">"_s + esc(report.description) + u"</p>\n"_s;
    html += u"</header>\n"_s;
    html += htmlSection("summary", u"Summary"_s, summaryHtml(report));
    html += htmlSection("claims", u"Claims"_s, claimsHtml(report));
    html += htmlSection("thresholds", u"Thresholds"_s, thresholdsHtml(report));
    html += htmlSection("trust", u"Generator trust"_s, trustHtml(report));
    html += htmlSection("charts", u"Charts"_s, chartsHtml(report, charts));
    html += htmlSection(
        "phases", u"Phases"_s,
        u"<p>Latency corrected for coordinated omission (from the intended send time) unless marked "
        "uncorrected. Under each figure: the change against the previous phase.</p>\n"_s +
            phaseTableHtml(report));
    html += htmlSection("routes", u"Routes per phase"_s, routeTablesHtml(report));
    if (std::any_of(report.phases.begin(), report.phases.end(), [](const PhaseReport &p) {
            return !p.members.empty() || p.probeReads > 0 || p.jobsAccepted + p.jobsRefused > 0;
        }))
        html += htmlSection("instances", u"Instances and probes"_s, instancesHtml(report));
    if (std::any_of(report.phases.begin(), report.phases.end(),
                    [](const PhaseReport &p) { return !p.agents.empty(); }))
        html += htmlSection("agents", u"Load agents"_s, agentsHtml(report));
    html += htmlSection(
        "server-timing", u"Server-Timing split"_s,
        u"<p>Means over the responses that carried each part; the parts under handler are within it. "
        "The remainder is the client's uncorrected mean minus the server total: network, kernels and the "
        "load generator.</p>\n"_s +
            serverTimingHtml(report));
    html += htmlSection("settings", u"Settings"_s, settingsHtml(report));
    html += htmlSection("environment", u"Environment"_s, environmentHtml(report.environment));
    html += u"<footer>Written by Perflab "_s + esc(report.environment.perflabVersion) + u" on "_s +
            formatUtc(report.finishedMs) + u".</footer>\n</body>\n</html>\n"_s;
    return html;
}

} // namespace perflab::report

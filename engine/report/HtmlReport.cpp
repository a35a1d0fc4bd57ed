// HtmlReport: the page skeleton, summary, claims, thresholds, charts and environment; the figure
// tables come from HtmlTables, the settings from HtmlSettings.
#include "report/HtmlReport.h"

#include "report/ClaimText.h"
#include "report/HtmlSettings.h"
#include "report/HtmlTables.h"
#include "report/HtmlTrust.h"
#include "report/ReportFormat.h"
#include "report/ReportStats.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace perflab::report {

namespace {

QString esc(const QString &text) { return text.toHtmlEscaped(); }

// Okabe-Ito blue/vermillion for better/worse: tell apart without red-green vision too.
constexpr char kCss[] = R"css(
body { font: 14px/1.45 system-ui, "DejaVu Sans", Helvetica, Arial, sans-serif; color: #222;
       max-width: 1180px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 2px solid #0072B2; padding-bottom: 2px; }
h3 { font-size: 15px; margin: 18px 0 4px; }
.description { white-space: pre-line; color: #444; margin: 0 0 8px; }
table { border-collapse: collapse; margin: 6px 0 16px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #e2e2e2; padding: 3px 8px; text-align: right; vertical-align: top; }
th { background: #f3f5f7; font-weight: 600; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
table.figures { font-size: 13px; }
table.routes td:first-child { white-space: nowrap; }
.scroll { overflow-x: auto; }
table.kv th { text-align: left; }
table.kv td { text-align: left; }
table.events td, table.events th { text-align: left; }
table.claims td { text-align: left; }
table.trust td { text-align: left; }
.skipped { color: #666; background: #eeeeee; }
table.settings td { text-align: left; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
tr.total td { font-weight: 600; }
tr.nested td:first-child { color: #555; }
tr.changed td { background: #fff3c4; }
.chg { display: block; font-size: 11px; }
.chg.better { color: #0072B2; }
.chg.worse { color: #D55E00; }
.chg.same, .chg.neutral { color: #888; }
.pass { color: #0b6b2e; background: #e3f4e8; font-weight: 600; }
.fail { color: #a11d12; background: #fde5e1; font-weight: 600; }
.badge { padding: 1px 8px; border-radius: 3px; }
pre { background: #f6f8fa; padding: 6px 10px; overflow: auto; font-size: 12px; margin: 4px 0 8px; }
figure { margin: 8px 0 18px; }
figure svg { max-width: 100%; height: auto; border: 1px solid #e6e6e6; }
details summary { cursor: pointer; color: #0072B2; }
footer { margin-top: 36px; color: #777; font-size: 12px; }
)css";

QString kvRow(const QString &key, const QString &valueHtml)
{
    return u"<tr><th>"_s + esc(key) + u"</th><td>"_s + valueHtml + u"</td></tr>\n"_s;
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
    html += kvRow(u"result"_s, badge(report.passed()) + QLatin1Char(' ') + esc(report.outcomeText()));
    html += kvRow(u"target"_s, esc(report.target));
    if (!report.scenarioFile.isEmpty())
        html += kvRow(u"scenario file"_s, esc(report.scenarioFile));
    html += kvRow(u"started"_s, formatUtc(report.startedMs));
    html += kvRow(u"duration"_s, formatDuration(durationS));
    html += kvRow(u"scale"_s, formatNumber(report.scale, 3));
    html += kvRow(u"phases"_s, QString::number(report.phases.size()));
    html += kvRow(u"requests"_s, QStringLiteral("%1 (%2/s over the phases)")
                                     .arg(requests)
                                     .arg(formatNumber(phasesS > 0 ? double(requests) / phasesS : 0, 1)));
    html += kvRow(u"errors"_s, QStringLiteral("%1 (%2%)").arg(total.errorCount()).arg(formatNumber(errorRate(total) * 100, 2)));
    html += kvRow(u"load generator"_s, (report.generatorLimited() ? u"<span class=\"badge fail\">LIMITED</span> "_s
                                                                  : u"<span class=\"badge pass\">OK</span> "_s)
                                           + esc(trustSummaryText(report)));
    return html + u"</table>\n"_s;
}

QString claimsHtml(const RunReport &report)
{
    if (report.claims.empty())
        return u"<p>The scenario states no claims.</p>\n"_s;
    QString html = u"<p>What the scenario demonstrates, checked on this run's figures: a ratio of two phases or "
                   "routes, or one figure, against its bound.</p>\n<table class=\"figures claims\"><thead><tr>"
                   "<th>claim</th><th>figures</th><th>result</th></tr></thead><tbody>\n"_s;
    for (const ClaimResult &claim : report.claims) {
        const bool verified = claim.status == ClaimStatus::Verified;
        const QString cls = verified ? u"pass"_s : claim.status == ClaimStatus::NotVerified ? u"fail"_s : u"skipped"_s;
        html += QStringLiteral("<tr class=\"claim %1\"><td>%2</td><td>%3</td><td>%4</td></tr>\n")
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
        html += QStringLiteral("<tr class=\"%1\"><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td></tr>\n")
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
    QString html = u"<h3>Events</h3>\n<table class=\"figures events\"><thead><tr><th>time s</th><th>phase</th>"
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
    QString html = u"<p>Each instance's own counters between the phase's start and end (its /metrics), and the "
                   "probes' figures where the scenario has them.</p>\n<table class=\"figures\"><thead><tr><th>phase</th>"
                   "<th>instance</th><th>requests</th><th>share</th><th>cache hit rate</th><th>cache errors</th>"
                   "<th>5xx</th><th>jobs completed</th></tr></thead><tbody>\n"_s;
    for (const PhaseReport &phase : report.phases) {
        double total = 0;
        for (const cluster::MemberFigures &member : phase.members)
            total += member.answered ? member.requests : 0;
        for (const cluster::MemberFigures &member : phase.members) {
            if (!member.answered) {
                html += QStringLiteral("<tr class=\"fail\"><td>%1</td><td>%2</td><td colspan=\"6\">did not answer "
                                       "(stopped or killed)</td></tr>\n")
                            .arg(esc(phase.name), esc(member.instance));
                continue;
            }
            const double hitRate = member.hitRate();
            html += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td>"
                                   "<td>%8</td></tr>\n")
                        .arg(esc(phase.name), esc(member.instance), formatNumber(member.requests, 6),
                             total > 0 ? QString::number(100.0 * member.requests / total, 'f', 1) + u" %"_s : u"—"_s,
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
            probes += QStringLiteral("<li>%1: %2 of %3 accepted jobs completed (%4 failed, %5 refused)</li>\n")
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
    QString html = u"<p>Phases are the bands named on top; ▲ marks a setting change (hover for the patch).</p>\n"_s;
    for (const NamedChart &chart : charts)
        html += u"<figure>\n"_s + renderSvgChart(chart.spec) + u"</figure>\n"_s;
    return html + eventsHtml(report);
}

QString environmentHtml(const Environment &e)
{
    QString html = u"<table class=\"kv\">\n"_s;
    html += kvRow(u"CPU"_s, esc(e.cpuModel.isEmpty() ? u"unknown"_s : e.cpuModel));
    html += kvRow(u"logical CPUs"_s, QString::number(e.cpuCores));
    html += kvRow(u"server threads"_s, e.serverThreads > 0 ? QString::number(e.serverThreads) : u"external target"_s);
    html += kvRow(u"load threads"_s, QString::number(e.loadThreads));
    html += kvRow(u"Perflab"_s, esc(e.perflabVersion));
    html += kvRow(u"Qt"_s, esc(e.qtVersion));
    html += kvRow(u"OS"_s, esc(e.os));
    html += kvRow(u"host"_s, esc(e.hostName));
    return html + u"</table>\n"_s;
}

QString section(const char *id, const QString &title, const QString &body)
{
    return QStringLiteral("<section id=\"%1\">\n<h2>%2</h2>\n").arg(QLatin1String(id), title) + body
           + u"</section>\n"_s;
}

} // namespace

QString reportHtml(const RunReport &report, const std::vector<NamedChart> &charts)
{
    const QString name = report.scenarioName.isEmpty() ? u"Perflab run"_s : report.scenarioName;
    QString html;
    html.reserve(256 * 1024);
    html += u"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"_s
            + esc(name) + u" — Perflab report</title>\n<style>"_s + QLatin1String(kCss) + u"</style>\n</head>\n<body>\n"_s;
    html += u"<header>\n<h1>"_s + esc(name) + u"</h1>\n"_s;
    if (!report.description.isEmpty())
        html += u"<p class=\"description\">"_s + esc(report.description) + u"</p>\n"_s;
    html += u"</header>\n"_s;
    html += section("summary", u"Summary"_s, summaryHtml(report));
    html += section("claims", u"Claims"_s, claimsHtml(report));
    html += section("thresholds", u"Thresholds"_s, thresholdsHtml(report));
    html += section("trust", u"Generator trust"_s, trustHtml(report));
    html += section("charts", u"Charts"_s, chartsHtml(report, charts));
    html += section("phases", u"Phases"_s,
                    u"<p>Latency corrected for coordinated omission (from the intended send time) unless marked "
                    "uncorrected. Under each figure: the change against the previous phase.</p>\n"_s
                        + phaseTableHtml(report));
    html += section("routes", u"Routes per phase"_s, routeTablesHtml(report));
    if (std::any_of(report.phases.begin(), report.phases.end(), [](const PhaseReport &p) {
            return !p.members.empty() || p.probeReads > 0 || p.jobsAccepted + p.jobsRefused > 0;
        }))
        html += section("instances", u"Instances and probes"_s, instancesHtml(report));
    html += section("server-timing", u"Server-Timing split"_s,
                    u"<p>Means over the responses that carried each part; the parts under handler are within it. "
                    "The remainder is the client's uncorrected mean minus the server total: network, kernels and the "
                    "load generator.</p>\n"_s
                        + serverTimingHtml(report));
    html += section("settings", u"Settings"_s, settingsHtml(report));
    html += section("environment", u"Environment"_s, environmentHtml(report.environment));
    html += u"<footer>Written by Perflab "_s + esc(report.environment.perflabVersion) + u" on "_s
            + formatUtc(report.finishedMs) + u".</footer>\n</body>\n</html>\n"_s;
    return html;
}

} // namespace perflab::report

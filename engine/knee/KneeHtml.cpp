// See KneeHtml.h.
#include "engine/knee/KneeHtml.h"

#include "engine/knee/KneeText.h"
#include "engine/report/HtmlPage.h"
#include "engine/report/ReportFormat.h"

using namespace Qt::StringLiterals;

namespace perflab::knee {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString summaryHtml(const KneeResult &result)
{
    const bool found = result.foundCapacity();
    const QString badge = found ? u"<span class=\"badge pass\">"_s : u"<span class=\"badge fail\">"_s;
    QString html = u"<p>"_s + badge + esc(capacityLine(result)) + u"</span></p>\n<table class=\"kv\">\n"_s;
    html += report::htmlKvRow(u"target"_s, esc(result.targetArgument));
    html += report::htmlKvRow(u"address"_s,
                              esc(result.url) + (result.embedded ? u" (embedded lab)"_s : QString()));
    html += report::htmlKvRow(u"requests"_s, esc(result.routes.join(u", "_s)));
    if (result.search.concurrencySweep) {
        html += report::htmlKvRow(u"highest throughput"_s, result.capacityStep
                                                               ? formatRate(result.capacityRps) + u" req/s"_s
                                                               : u"none measured"_s);
        html += report::htmlKvRow(u"scalability law"_s, esc(uslText(result.usl)));
    } else {
        html += report::htmlKvRow(u"capacity"_s, result.capacityStep
                                                     ? formatRate(result.capacityRps) + u" req/s"_s
                                                     : u"none found"_s);
    }
    if (result.kneeStep)
        html +=
            report::htmlKvRow(u"knee"_s, formatRate(result.steps[*result.kneeStep].offeredRps) + u" req/s"_s);
    html += report::htmlKvRow(u"stopped because"_s, esc(reasonText(result.stoppedBecause)));
    html += report::htmlKvRow(u"started"_s, report::formatUtc(result.startedMs));
    html += report::htmlKvRow(
        u"duration"_s,
        report::formatDuration(double(std::max<qint64>(0, result.finishedMs - result.startedMs)) / 1000.0));
    html += report::htmlKvRow(u"steps"_s, QString::number(result.steps.size()));
    return html + u"</table>\n"_s;
}

QString sweepRuleHtml(const KneeSearch &search)
{
    return u"<p>Closed-loop steps of %1 s (the first %2 s of each not measured): N clients, each sending its next "
           "request as soon as the previous one is answered, N = 1, 2, 4, ... up to %3. The Universal Scalability "
           "Law X(N) = λN / (1 + σ(N − 1) + κN(N − 1)) is fitted by least squares on N / X(N), the mean response "
           "time, in which it is linear; σ is contention (work that serialises), κ coherency (a cost that grows "
           "with N², past the peak N* = √((1 − σ) / κ) throughput falls).</p>\n"_s.arg(
               report::formatNumber(search.stepS, 3), report::formatNumber(search.warmupS, 3),
               QString::number(search.connections));
}

QString ruleHtml(const KneeSearch &search)
{
    if (search.concurrencySweep)
        return sweepRuleHtml(search);
    const RatePlan &plan = search.plan;
    const QString rise = plan.stepRps > 0 ? u"+ %1 req/s"_s.arg(formatRate(plan.stepRps))
                                          : u"× %1"_s.arg(report::formatNumber(plan.factor, 3));
    const QString steps =
        u"<p>Open-loop steps of %1 s (the first %2 s of each not measured), rising from %3 req/s by "
        "%4 up to %5 req/s, on %6 connections; latency from the intended send time.</p>\n"_s.arg(
            report::formatNumber(search.stepS, 3), report::formatNumber(search.warmupS, 3),
            formatRate(plan.startRps), esc(rise), formatRate(plan.maxRps),
            QString::number(search.connections));
    const QString passes =
        u"<p>A step passes when its error share is at most %1 %, its achieved rate at least %2 % "
        "of the offered rate and its p99 at most %3 ms. The search stops at the first step that "
        "fails, then bisects between the highest rate that passed and the lowest that failed, "
        "%4 times at most; the capacity is the highest rate that passed.</p>\n"_s.arg(
            report::formatNumber(search.bounds.maxErrorShare * 100, 2),
            report::formatNumber(search.bounds.minFollowShare * 100, 2),
            report::formatNumber(search.bounds.p99Ms, 3), QString::number(plan.refinements));
    return steps + passes;
}

QString sweepStepsHtml(const KneeResult &result)
{
    QString html =
        u"<table class=\"figures\"><thead><tr><th>step</th><th>clients</th><th>throughput req/s</th>"
        "<th>USL fit req/s</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th><th>errors</th></tr></thead>"
        "<tbody>\n"_s;
    for (std::size_t i = 0; i < result.steps.size(); ++i) {
        const KneeStep &step = result.steps[i];
        const QString fitted = result.usl ? formatRate(result.usl->throughputAt(step.concurrency)) : u"—"_s;
        html += u"<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td><td>%7</td>"
                "<td class=\"%8\">%9</td></tr>\n"_s.arg(
                    QString::number(i + 1), QString::number(step.concurrency), formatRate(step.achievedRps),
                    fitted, report::formatMs(step.p50Ms), report::formatMs(step.p99Ms),
                    report::formatMs(step.maxMs), step.passed() ? u"pass"_s : u"fail"_s,
                    u"%1 (%2 %)"_s.arg(step.errors).arg(report::formatNumber(step.errorShare * 100, 2)));
    }
    return html + u"</tbody></table>\n"_s;
}

QString stepsHtml(const KneeResult &result)
{
    if (result.search.concurrencySweep)
        return sweepStepsHtml(result);
    QString html = u"<table class=\"figures\"><thead><tr><th>step</th><th>kind</th><th>offered req/s</th>"
                   "<th>achieved req/s</th><th>followed</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th>"
                   "<th>p99 uncorrected ms</th><th>errors</th><th>verdict</th></tr></thead><tbody>\n"_s;
    for (std::size_t i = 0; i < result.steps.size(); ++i) {
        const KneeStep &step = result.steps[i];
        QString verdict = reasonText(step.verdict);
        if (!step.passed())
            verdict += u": "_s + verdictDetail(step, result.search.bounds);
        const double followed = step.offeredRps > 0 ? step.achievedRps / step.offeredRps : 0;
        html +=
            u"<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5 %</td><td>%6</td><td>%7</td><td>%8</td>"
            "<td>%9</td>"_s.arg(QString::number(i + 1), stepKindKey(step.kind), formatRate(step.offeredRps),
                                formatRate(step.achievedRps), report::formatNumber(followed * 100, 1),
                                report::formatMs(step.p50Ms), report::formatMs(step.p99Ms),
                                report::formatMs(step.maxMs), report::formatMs(step.p99UncorrectedMs));
        html += u"<td>%1 (%2 %)</td><td class=\"%3\">%4</td></tr>\n"_s.arg(
            QString::number(step.errors), report::formatNumber(step.errorShare * 100, 2),
            step.passed() ? u"pass"_s : u"fail"_s, esc(verdict));
    }
    return html + u"</tbody></table>\n"_s;
}

} // namespace

QString kneeHtml(const KneeResult &result, const std::vector<report::NamedChart> &charts)
{
    const QString what = result.search.concurrencySweep ? u"Scalability of "_s : u"Capacity of "_s;
    QString html = report::htmlPageStart(what + result.targetArgument + u" — Perflab knee"_s);
    html += u"<header>\n<h1>"_s + what + esc(result.targetArgument) + u"</h1>\n</header>\n"_s;
    html += report::htmlSection("summary", u"Summary"_s, summaryHtml(result));
    html += report::htmlSection("rule", u"How it was found"_s, ruleHtml(result.search));
    QString figures;
    for (const report::NamedChart &chart : charts)
        figures += u"<figure>\n"_s + report::renderSvgChart(chart.spec) + u"</figure>\n"_s;
    html += report::htmlSection("charts", u"Charts"_s, figures);
    html += report::htmlSection("steps", u"Steps"_s,
                                u"<p>In the order they ran; figures from each step's measured part.</p>\n"_s +
                                    stepsHtml(result));
    html += report::htmlSection("environment", u"Environment"_s, report::environmentHtml(result.environment));
    html += u"<footer>Written by Perflab "_s + esc(result.environment.perflabVersion) + u" on "_s +
            report::formatUtc(result.finishedMs) + u".</footer>\n</body>\n</html>\n"_s;
    return html;
}

} // namespace perflab::knee

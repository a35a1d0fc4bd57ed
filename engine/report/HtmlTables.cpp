// HtmlTables: see the header for the rules of the change column and the Server-Timing split.
#include "engine/report/HtmlTables.h"

#include "engine/report/ReportFormat.h"
#include "engine/report/ReportStats.h"

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace perflab::report {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

// The figures of one row of the phase table, in column order.
struct PhaseFigures
{
    std::vector<double> values;
    std::vector<QString> texts;
};

struct PhaseColumn
{
    const char *title;
    Better better;
};

const std::vector<PhaseColumn> &phaseColumns()
{
    static const std::vector<PhaseColumn> columns = {
        {"duration", Better::Neither}, {"requests", Better::Neither},     {"req/s", Better::Higher},
        {"errors", Better::Lower},     {"error rate", Better::Lower},     {"p50 ms", Better::Lower},
        {"p90 ms", Better::Lower},     {"p99 ms", Better::Lower},         {"p99.9 ms", Better::Lower},
        {"max ms", Better::Lower},     {"p99 uncorr. ms", Better::Lower}, {"cache hit rate", Better::Higher},
    };
    return columns;
}

PhaseFigures phaseFigures(const RunReport &report, const PhaseReport &phase)
{
    const PhaseSummary s = summarizePhase(report, phase);
    PhaseFigures f;
    const auto add = [&f](double value, QString text) {
        f.values.push_back(value);
        f.texts.push_back(std::move(text));
    };
    add(s.durationS, formatDuration(s.durationS));
    add(double(s.requests), QString::number(qulonglong(s.requests)));
    add(s.requestsPerS, formatNumber(s.requestsPerS, 1));
    add(double(s.errors), QString::number(s.errors));
    add(s.errorRatePercent, formatNumber(s.errorRatePercent, 2) + u'%');
    for (double ms : {s.corrected.p50, s.corrected.p90, s.corrected.p99, s.corrected.p999, s.corrected.max,
                      s.uncorrected.p99})
        add(ms, s.corrected.count ? formatMs(ms) : QStringLiteral("–"));
    const std::optional<double> hitRate = s.cacheHitRatePercent;
    add(hitRate.value_or(std::nan("")), hitRate ? formatNumber(*hitRate, 1) + u'%' : QStringLiteral("–"));
    return f;
}

QString latencyCells(const metrics::LatencyHistogram &histogram)
{
    const LatencySummaryMs s = summarizeLatency(histogram);
    QString cells;
    for (double ms : {s.p50, s.p90, s.p99, s.p999, s.max, s.mean})
        cells += u"<td>"_s + (s.count ? formatMs(ms) : QStringLiteral("–")) + u"</td>"_s;
    return cells;
}

QString statusText(const load::RouteStats &stats)
{
    QStringList parts;
    for (const auto &[status, n] : stats.statusCounts)
        parts.append(QStringLiteral("%1: %2").arg(status).arg(n));
    return parts.join(QLatin1Char('\n'));
}

QString routeRow(const load::RouteStats &stats, double durationS, bool isTotal)
{
    const std::uint64_t requests = requestCount(stats);
    const LatencySummaryMs uncorrected = summarizeLatency(stats.uncorrected);
    return QStringLiteral(
               "<tr%1><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td>%7<td>%8</td><td>%9</td></tr>\n")
        .arg(isTotal ? QStringLiteral(" class=\"total\"") : QString(), esc(stats.route),
             QString::number(requests), formatNumber(durationS > 0 ? double(requests) / durationS : 0, 1),
             QString::number(stats.errorCount()), formatNumber(errorRate(stats) * 100, 2) + u'%',
             latencyCells(stats.corrected),
             uncorrected.count ? formatMs(uncorrected.p99) : QStringLiteral("–"),
             esc(statusText(stats)).replace(QLatin1Char('\n'), QStringLiteral("<br>")));
}

QString changeClass(ChangeVerdict verdict)
{
    switch (verdict) {
    case ChangeVerdict::Same:
        return QStringLiteral("same");
    case ChangeVerdict::Unjudged:
        return QStringLiteral("neutral");
    case ChangeVerdict::Better:
        return QStringLiteral("better");
    case ChangeVerdict::Worse:
        return QStringLiteral("worse");
    }
    return QStringLiteral("same");
}

bool isTopLevelPart(const QString &name)
{
    return name == QLatin1String("queue") || name == QLatin1String("handler");
}

} // namespace

QString numberCell(const QString &text, double value, std::optional<double> previous, Better better)
{
    QString cell = u"<td>"_s + esc(text);
    if (previous) {
        const std::optional<double> change = changePercent(*previous, value);
        if (change) {
            cell += QStringLiteral("<span class=\"chg %1\" title=\"against the previous phase\">%2</span>")
                        .arg(changeClass(judgeChange(*change, better)), formatChange(*change));
        } else if (std::isfinite(value) && std::isfinite(*previous)) {
            cell += QStringLiteral("<span class=\"chg same\" title=\"previous phase: 0\">n/a</span>");
        }
    }
    return cell + u"</td>"_s;
}

QString phaseTableHtml(const RunReport &report)
{
    QString html = QStringLiteral("<div class=\"scroll\"><table class=\"figures\"><thead><tr><th>phase</th>");
    for (const PhaseColumn &column : phaseColumns())
        html += u"<th>"_s + QLatin1String(column.title) + u"</th>"_s;
    html += QStringLiteral("</tr></thead><tbody>\n");
    std::optional<PhaseFigures> previous;
    for (const PhaseReport &phase : report.phases) {
        const PhaseFigures figures = phaseFigures(report, phase);
        html += u"<tr><td>"_s + esc(phase.name) + u"</td>"_s;
        for (std::size_t i = 0; i < figures.values.size(); ++i) {
            std::optional<double> before;
            if (previous)
                before = previous->values[i];
            html += numberCell(figures.texts[i], figures.values[i], before, phaseColumns()[i].better);
        }
        html += QStringLiteral("</tr>\n");
        previous = figures;
    }
    return html + QStringLiteral("</tbody></table></div>\n");
}

QString routeTablesHtml(const RunReport &report)
{
    QString html;
    for (const PhaseReport &phase : report.phases) {
        const double durationS = phaseDurationS(phase);
        html += u"<h3>"_s + esc(phase.name) + u"</h3>\n"_s;
        html += QStringLiteral(
            "<div class=\"scroll\"><table class=\"figures routes\"><thead><tr><th>route</th><th>requests</th><th>req/s</th>"
            "<th>errors</th><th>error rate</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th>"
            "<th>p99.9 ms</th><th>max ms</th><th>mean ms</th><th>p99 uncorr. ms</th>"
            "<th>status counts</th></tr></thead><tbody>\n");
        for (const load::RouteStats &route : phase.stats.routes)
            html += routeRow(route, durationS, false);
        html += routeRow(phase.stats.total(), durationS, true);
        html += QStringLiteral("</tbody></table></div>\n");
    }
    return html;
}

QString serverTimingHtml(const RunReport &report)
{
    std::vector<load::RouteStats> totals;
    QStringList topLevel, nested;
    bool anyTotal = false;
    for (const PhaseReport &phase : report.phases) {
        totals.push_back(phase.stats.total());
        for (const auto &[name, part] : totals.back().serverTiming) {
            if (name == QLatin1String("total"))
                anyTotal = true;
            else if (isTopLevelPart(name) && !topLevel.contains(name))
                topLevel.append(name);
            else if (!isTopLevelPart(name) && !nested.contains(name))
                nested.append(name);
        }
    }
    if (topLevel.isEmpty() && nested.isEmpty() && !anyTotal)
        return QStringLiteral(
            "<p>No response carried a Server-Timing header (an external target without one).</p>\n");
    std::sort(topLevel.begin(), topLevel.end(),
              [](const QString &a, const QString &b) { return a > b; }); // queue, handler

    QString html = QStringLiteral("<table class=\"figures\"><thead><tr><th>mean ms</th>");
    for (const PhaseReport &phase : report.phases)
        html += u"<th>"_s + esc(phase.name) + u"</th>"_s;
    html += QStringLiteral("</tr></thead><tbody>\n");
    const auto partRow = [&](const QString &name, const QString &label, const char *rowClass) {
        html += QStringLiteral("<tr class=\"%1\"><td>%2</td>").arg(QLatin1String(rowClass), label);
        for (const load::RouteStats &total : totals) {
            const auto found = total.serverTiming.find(name);
            html += u"<td>"_s +
                    (found != total.serverTiming.end() ? formatMs(found->second.meanMs()) : u"–"_s) +
                    u"</td>"_s;
        }
        html += QStringLiteral("</tr>\n");
    };
    for (const QString &name : topLevel) {
        partRow(name, esc(name), "part");
        if (name == QLatin1String("handler")) {
            for (const QString &inner : nested)
                partRow(inner, QStringLiteral("&nbsp;&nbsp;↳ %1 (within handler)").arg(esc(inner)), "nested");
        }
    }
    if (!topLevel.contains(QStringLiteral("handler"))) {
        for (const QString &inner : nested)
            partRow(inner, esc(inner), "nested");
    }
    if (anyTotal)
        partRow(QStringLiteral("total"), QStringLiteral("server total"), "total");

    QString clientRow = QStringLiteral("<tr><td>client mean (uncorrected)</td>");
    QString remainderRow = QStringLiteral("<tr class=\"total\"><td>network and client (remainder)</td>");
    for (const load::RouteStats &total : totals) {
        const LatencySummaryMs client = summarizeLatency(total.uncorrected);
        double server = 0;
        bool known = false;
        if (const auto found = total.serverTiming.find(QStringLiteral("total"));
            found != total.serverTiming.end()) {
            server = found->second.meanMs();
            known = true;
        } else {
            for (const QString &name : topLevel) {
                if (const auto part = total.serverTiming.find(name); part != total.serverTiming.end()) {
                    server += part->second.meanMs();
                    known = true;
                }
            }
        }
        clientRow += u"<td>"_s + (client.count ? formatMs(client.mean) : u"–"_s) + u"</td>"_s;
        remainderRow +=
            u"<td>"_s + (client.count && known ? formatMs(client.mean - server) : u"–"_s) + u"</td>"_s;
    }
    html += clientRow + QStringLiteral("</tr>\n") + remainderRow + QStringLiteral("</tr>\n");
    return html + QStringLiteral("</tbody></table>\n");
}

} // namespace perflab::report

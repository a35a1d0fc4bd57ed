// ReportPdfWriter: see the header.
#include "ui/report/ReportPdfWriter.h"

#include "engine/load/GeneratorTrust.h"
#include "engine/report/ClaimText.h"
#include "engine/report/HtmlTrust.h"
#include "engine/report/ReportCharts.h"
#include "engine/report/ReportFormat.h"
#include "engine/report/ReportStats.h"
#include "ui/charts/ChartRender.h"
#include "ui/report/PdfCursor.h"

#include <QJsonDocument>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace perflab::ui {

namespace {

using report::RunReport;

// Laid out smaller than the PNG's 1200x500 and scaled up to the text width, so the chart's
// labels read at about the size of the table text rather than half of it.
constexpr QSize kPdfChartSize{900, 390};

using report::Better;

const QColor kBetter(0x00, 0x7a, 0x4d);
const QColor kWorse(0xb0, 0x30, 0x00);
const QColor kNeutral(0x66, 0x66, 0x66);

// A figure and, after the first phase, its change against the previous phase's.
PdfCell figureCell(const QString &text, double value, std::optional<double> previous, Better better)
{
    PdfCell cell{text, {}, kNeutral};
    if (!previous || !std::isfinite(value) || !std::isfinite(*previous))
        return cell;
    const std::optional<double> change = report::changePercent(*previous, value);
    if (!change) {
        cell.note = QStringLiteral("n/a");
        return cell;
    }
    cell.note = report::formatChange(*change);
    switch (report::judgeChange(*change, better)) {
    case report::ChangeVerdict::Better:
        cell.noteColour = kBetter;
        break;
    case report::ChangeVerdict::Worse:
        cell.noteColour = kWorse;
        break;
    case report::ChangeVerdict::Same:
    case report::ChangeVerdict::Unjudged:
        break;
    }
    return cell;
}

void writeSummary(PdfCursor &cursor, const RunReport &report)
{
    const load::RouteStats total = report::mergedRoutes(report::routesAcrossPhases(report.phases));
    double phasesS = 0;
    for (const report::PhaseReport &phase : report.phases)
        phasesS += report::phaseDurationS(phase);
    const double durationS = double(std::max<qint64>(0, report.finishedMs - report.startedMs)) / 1000.0;
    const std::uint64_t requests = report::requestCount(total);
    std::vector<std::pair<QString, QString>> rows;
    rows.emplace_back(
        QStringLiteral("result"),
        QStringLiteral("%1 (%2)").arg(report.passed() ? QStringLiteral("PASS") : QStringLiteral("FAIL"),
                                      report.outcomeText()));
    rows.emplace_back(QStringLiteral("target"), report.target);
    if (!report.scenarioFile.isEmpty())
        rows.emplace_back(QStringLiteral("scenario file"), report.scenarioFile);
    rows.emplace_back(QStringLiteral("started"), report::formatUtc(report.startedMs));
    rows.emplace_back(QStringLiteral("duration"), report::formatDuration(durationS));
    rows.emplace_back(QStringLiteral("scale"), report::formatNumber(report.scale, 3));
    rows.emplace_back(QStringLiteral("phases"), QString::number(report.phases.size()));
    rows.emplace_back(QStringLiteral("requests"),
                      QStringLiteral("%1 (%2/s over the phases)")
                          .arg(requests)
                          .arg(report::formatNumber(phasesS > 0 ? double(requests) / phasesS : 0, 1)));
    rows.emplace_back(QStringLiteral("errors"),
                      QStringLiteral("%1 (%2%)")
                          .arg(total.errorCount())
                          .arg(report::formatNumber(report::errorRate(total) * 100, 2)));
    cursor.keyValues(rows);
}

// Paragraphs rather than a table: a claim's sentence and figures are longer than a table
// row's single line.
void writeClaims(PdfCursor &cursor, const RunReport &report)
{
    cursor.heading(QStringLiteral("Claims"), 2);
    if (report.claims.empty()) {
        cursor.paragraph(QStringLiteral("The scenario states no claims."));
        return;
    }
    for (const report::ClaimResult &claim : report.claims) {
        const QColor colour = claim.status == report::ClaimStatus::Verified      ? kBetter
                              : claim.status == report::ClaimStatus::NotVerified ? kWorse
                                                                                 : kNeutral;
        cursor.paragraph(report::claimStatusText(claim.status).toUpper() + QStringLiteral(": ") + claim.claim,
                         colour);
        cursor.paragraph(report::claimFiguresText(claim), kNeutral, 8.5);
    }
}

void writeThresholds(PdfCursor &cursor, const RunReport &report)
{
    cursor.heading(QStringLiteral("Thresholds"), 2);
    if (report.thresholds.empty()) {
        cursor.paragraph(QStringLiteral("The scenario sets no thresholds."));
        return;
    }
    PdfTable table{{QStringLiteral("threshold"), QStringLiteral("phase"), QStringLiteral("limit"),
                    QStringLiteral("actual"), QStringLiteral("result")},
                   {3, 3, 1.5, 1.5, 1.2},
                   {},
                   {0, 1}};
    for (const report::ThresholdResult &t : report.thresholds) {
        table.rows.push_back({{t.name},
                              {t.phase.isEmpty() ? QStringLiteral("whole run") : t.phase},
                              {report::formatNumber(t.limit, 4)},
                              {report::formatNumber(t.actual, 4)},
                              {t.passed ? QStringLiteral("pass") : QStringLiteral("FAIL")}});
    }
    cursor.table(table);
}

// As report.html's section: per phase, asked against sent, send lag, client CPU, verdict;
// the cells are one line each (the table elides), so the reasons follow as paragraphs.
void writeTrust(PdfCursor &cursor, const RunReport &report)
{
    cursor.heading(QStringLiteral("Generator trust"), 2);
    cursor.paragraph(QStringLiteral("Whether the load generator kept its own schedule: it %1.")
                         .arg(report::trustSummaryText(report)));
    PdfTable table{{QStringLiteral("phase"), QStringLiteral("asked req/s"), QStringLiteral("sent req/s"),
                    QStringLiteral("send lag p50 / p99 / max ms"), QStringLiteral("bound ms"),
                    QStringLiteral("busiest thread CPU (+ waiting)"), QStringLiteral("verdict")},
                   {2.6, 1.2, 1.9, 2.4, 0.9, 1.9, 2.1},
                   {},
                   {0, 6}};
    for (const report::PhaseReport &phase : report.phases) {
        const load::GeneratorTrust trust = load::assessGenerator(phase.stats.generator);
        const int busiest = trust.busiestThread();
        QString cpu = QStringLiteral("—");
        if (busiest >= 0) {
            const load::ClientThreadShare &thread = trust.threads[std::size_t(busiest)];
            cpu = QStringLiteral("#%1 %2 %").arg(busiest).arg(report::formatNumber(100 * thread.cpu, 0));
            if (trust.runWaitKnown)
                cpu += QStringLiteral(" (+%1 %)").arg(report::formatNumber(100 * thread.runWait, 0));
        }
        const bool open = trust.openLoop;
        table.rows.push_back(
            {{phase.name},
             {open ? report::formatNumber(trust.askedPerS, 1) : QStringLiteral("closed")},
             {report::formatNumber(trust.achievedPerS, 1) +
              (open ? QStringLiteral(" (%1 %)").arg(report::formatNumber(100 * trust.achievedShare, 1))
                    : QString())},
             {open ? QStringLiteral("%1 / %2 / %3")
                         .arg(report::formatMs(trust.sendLagP50Ms), report::formatMs(trust.sendLagP99Ms),
                              report::formatMs(trust.sendLagMaxMs))
                   : QStringLiteral("—")},
             {open ? report::formatNumber(trust.sendLagBoundMs, 2) : QStringLiteral("—")},
             {cpu},
             {load::trustVerdictWord(trust)}});
    }
    cursor.table(table);
    for (const report::PhaseReport &phase : report.phases) {
        const load::GeneratorTrust trust = load::assessGenerator(phase.stats.generator);
        if (trust.generatorLimited)
            cursor.paragraph(QStringLiteral("%1: %2").arg(phase.name, load::trustVerdictText(trust)), kWorse,
                             8.5);
    }
}

void writeCharts(PdfCursor &cursor, QPainter &painter, const RunReport &report)
{
    cursor.heading(QStringLiteral("Charts"), 2);
    cursor.paragraph(
        QStringLiteral("Phases are the shaded bands named on top; ▲ marks a setting change (listed under "
                       "Events)."),
        kNeutral, 8.5);
    for (const report::NamedChart &chart : report::reportCharts(report)) {
        const double height = cursor.width() * kPdfChartSize.height() / kPdfChartSize.width();
        const QRectF block = cursor.take(height);
        renderChart(chart.spec, painter, block, kPdfChartSize);
        cursor.space(2);
    }
}

void writePhaseTable(PdfCursor &cursor, const RunReport &report)
{
    cursor.heading(QStringLiteral("Phases"), 2);
    cursor.paragraph(
        QStringLiteral("Latencies in ms, corrected for coordinated omission unless marked uncorr. Under each "
                       "figure: the change against the previous phase (green better, red worse)."),
        kNeutral, 8.5);
    const bool hasCache = report.server.columns.contains(QStringLiteral("cache_hits")) &&
                          report.server.columns.contains(QStringLiteral("cache_misses"));
    PdfTable table{{QStringLiteral("phase"), QStringLiteral("duration"), QStringLiteral("requests"),
                    QStringLiteral("req/s"), QStringLiteral("errors"), QStringLiteral("error rate"),
                    QStringLiteral("p50"), QStringLiteral("p90"), QStringLiteral("p99"),
                    QStringLiteral("max"), QStringLiteral("p99 uncorr.")},
                   {3.2, 1.2, 1.2, 1.1, 1, 1.1, 1, 1, 1, 1, 1.2},
                   {},
                   {0}};
    if (hasCache) {
        table.headers.append(QStringLiteral("cache hit rate"));
        table.weights.push_back(1.2);
    }
    std::vector<double> previous;
    for (const report::PhaseReport &phase : report.phases) {
        const report::PhaseSummary summary = report::summarizePhase(report, phase);
        const report::LatencySummaryMs &corrected = summary.corrected;
        const report::LatencySummaryMs &uncorrected = summary.uncorrected;
        const auto ms = [](const report::LatencySummaryMs &s, double value) {
            return s.count ? report::formatMs(value) : QStringLiteral("–");
        };
        struct Figure
        {
            QString text;
            double value;
            Better better;
        };
        std::vector<Figure> figures = {
            {report::formatDuration(summary.durationS), summary.durationS, Better::Neither},
            {QString::number(qulonglong(summary.requests)), double(summary.requests), Better::Neither},
            {report::formatNumber(summary.requestsPerS, 1), summary.requestsPerS, Better::Higher},
            {QString::number(qulonglong(summary.errors)), double(summary.errors), Better::Lower},
            {report::formatNumber(summary.errorRatePercent, 2) + QLatin1Char('%'), summary.errorRatePercent,
             Better::Lower},
            {ms(corrected, corrected.p50), corrected.p50, Better::Lower},
            {ms(corrected, corrected.p90), corrected.p90, Better::Lower},
            {ms(corrected, corrected.p99), corrected.p99, Better::Lower},
            {ms(corrected, corrected.max), corrected.max, Better::Lower},
            {ms(uncorrected, uncorrected.p99), uncorrected.p99, Better::Lower},
        };
        if (hasCache) {
            const std::optional<double> &hit = summary.cacheHitRatePercent;
            figures.push_back({hit ? report::formatNumber(*hit, 1) + QLatin1Char('%') : QStringLiteral("–"),
                               hit.value_or(std::nan("")), Better::Higher});
        }
        std::vector<PdfCell> row{{phase.name}};
        for (std::size_t i = 0; i < figures.size(); ++i) {
            std::optional<double> before;
            if (i < previous.size())
                before = previous[i];
            row.push_back(figureCell(figures[i].text, figures[i].value, before, figures[i].better));
        }
        table.rows.push_back(std::move(row));
        previous.clear();
        for (const Figure &figure : figures)
            previous.push_back(figure.value);
    }
    cursor.table(table);
}

void writeEvents(PdfCursor &cursor, const RunReport &report)
{
    if (report.events.empty())
        return;
    cursor.heading(QStringLiteral("Events"), 2);
    PdfTable table{
        {QStringLiteral("time s"), QStringLiteral("phase"), QStringLiteral("kind"), QStringLiteral("detail")},
        {1, 2.4, 1.4, 7},
        {},
        {1, 2, 3}};
    for (const metrics::TimeSeriesEvent &event : report.events) {
        const auto phase = report::phaseIndexForEvent(report.phases, event.timestampMs);
        table.rows.push_back(
            {{report::formatNumber(double(event.timestampMs - report.startedMs) / 1000.0, 3)},
             {phase ? report.phases[std::size_t(*phase)].name : QString()},
             {event.kind},
             {QString::fromUtf8(QJsonDocument(event.detail).toJson(QJsonDocument::Compact))}});
    }
    cursor.table(table);
}

void writeEnvironment(PdfCursor &cursor, const RunReport &report)
{
    const report::Environment &env = report.environment;
    cursor.heading(QStringLiteral("Environment"), 2);
    cursor.keyValues({
        {QStringLiteral("CPU"), QStringLiteral("%1 (%2 logical cores)").arg(env.cpuModel).arg(env.cpuCores)},
        {QStringLiteral("threads"),
         QStringLiteral("server %1, load %2")
             .arg(env.serverThreads ? QString::number(env.serverThreads) : QStringLiteral("external"))
             .arg(env.loadThreads)},
        {QStringLiteral("software"),
         QStringLiteral("Perflab %1, Qt %2, %3").arg(env.perflabVersion, env.qtVersion, env.os)},
        {QStringLiteral("host"), env.hostName},
    });
}

} // namespace

std::optional<QString> writeReportPdf(const RunReport &report, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    {
        QPdfWriter writer(&file);
        writer.setResolution(300);
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                         QMarginsF(15, 15, 15, 12), QPageLayout::Millimeter));
        writer.setTitle(QStringLiteral("Perflab report: ") + report.scenarioName);
        writer.setCreator(QStringLiteral("perflab"));
        QPainter painter(&writer);
        if (!painter.isActive())
            return QStringLiteral("cannot write %1: the PDF could not be started").arg(path);
        painter.setRenderHint(QPainter::Antialiasing);
        PdfCursor cursor(writer, painter,
                         QStringLiteral("Perflab report: %1, %2")
                             .arg(report.scenarioName, report::formatUtc(report.startedMs)));
        cursor.heading(report.scenarioName.isEmpty() ? QStringLiteral("Perflab run") : report.scenarioName,
                       1);
        if (!report.description.isEmpty())
            cursor.paragraph(report.description);
        cursor.space(1);
        writeSummary(cursor, report);
        writeClaims(cursor, report);
        writeThresholds(cursor, report);
        writeTrust(cursor, report);
        writeCharts(cursor, painter, report);
        writePhaseTable(cursor, report);
        writeEvents(cursor, report);
        writeEnvironment(cursor, report);
        cursor.finish();
        if (!painter.end())
            return QStringLiteral("cannot write %1: the PDF could not be finished").arg(path);
    }
    if (!file.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return std::nullopt;
}

} // namespace perflab::ui

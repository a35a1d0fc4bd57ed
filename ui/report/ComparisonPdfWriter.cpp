// ComparisonPdfWriter: see the header.
#include "ui/report/ComparisonPdfWriter.h"

#include "engine/compare/ComparisonFigures.h"
#include "engine/report/ReportFormat.h"
#include "ui/charts/ChartRender.h"
#include "ui/report/PdfCursor.h"

#include <QDateTime>
#include <QDir>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>

namespace perflab::ui {

namespace {

// As report.pdf: laid out smaller than the PNG and scaled up, so labels read at table size.
constexpr QSize kPdfChartSize{900, 390};

const QColor kBetter(0x00, 0x7a, 0x4d);
const QColor kWorse(0xb0, 0x30, 0x00);
const QColor kNeutral(0x66, 0x66, 0x66);

QString startedText(const compare::SavedRun &run)
{
    const QDateTime started = QDateTime::fromString(run.started, Qt::ISODateWithMs);
    return started.isValid() ? report::formatUtc(started.toMSecsSinceEpoch()) : run.started;
}

void writeRun(PdfCursor &cursor, const QString &letter, const compare::SavedRun &run)
{
    cursor.heading(letter, 2);
    QStringList phases;
    for (const compare::SavedPhase &phase : run.phases)
        phases << phase.name;
    cursor.keyValues(
        {{QStringLiteral("scenario"),
          run.scenarioName.isEmpty() ? QStringLiteral("(not recorded)") : run.scenarioName},
         {QStringLiteral("started"), startedText(run)},
         {QStringLiteral("duration"), report::formatDuration(run.durationS)},
         {QStringLiteral("result"), run.passed ? QStringLiteral("PASS") : QStringLiteral("FAIL")},
         {QStringLiteral("phases"), phases.join(QStringLiteral(", "))},
         {QStringLiteral("folder"), QDir::toNativeSeparators(run.folder)}});
}

void writeVerdict(PdfCursor &cursor, const compare::Comparison &c)
{
    cursor.heading(QStringLiteral("Verdict"), 2);
    if (!c.gate) {
        cursor.paragraph(
            QStringLiteral("No gate (perflab compare A B --max-regression … judges B against limits)."),
            kNeutral);
        return;
    }
    const QString limits = compare::gateLimitsText(*c.gate);
    if (c.regressions.empty()) {
        cursor.paragraph(QStringLiteral("PASS: no regression beyond --max-regression %1").arg(limits),
                         kBetter);
        return;
    }
    cursor.paragraph(QStringLiteral("FAIL: %1 regression(s) beyond --max-regression %2")
                         .arg(c.regressions.size())
                         .arg(limits),
                     kWorse);
    for (const compare::Regression &r : c.regressions)
        cursor.paragraph(QStringLiteral("REGRESSION ") + r.text(), kWorse, 8.5);
}

void writeDeltaTable(PdfCursor &cursor, const compare::Comparison &c)
{
    cursor.heading(QStringLiteral("Phases and routes"), 2);
    cursor.paragraph(
        QStringLiteral("Each cell: A → B, under it the change from A to B (green: B better, red: B worse; "
                       "under 2 % not coloured). Latencies in ms, corrected."),
        kNeutral, 8.5);
    PdfTable table{{QStringLiteral("phase"), QStringLiteral("route")}, {1.6, 3.0}, {}, {0, 1}};
    for (compare::DeltaFigure figure : compare::kDeltaFigures) {
        table.headers << compare::deltaFigureHeader(figure);
        table.weights.push_back(1.6);
    }
    for (const compare::ComparisonRow &row : c.rows) {
        std::vector<PdfCell> cells{{row.phase}, {row.route}};
        for (compare::DeltaFigure figure : compare::kDeltaFigures) {
            if (!row.a || !row.b) {
                cells.push_back(
                    {figure == compare::kDeltaFigures.front()
                         ? QStringLiteral("only in %1").arg(row.a ? QStringLiteral("A") : QStringLiteral("B"))
                         : QString()});
                continue;
            }
            PdfCell cell{QStringLiteral("%1 → %2").arg(
                             compare::deltaValueText(compare::deltaFigureValue(*row.a, figure), figure),
                             compare::deltaValueText(compare::deltaFigureValue(*row.b, figure), figure)),
                         compare::deltaChangeText(*row.a, *row.b, figure), kNeutral};
            const report::ChangeVerdict verdict = compare::deltaVerdict(*row.a, *row.b, figure);
            if (verdict == report::ChangeVerdict::Better)
                cell.noteColour = kBetter;
            else if (verdict == report::ChangeVerdict::Worse)
                cell.noteColour = kWorse;
            cells.push_back(cell);
        }
        table.rows.push_back(std::move(cells));
    }
    cursor.table(table);
}

} // namespace

std::optional<QString> writeComparisonPdf(const compare::Comparison &c,
                                          const std::vector<report::NamedChart> &charts, const QString &path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    {
        QPdfWriter writer(&file);
        writer.setResolution(300);
        // Landscape: the delta table has nine columns of "A → B" figures, which portrait elides.
        writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Landscape,
                                         QMarginsF(15, 12, 15, 10), QPageLayout::Millimeter));
        const QString title = compare::comparisonTitle(c);
        writer.setTitle(title);
        writer.setCreator(QStringLiteral("perflab"));
        QPainter painter(&writer);
        if (!painter.isActive())
            return QStringLiteral("cannot write %1: the PDF could not be started").arg(path);
        painter.setRenderHint(QPainter::Antialiasing);
        PdfCursor cursor(writer, painter, title);
        // A heading is one line: the scenario's name, which may be long, goes in the paragraph.
        cursor.heading(QStringLiteral("Perflab comparison"), 1);
        cursor.paragraph(title + QStringLiteral(". A is the baseline, B the run judged against it."),
                         kNeutral);
        writeRun(cursor, QStringLiteral("A"), c.a);
        writeRun(cursor, QStringLiteral("B"), c.b);
        writeVerdict(cursor, c);
        // The table before the charts: it fits under the runs, where a lone "Charts" would not.
        writeDeltaTable(cursor, c);
        cursor.heading(QStringLiteral("Charts"), 2);
        // Three quarters of the landscape width, so that two charts share a page.
        for (const report::NamedChart &chart : charts) {
            const double width = cursor.width() * 0.75;
            QRectF block = cursor.take(width * kPdfChartSize.height() / kPdfChartSize.width());
            block.setWidth(width);
            renderChart(chart.spec, painter, block, kPdfChartSize);
            cursor.space(2);
        }
        cursor.finish();
        if (!painter.end())
            return QStringLiteral("cannot write %1: the PDF could not be finished").arg(path);
    }
    if (!file.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return std::nullopt;
}

} // namespace perflab::ui

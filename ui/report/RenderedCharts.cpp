// RenderedCharts: see the header.
#include "ui/report/RenderedCharts.h"

#include "engine/report/ReportCharts.h"
#include "ui/report/ChartImages.h"
#include "ui/report/ReportPdfWriter.h"

#include <QDir>
#include <QGuiApplication>

namespace perflab::ui {

std::optional<QString> writeRenderedCharts(const report::RunReport &report, const QString &reportDir)
{
    // Fonts and images need a QGuiApplication; without one Qt aborts rather than fails.
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return QStringLiteral("cannot render the charts of %1: no QGuiApplication").arg(reportDir);
    const QDir dir(reportDir);
    if (auto error = writeChartImages(report::reportCharts(report), dir.filePath(QStringLiteral("charts"))))
        return error;
    return writeReportPdf(report, dir.filePath(QStringLiteral("report.pdf")));
}

} // namespace perflab::ui

// RenderedCharts: see the header.
#include "report/RenderedCharts.h"

#include "charts/ChartRender.h"
#include "report/ReportCharts.h"
#include "report/ReportPdfWriter.h"

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>

namespace perflab::ui {

std::optional<QString> writeRenderedCharts(const report::RunReport &report, const QString &reportDir)
{
    // Fonts and images need a QGuiApplication; without one Qt aborts rather than fails.
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return QStringLiteral("cannot render the charts of %1: no QGuiApplication").arg(reportDir);
    const QDir dir(reportDir);
    const QString chartsDir = dir.filePath(QStringLiteral("charts"));
    if (!QDir().mkpath(chartsDir))
        return QStringLiteral("cannot create %1").arg(chartsDir);
    for (const report::NamedChart &chart : report::reportCharts(report)) {
        const QString png = QFileInfo(chart.fileName).completeBaseName() + QStringLiteral(".png");
        if (auto error = saveChart(chart.spec, QDir(chartsDir).filePath(png)))
            return error;
    }
    return writeReportPdf(report, dir.filePath(QStringLiteral("report.pdf")));
}

} // namespace perflab::ui

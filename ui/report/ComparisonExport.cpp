// ComparisonExport: see the header.
#include "ui/report/ComparisonExport.h"

#include "engine/compare/ComparisonCharts.h"
#include "ui/report/ChartImages.h"
#include "ui/report/ComparisonPdfWriter.h"

#include <QDir>
#include <QGuiApplication>

namespace perflab::ui {

std::optional<QString> exportComparison(const compare::Comparison &comparison, const QString &dir)
{
    // Fonts and images need a QGuiApplication; without one Qt aborts rather than fails.
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return QStringLiteral("cannot render the charts of %1: no QGuiApplication").arg(dir);
    auto staged = compare::StagedFolder::begin(dir);
    if (auto *error = std::get_if<QString>(&staged))
        return *error;
    compare::StagedFolder &folder = std::get<compare::StagedFolder>(staged);
    const std::vector<report::NamedChart> charts = compare::comparisonCharts(comparison.a, comparison.b);
    if (auto error = compare::writeComparisonFiles(comparison, charts, folder.path()))
        return error;
    const QDir staging(folder.path());
    if (auto error = writeChartImages(charts, staging.filePath(QStringLiteral("charts"))))
        return error;
    if (auto error =
            writeComparisonPdf(comparison, charts, staging.filePath(QStringLiteral("comparison.pdf"))))
        return error;
    return folder.commit();
}

} // namespace perflab::ui

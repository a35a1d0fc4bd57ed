// See ChartImages.h.
#include "ui/report/ChartImages.h"

#include "ui/charts/ChartRender.h"

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>

namespace perflab::ui {

std::optional<QString> writeChartImages(const std::vector<report::NamedChart> &charts,
                                        const QString &chartsDir)
{
    // Fonts and images need a QGuiApplication; without one Qt aborts rather than fails.
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return QStringLiteral("cannot render the charts in %1: no QGuiApplication").arg(chartsDir);
    if (!QDir().mkpath(chartsDir))
        return QStringLiteral("cannot create %1").arg(chartsDir);
    for (const report::NamedChart &chart : charts) {
        const QString png = QFileInfo(chart.fileName).completeBaseName() + QStringLiteral(".png");
        if (auto error = saveChart(chart.spec, QDir(chartsDir).filePath(png)))
            return error;
    }
    return std::nullopt;
}

} // namespace perflab::ui

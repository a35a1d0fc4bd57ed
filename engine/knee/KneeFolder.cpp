// See KneeFolder.h.
#include "engine/knee/KneeFolder.h"

#include "engine/knee/KneeCharts.h"
#include "engine/knee/KneeHtml.h"
#include "engine/knee/KneeJson.h"
#include "engine/report/SaveFile.h"

#include <QDir>
#include <QJsonDocument>

namespace perflab::knee {

std::optional<QString> writeKneeFolder(const KneeResult &result, const QString &dir)
{
    const QDir folder(dir);
    if (auto error = report::makeFolder(folder.absoluteFilePath(QStringLiteral("charts"))))
        return error;
    if (auto error = report::saveFile(folder.absoluteFilePath(QStringLiteral("knee.json")),
                                      QJsonDocument(kneeJson(result)).toJson(QJsonDocument::Indented)))
        return error;
    const std::vector<report::NamedChart> charts = kneeCharts(result);
    for (const report::NamedChart &chart : charts) {
        if (auto error = report::saveFile(folder.absoluteFilePath(QStringLiteral("charts/") + chart.fileName),
                                          report::svgDocument(chart.spec).toUtf8()))
            return error;
    }
    return report::saveFile(folder.absoluteFilePath(QStringLiteral("knee.html")),
                            kneeHtml(result, charts).toUtf8());
}

} // namespace perflab::knee

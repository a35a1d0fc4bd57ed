// ReportWriter: see the header.
#include "engine/report/ReportWriter.h"

#include "engine/report/CsvWriter.h"
#include "engine/report/HlogWriter.h"
#include "engine/report/HtmlReport.h"
#include "engine/report/JsonReport.h"
#include "engine/report/ReportCharts.h"
#include "engine/report/ReportStats.h"
#include "engine/report/SaveFile.h"

#include <QDir>
#include <QJsonDocument>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace perflab::report {

QByteArray spectrumText(const metrics::LatencyHistogram &histogram)
{
    QString text;
    QTextStream stream(&text);
    histogram.percentileSpectrum(stream);
    stream.flush();
    return text.toUtf8();
}

std::optional<QString> writeReportFolder(const RunReport &report, const QString &dir)
{
    const QDir folder(dir);
    if (auto error = makeFolder(folder.absolutePath()))
        return error;
    if (auto error = makeFolder(folder.absoluteFilePath(u"charts"_s)))
        return error;

    if (auto error = saveFile(folder.absoluteFilePath(u"run.json"_s),
                              QJsonDocument(runJson(report)).toJson(QJsonDocument::Compact)))
        return error;
    if (auto error = saveFile(folder.absoluteFilePath(u"timeseries.csv"_s), timeseriesCsv(report)))
        return error;
    if (auto error = saveFile(folder.absoluteFilePath(u"latency.hlog"_s), hlogText(report)))
        return error;

    const QStringList slugs = phaseSlugs(report.phases);
    for (std::size_t i = 0; i < report.phases.size(); ++i) {
        const load::RouteStats total = report.phases[i].stats.total();
        const QString base = u"latency-"_s + slugs.at(qsizetype(i));
        if (auto error = saveFile(folder.absoluteFilePath(base + u".hgrm"_s), spectrumText(total.corrected)))
            return error;
        if (auto error = saveFile(folder.absoluteFilePath(base + u"-uncorrected.hgrm"_s),
                                  spectrumText(total.uncorrected)))
            return error;
    }

    const std::vector<NamedChart> charts = reportCharts(report);
    for (const NamedChart &chart : charts) {
        if (auto error = saveFile(folder.absoluteFilePath(u"charts/"_s + chart.fileName),
                                  svgDocument(chart.spec).toUtf8()))
            return error;
    }
    // Last: a report.html that exists means every file it describes was written.
    return saveFile(folder.absoluteFilePath(u"report.html"_s), reportHtml(report, charts).toUtf8());
}

} // namespace perflab::report

// ReportWriter: see the header.
#include "report/ReportWriter.h"

#include "report/CsvWriter.h"
#include "report/HtmlReport.h"
#include "report/JsonReport.h"
#include "report/ReportCharts.h"
#include "report/ReportStats.h"

#include <QDir>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace perflab::report {

namespace {

std::optional<QString> writeFile(const QString &path, const QByteArray &content)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return u"cannot write %1: %2"_s.arg(QDir::toNativeSeparators(path), file.errorString());
    if (file.write(content) != content.size() || !file.commit())
        return u"cannot write %1: %2"_s.arg(QDir::toNativeSeparators(path), file.errorString());
    return std::nullopt;
}

std::optional<QString> makeFolder(const QString &path)
{
    if (QDir().mkpath(path) && QFileInfo(path).isDir())
        return std::nullopt;
    return u"cannot create the folder %1"_s.arg(QDir::toNativeSeparators(path));
}

} // namespace

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

    if (auto error = writeFile(folder.absoluteFilePath(u"run.json"_s),
                               QJsonDocument(runJson(report)).toJson(QJsonDocument::Compact)))
        return error;
    if (auto error = writeFile(folder.absoluteFilePath(u"timeseries.csv"_s), timeseriesCsv(report)))
        return error;

    const QStringList slugs = phaseSlugs(report.phases);
    for (std::size_t i = 0; i < report.phases.size(); ++i) {
        const load::RouteStats total = report.phases[i].stats.total();
        const QString base = u"latency-"_s + slugs.at(qsizetype(i));
        if (auto error = writeFile(folder.absoluteFilePath(base + u".hgrm"_s), spectrumText(total.corrected)))
            return error;
        if (auto error =
                writeFile(folder.absoluteFilePath(base + u"-uncorrected.hgrm"_s), spectrumText(total.uncorrected)))
            return error;
    }

    const std::vector<NamedChart> charts = reportCharts(report);
    for (const NamedChart &chart : charts) {
        if (auto error = writeFile(folder.absoluteFilePath(u"charts/"_s + chart.fileName), svgDocument(chart.spec).toUtf8()))
            return error;
    }
    // Last: a report.html that exists means every file it describes was written.
    return writeFile(folder.absoluteFilePath(u"report.html"_s), reportHtml(report, charts).toUtf8());
}

} // namespace perflab::report

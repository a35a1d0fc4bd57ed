// SavedRun: see SavedRun.h.
#include "engine/compare/SavedRun.h"

#include "engine/compare/SavedRunFromHlog.h"
#include "engine/report/ReportCharts.h"
#include "engine/report/ReportStats.h"
#include "engine/report/RunJsonReader.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace perflab::compare {

namespace {

// The figures run.json writes for a route (JsonReport's routeJson), from the same functions.
RouteFigures figures(const load::RouteStats &stats, double durationS)
{
    RouteFigures out;
    out.route = stats.route;
    out.requests = double(report::requestCount(stats));
    out.requestsPerS = durationS > 0 ? out.requests / durationS : 0.0;
    out.errorCount = double(stats.errorCount());
    out.errorRate = report::errorRate(stats);
    out.bytesReceived = double(stats.bytesReceived);
    const report::LatencySummaryMs latency = report::summarizeLatency(stats.corrected);
    out.p50Ms = latency.p50;
    out.p90Ms = latency.p90;
    out.p99Ms = latency.p99;
    out.p999Ms = latency.p999;
    out.maxMs = latency.max;
    out.corrected = stats.corrected;
    return out;
}

SavedRun fromReport(const report::RunReport &report, const QString &folder)
{
    SavedRun run;
    run.folder = folder;
    run.scenarioName = report.scenarioName;
    run.started = QDateTime::fromMSecsSinceEpoch(report.startedMs, Qt::UTC).toString(Qt::ISODateWithMs);
    run.passed = report.passed();
    run.durationS = double(std::max<qint64>(0, report.finishedMs - report.startedMs)) / 1000.0;
    double phasesDurationS = 0;
    for (const report::PhaseReport &phase : report.phases) {
        SavedPhase saved;
        saved.name = phase.name;
        saved.startS = double(phase.startMs - report.startedMs) / 1000.0;
        saved.endS = double(phase.endMs - report.startedMs) / 1000.0;
        saved.durationS = report::phaseDurationS(phase);
        saved.total = figures(phase.stats.total(), saved.durationS);
        for (const load::RouteStats &route : phase.stats.routes)
            saved.routes.push_back(figures(route, saved.durationS));
        phasesDurationS += saved.durationS;
        run.phases.push_back(std::move(saved));
    }
    run.total = figures(report::mergedRoutes(report::routesAcrossPhases(report.phases)), phasesDurationS);
    run.requestsPerS = report::ratePoints(report, report.client, QStringLiteral("requests"));
    run.p99Ms = report::clientLatencyPoints(report, QStringLiteral("latency_p99_ms"),
                                            QStringLiteral("latency_count"));
    return run;
}

} // namespace

std::variant<SavedRun, QString> loadSavedRun(const QString &path)
{
    const QFileInfo info(path);
    const QString hlog = QDir(path).filePath(QStringLiteral("latency.hlog"));
    if (info.isDir() && !QFileInfo::exists(QDir(path).filePath(QStringLiteral("run.json"))) &&
        QFileInfo::exists(hlog))
        return loadSavedRunFromHlog(hlog);
    auto read = report::readRunFolder(path);
    if (auto *error = std::get_if<QString>(&read))
        return *error;
    return fromReport(std::get<report::RunReport>(read),
                      info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

} // namespace perflab::compare

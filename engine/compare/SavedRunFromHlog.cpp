// SavedRunFromHlog: see the header.
#include "compare/SavedRunFromHlog.h"

#include "report/HlogReader.h"
#include "report/HlogTag.h"
#include "report/ReportStats.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace perflab::compare {

namespace {

RouteFigures figures(const QString &route, const metrics::LatencyHistogram &histogram, double durationS)
{
    RouteFigures out;
    out.route = route;
    const report::LatencySummaryMs summary = report::summarizeLatency(histogram);
    out.requests = double(summary.count);
    out.requestsPerS = durationS > 0 ? out.requests / durationS : 0.0;
    out.p50Ms = summary.p50;
    out.p90Ms = summary.p90;
    out.p99Ms = summary.p99;
    out.p999Ms = summary.p999;
    out.maxMs = summary.max;
    out.corrected = histogram;
    return out;
}

struct PhaseAccumulator
{
    QString name;
    double firstStartS = INFINITY;
    double lastEndS = -INFINITY;
    metrics::LatencyHistogram total;
    std::vector<std::pair<QString, metrics::LatencyHistogram>> routes; // first-seen order
};

} // namespace

std::variant<SavedRun, QString> loadSavedRunFromHlog(const QString &hlogFile)
{
    QFile input(hlogFile);
    if (!input.open(QIODevice::ReadOnly))
        return QStringLiteral("%1: cannot read (%2)").arg(hlogFile, input.errorString());
    auto read = report::readHlog(input.readAll());
    if (const auto *error = std::get_if<QString>(&read))
        return QStringLiteral("%1: %2").arg(hlogFile, *error);
    const report::HlogLog &log = std::get<report::HlogLog>(read);

    std::vector<PhaseAccumulator> phases;
    for (const report::HlogTagIntervals &tag : log.tags) {
        const auto parts = report::splitHlogTag(tag.tag);
        if (!parts)
            return QStringLiteral("%1: tag \"%2\": a '%' not followed by two hex digits")
                .arg(hlogFile, QString::fromUtf8(tag.tag));
        auto phase = std::find_if(phases.begin(), phases.end(), [&](const PhaseAccumulator &p) { return p.name == parts->phase; });
        if (phase == phases.end()) {
            phases.push_back({parts->phase, INFINITY, -INFINITY, {}, {}});
            phase = phases.end() - 1;
        }
        metrics::LatencyHistogram merged;
        for (const report::HlogInterval &interval : tag.intervals) {
            merged.add(interval.histogram());
            phase->firstStartS = std::min(phase->firstStartS, interval.startS);
            phase->lastEndS = std::max(phase->lastEndS, interval.startS + interval.lengthS);
        }
        phase->total.add(merged);
        if (parts->route.isEmpty())
            continue;
        auto route = std::find_if(phase->routes.begin(), phase->routes.end(), [&](const auto &r) { return r.first == parts->route; });
        if (route == phase->routes.end())
            phase->routes.emplace_back(parts->route, std::move(merged));
        else
            route->second.add(merged);
    }

    SavedRun run;
    run.folder = QFileInfo(hlogFile).absolutePath();
    if (log.startTimeS > 0)
        run.started = QDateTime::fromMSecsSinceEpoch(qint64(std::llround(log.startTimeS * 1000)), Qt::UTC).toString(Qt::ISODateWithMs);
    metrics::LatencyHistogram runTotal;
    for (const PhaseAccumulator &accumulator : phases) {
        SavedPhase phase;
        phase.name = accumulator.name;
        phase.durationS = accumulator.lastEndS > accumulator.firstStartS ? accumulator.lastEndS - accumulator.firstStartS : 0.0;
        phase.total = figures(QStringLiteral("all"), accumulator.total, phase.durationS);
        for (const auto &[route, histogram] : accumulator.routes)
            phase.routes.push_back(figures(route, histogram, phase.durationS));
        run.durationS += phase.durationS;
        runTotal.add(accumulator.total);
        run.phases.push_back(std::move(phase));
    }
    run.total = figures(QStringLiteral("all"), runTotal, run.durationS);
    return run;
}

} // namespace perflab::compare

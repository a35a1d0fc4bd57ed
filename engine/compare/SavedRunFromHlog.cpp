// SavedRunFromHlog: see the header.
#include "engine/compare/SavedRunFromHlog.h"

#include "engine/report/HlogReader.h"
#include "engine/report/HlogTag.h"
#include "engine/report/ReportStats.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <map>

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

// The client side over time, as the report's charts have it: per logged interval (every tag's
// line for the same second merged) the requests per second and the p99, at the interval's end;
// a missing second breaks the lines.
void addSeries(SavedRun &run, const report::HlogLog &log, double originS)
{
    struct Second
    {
        double lengthS = 0;
        metrics::LatencyHistogram merged;
    };
    std::map<qint64, Second> seconds; // by start in ms since the origin
    for (const report::HlogTagIntervals &tag : log.tags) {
        for (const report::HlogInterval &interval : tag.intervals) {
            Second &second = seconds[qint64(std::llround((interval.startS - originS) * 1000))];
            second.lengthS = std::max(second.lengthS, interval.lengthS);
            second.merged.add(interval.histogram());
        }
    }
    double previousEndS = NAN;
    for (const auto &[startMs, second] : seconds) {
        const double startS = double(startMs) / 1000.0;
        const double endS = startS + second.lengthS;
        if (std::isfinite(previousEndS) && startS > previousEndS + 0.5 * std::max(second.lengthS, 0.001)) {
            run.requestsPerS.push_back({previousEndS + 0.5, NAN});
            run.p99Ms.push_back({previousEndS + 0.5, NAN});
        }
        const double count = double(second.merged.totalCount());
        run.requestsPerS.push_back({endS, second.lengthS > 0 ? count / second.lengthS : 0.0});
        run.p99Ms.push_back({endS, count > 0 ? report::summarizeLatency(second.merged).p99 : NAN});
        previousEndS = endS;
    }
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
        auto phase = std::find_if(phases.begin(), phases.end(),
                                  [&](const PhaseAccumulator &p) { return p.name == parts->phase; });
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
        auto route = std::find_if(phase->routes.begin(), phase->routes.end(),
                                  [&](const auto &r) { return r.first == parts->route; });
        if (route == phase->routes.end())
            phase->routes.emplace_back(parts->route, std::move(merged));
        else
            route->second.add(merged);
    }

    // The run's start: the log's StartTime, else its first interval.
    double originS = log.startTimeS;
    if (!(originS > 0)) {
        originS = INFINITY;
        for (const PhaseAccumulator &phase : phases)
            originS = std::min(originS, phase.firstStartS);
        if (!std::isfinite(originS))
            originS = 0;
    }

    SavedRun run;
    run.folder = QFileInfo(hlogFile).absolutePath();
    addSeries(run, log, originS);
    if (log.startTimeS > 0)
        run.started = QDateTime::fromMSecsSinceEpoch(qint64(std::llround(log.startTimeS * 1000)), Qt::UTC)
                          .toString(Qt::ISODateWithMs);
    metrics::LatencyHistogram runTotal;
    for (const PhaseAccumulator &accumulator : phases) {
        SavedPhase phase;
        phase.name = accumulator.name;
        if (std::isfinite(accumulator.firstStartS)) {
            phase.startS = accumulator.firstStartS - originS;
            phase.endS = accumulator.lastEndS - originS;
        }
        phase.durationS = accumulator.lastEndS > accumulator.firstStartS
                              ? accumulator.lastEndS - accumulator.firstStartS
                              : 0.0;
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

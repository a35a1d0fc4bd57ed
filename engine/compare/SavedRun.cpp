// SavedRun: see SavedRun.h.
#include "compare/SavedRun.h"

#include "compare/SavedRunFromHlog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

namespace perflab::compare {

namespace {

constexpr auto kFormat = "perflab-run/1";

// Reads one route object; `where` is its JSON path for the error.
std::optional<QString> readRoute(const QJsonObject &json, const QString &where, RouteFigures &out)
{
    const auto number = [&](const QJsonObject &object, const char *key, const QString &path, double &value) -> std::optional<QString> {
        const QJsonValue v = object.value(QLatin1String(key));
        if (!v.isDouble())
            return QStringLiteral("%1.%2: expected a number").arg(path, QLatin1String(key));
        value = v.toDouble();
        return std::nullopt;
    };
    if (!json.value(QStringLiteral("route")).isString())
        return QStringLiteral("%1.route: expected a string").arg(where);
    out.route = json.value(QStringLiteral("route")).toString();
    for (const auto &[key, value] : {std::pair{"requests", &out.requests}, std::pair{"requests_per_s", &out.requestsPerS},
                                     std::pair{"error_count", &out.errorCount}, std::pair{"error_rate", &out.errorRate},
                                     std::pair{"bytes_received", &out.bytesReceived}}) {
        if (auto error = number(json, key, where, *value))
            return error;
    }
    const QJsonValue latency = json.value(QStringLiteral("latency_ms"));
    if (!latency.isObject())
        return QStringLiteral("%1.latency_ms: expected an object with p50, p90, p99, p999, max").arg(where);
    const QString latencyPath = where + QStringLiteral(".latency_ms");
    for (const auto &[key, value] : {std::pair{"p50", &out.p50Ms}, std::pair{"p90", &out.p90Ms}, std::pair{"p99", &out.p99Ms},
                                     std::pair{"p999", &out.p999Ms}, std::pair{"max", &out.maxMs}}) {
        if (auto error = number(latency.toObject(), key, latencyPath, *value))
            return error;
    }
    const QJsonValue buckets = json.value(QStringLiteral("histogram_us")).toObject().value(QStringLiteral("corrected"));
    if (!buckets.isArray())
        return QStringLiteral("%1.histogram_us.corrected: expected [[value_us, count], ...]").arg(where);
    const QJsonArray pairs = buckets.toArray();
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        const QJsonArray pair = pairs.at(i).toArray();
        const double value = pair.at(0).toDouble(-1);
        const double count = pair.at(1).toDouble(-1);
        if (pair.size() != 2 || value < 0 || count < 0 || value > double(metrics::LatencyHistogram::kHighestTrackableUs))
            return QStringLiteral("%1.histogram_us.corrected[%2]: expected [value_us, count] with 0 <= value_us <= %3 and count >= 0")
                .arg(where)
                .arg(i)
                .arg(metrics::LatencyHistogram::kHighestTrackableUs);
        out.corrected.record(std::int64_t(value), std::uint64_t(count));
    }
    return std::nullopt;
}

} // namespace

std::variant<SavedRun, QString> loadSavedRun(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("%1: no such folder").arg(path);
    const QString file = info.isDir() ? QDir(path).filePath(QStringLiteral("run.json")) : path;
    const QString hlog = QDir(path).filePath(QStringLiteral("latency.hlog"));
    if (info.isDir() && !QFileInfo::exists(file) && QFileInfo::exists(hlog))
        return loadSavedRunFromHlog(hlog);
    QFile input(file);
    if (!input.open(QIODevice::ReadOnly))
        return QStringLiteral("%1: cannot read (%2); a run folder holds the run.json that `perflab run` writes")
            .arg(file, input.errorString());
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(input.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return QStringLiteral("%1: not JSON at byte %2: %3").arg(file).arg(parseError.offset).arg(parseError.errorString());
    const QJsonObject root = document.object();
    if (root.value(QStringLiteral("format")).toString() != QLatin1String(kFormat))
        return QStringLiteral("%1: format: expected \"%2\", got %3")
            .arg(file, QLatin1String(kFormat),
                 root.contains(QStringLiteral("format")) ? QStringLiteral("\"%1\"").arg(root.value(QStringLiteral("format")).toVariant().toString())
                                                         : QStringLiteral("none"));
    SavedRun run;
    run.folder = info.isDir() ? info.absoluteFilePath() : info.absolutePath();
    run.scenarioName = root.value(QStringLiteral("scenario")).toObject().value(QStringLiteral("name")).toString();
    run.started = root.value(QStringLiteral("started")).toString();
    run.passed = root.value(QStringLiteral("passed")).toBool(true);
    run.durationS = root.value(QStringLiteral("duration_s")).toDouble();
    const QJsonValue phases = root.value(QStringLiteral("phases"));
    if (!phases.isArray())
        return QStringLiteral("%1: phases: expected an array").arg(file);
    const QJsonArray phaseArray = phases.toArray();
    for (qsizetype i = 0; i < phaseArray.size(); ++i) {
        const QString where = QStringLiteral("phases[%1]").arg(i);
        const QJsonObject json = phaseArray.at(i).toObject();
        SavedPhase phase;
        if (!json.value(QStringLiteral("name")).isString())
            return QStringLiteral("%1: %2.name: expected a string").arg(file, where);
        phase.name = json.value(QStringLiteral("name")).toString();
        phase.durationS = json.value(QStringLiteral("duration_s")).toDouble();
        if (auto error = readRoute(json.value(QStringLiteral("total")).toObject(), where + QStringLiteral(".total"), phase.total))
            return QStringLiteral("%1: %2").arg(file, *error);
        const QJsonArray routes = json.value(QStringLiteral("routes")).toArray();
        for (qsizetype r = 0; r < routes.size(); ++r) {
            RouteFigures route;
            if (auto error = readRoute(routes.at(r).toObject(), QStringLiteral("%1.routes[%2]").arg(where).arg(r), route))
                return QStringLiteral("%1: %2").arg(file, *error);
            phase.routes.push_back(route);
        }
        run.phases.push_back(std::move(phase));
    }
    if (auto error = readRoute(root.value(QStringLiteral("total")).toObject(), QStringLiteral("total"), run.total))
        return QStringLiteral("%1: %2").arg(file, *error);
    return run;
}

} // namespace perflab::compare

// RunJsonReader: see RunJsonReader.h.
#include "engine/report/RunJsonReader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <optional>

namespace perflab::report {

namespace {

// Errors travel up as a thrown string (one exit path for every nested field).
struct ReadError
{
    QString message;
};

double number(const QJsonObject &object, const char *key, const QString &where)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (!value.isDouble())
        throw ReadError{QStringLiteral("%1.%2: expected a number").arg(where, QLatin1String(key))};
    return value.toDouble();
}

QString text(const QJsonObject &object, const char *key, const QString &where)
{
    const QJsonValue value = object.value(QLatin1String(key));
    if (!value.isString())
        throw ReadError{QStringLiteral("%1.%2: expected a string").arg(where, QLatin1String(key))};
    return value.toString();
}

std::optional<double> optionalNumber(const QJsonValue &value)
{
    return value.isDouble() ? std::optional(value.toDouble()) : std::nullopt;
}

void readBuckets(const QJsonValue &value, const QString &where, metrics::LatencyHistogram &into)
{
    if (!value.isArray())
        throw ReadError{QStringLiteral("%1: expected [[value_us, count], ...]").arg(where)};
    const QJsonArray pairs = value.toArray();
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        const QJsonArray pair = pairs.at(i).toArray();
        const double us = pair.at(0).toDouble(-1);
        const double count = pair.at(1).toDouble(-1);
        if (pair.size() != 2 || us < 0 || count < 0 ||
            us > double(metrics::LatencyHistogram::kHighestTrackableUs))
            throw ReadError{
                QStringLiteral("%1[%2]: expected [value_us, count] with 0 <= value_us <= %3 and count >= 0")
                    .arg(where)
                    .arg(i)
                    .arg(metrics::LatencyHistogram::kHighestTrackableUs)};
        into.record(std::int64_t(us), std::uint64_t(count));
    }
}

load::RouteStats readRoute(const QJsonObject &json, const QString &where)
{
    load::RouteStats route;
    route.route = text(json, "route", where);
    route.responses = std::uint64_t(number(json, "responses", where));
    route.bytesReceived = std::uint64_t(number(json, "bytes_received", where));
    route.lateSends = std::uint64_t(json.value(QStringLiteral("late_sends")).toDouble());
    const QJsonObject statuses = json.value(QStringLiteral("status_counts")).toObject();
    for (auto it = statuses.begin(); it != statuses.end(); ++it) {
        bool ok = false;
        const int status = it.key().toInt(&ok);
        if (!ok || !it.value().isDouble())
            throw ReadError{QStringLiteral("%1.status_counts.%2: expected a status code and a count")
                                .arg(where, it.key())};
        route.statusCounts[status] = std::uint64_t(it.value().toDouble());
    }
    const QJsonObject errors = json.value(QStringLiteral("errors")).toObject();
    for (auto it = errors.begin(); it != errors.end(); ++it)
        route.errors[it.key()] = std::uint64_t(it.value().toDouble());
    const QJsonObject timing = json.value(QStringLiteral("server_timing")).toObject();
    for (auto it = timing.begin(); it != timing.end(); ++it) {
        const QJsonObject part = it.value().toObject();
        route.serverTiming[it.key()] = {part.value(QStringLiteral("total_ms")).toDouble(),
                                        std::uint64_t(part.value(QStringLiteral("count")).toDouble())};
    }
    const QJsonObject histograms = json.value(QStringLiteral("histogram_us")).toObject();
    readBuckets(histograms.value(QStringLiteral("corrected")),
                where + QStringLiteral(".histogram_us.corrected"), route.corrected);
    readBuckets(histograms.value(QStringLiteral("uncorrected")),
                where + QStringLiteral(".histogram_us.uncorrected"), route.uncorrected);
    return route;
}

load::LoadModel readModel(const QJsonObject &json)
{
    load::LoadModel model;
    const QString kind = json.value(QStringLiteral("model")).toString();
    model.kind = kind == QLatin1String("open")     ? load::LoadModelKind::Open
                 : kind == QLatin1String("stages") ? load::LoadModelKind::Stages
                                                   : load::LoadModelKind::Closed;
    model.thinkMs = json.value(QStringLiteral("think_ms")).toDouble();
    model.rate = json.value(QStringLiteral("rate")).toDouble();
    model.connections = json.value(QStringLiteral("connections")).toInt(model.connections);
    for (const QJsonValue &stage : json.value(QStringLiteral("stages")).toArray())
        model.stages.push_back({stage.toObject().value(QStringLiteral("duration_s")).toDouble(),
                                stage.toObject().value(QStringLiteral("rate")).toDouble()});
    return model;
}

SeriesTable readSeries(const QJsonObject &json, const QString &where)
{
    SeriesTable table;
    const QJsonArray columns = json.value(QStringLiteral("columns")).toArray();
    for (qsizetype i = 2; i < columns.size(); ++i) // after timestamp_ms and interval_s
        table.columns.append(columns.at(i).toString());
    const QJsonArray rows = json.value(QStringLiteral("rows")).toArray();
    for (qsizetype r = 0; r < rows.size(); ++r) {
        const QJsonArray row = rows.at(r).toArray();
        if (row.size() != columns.size())
            throw ReadError{QStringLiteral("%1.rows[%2]: expected %3 values, one per column, got %4")
                                .arg(where)
                                .arg(r)
                                .arg(columns.size())
                                .arg(row.size())};
        metrics::Sample sample;
        sample.timestampMs = qint64(row.at(0).toDouble());
        sample.intervalS = row.at(1).toDouble();
        for (qsizetype i = 2; i < row.size(); ++i)
            sample.values.append(row.at(i).toDouble());
        table.samples.push_back(std::move(sample));
    }
    return table;
}

ClaimResult readClaim(const QJsonObject &json, const QString &where)
{
    ClaimResult claim;
    claim.claim = text(json, "claim", where);
    claim.metric = json.value(QStringLiteral("metric")).toString();
    claim.phase = json.value(QStringLiteral("phase")).toString();
    claim.route = json.value(QStringLiteral("route")).toString();
    claim.atMost = json.contains(QStringLiteral("at_most"));
    claim.limit =
        json.value(claim.atMost ? QStringLiteral("at_most") : QStringLiteral("at_least")).toDouble();
    claim.value = optionalNumber(json.value(QStringLiteral("value")));
    const QString status = json.value(QStringLiteral("status")).toString();
    claim.status = status == QLatin1String("verified")       ? ClaimStatus::Verified
                   : status == QLatin1String("not_verified") ? ClaimStatus::NotVerified
                                                             : ClaimStatus::NotEvaluated;
    claim.reason = json.value(QStringLiteral("reason")).toString();
    if (json.contains(QStringLiteral("vs"))) {
        claim.relative = true;
        const QJsonObject vs = json.value(QStringLiteral("vs")).toObject();
        claim.referencePhase = vs.value(QStringLiteral("phase")).toString();
        claim.referenceRoute = vs.value(QStringLiteral("route")).toString();
        claim.referenceValue = optionalNumber(json.value(QStringLiteral("vs_value")));
        claim.ratio = optionalNumber(json.value(QStringLiteral("ratio")));
    }
    return claim;
}

PhaseReport readPhase(const QJsonObject &json, const QString &where)
{
    PhaseReport phase;
    phase.name = text(json, "name", where);
    phase.startMs = qint64(number(json, "start_ms", where));
    phase.endMs = qint64(number(json, "end_ms", where));
    phase.segmentOf = json.value(QStringLiteral("segment_of")).toString();
    phase.settingsPatch = json.value(QStringLiteral("settings_patch")).toObject();
    phase.settings = json.value(QStringLiteral("settings")).toObject();
    phase.model = readModel(json.value(QStringLiteral("model")).toObject());
    phase.stats.timestampMs = phase.endMs;
    const QJsonValue routes = json.value(QStringLiteral("routes"));
    if (!routes.isArray())
        throw ReadError{QStringLiteral("%1.routes: expected an array").arg(where)};
    const QJsonArray routeArray = routes.toArray();
    for (qsizetype r = 0; r < routeArray.size(); ++r)
        phase.stats.routes.push_back(
            readRoute(routeArray.at(r).toObject(), QStringLiteral("%1.routes[%2]").arg(where).arg(r)));
    phase.interrupted = phase.name.endsWith(QLatin1String(" (interrupted)"));
    const QJsonObject generator = json.value(QStringLiteral("generator")).toObject();
    load::GeneratorStats &g = phase.stats.generator;
    g.elapsedNs = std::int64_t(generator.value(QStringLiteral("elapsed_ns")).toDouble());
    g.asked = generator.value(QStringLiteral("asked")).toDouble();
    g.sent = std::uint64_t(generator.value(QStringLiteral("sent")).toDouble());
    if (generator.contains(QStringLiteral("send_lag_us")))
        readBuckets(generator.value(QStringLiteral("send_lag_us")),
                    where + QStringLiteral(".generator.send_lag_us"), g.sendLag);
    for (const QJsonValue &value : generator.value(QStringLiteral("threads")).toArray())
        g.threads.push_back({std::int64_t(value.toObject().value(QStringLiteral("cpu_ns")).toDouble()),
                             std::int64_t(value.toObject().value(QStringLiteral("run_wait_ns")).toDouble())});
    g.cpuKnown = generator.value(QStringLiteral("cpu_known")).toBool();
    g.runWaitKnown = generator.value(QStringLiteral("run_wait_known")).toBool();
    g.connectionsOpen = std::int64_t(generator.value(QStringLiteral("connections_open")).toDouble());
    g.connectionsConnecting =
        std::int64_t(generator.value(QStringLiteral("connections_connecting")).toDouble());
    g.connectFailures = std::uint64_t(generator.value(QStringLiteral("connect_failures")).toDouble());
    const QJsonObject stale = json.value(QStringLiteral("stale_reads")).toObject();
    phase.probeReads = std::uint64_t(stale.value(QStringLiteral("reads")).toDouble());
    phase.staleReads = std::uint64_t(stale.value(QStringLiteral("stale")).toDouble());
    const QJsonObject jobs = json.value(QStringLiteral("jobs")).toObject();
    phase.jobsAccepted = std::uint64_t(jobs.value(QStringLiteral("accepted")).toDouble());
    phase.jobsCompleted = std::uint64_t(jobs.value(QStringLiteral("completed")).toDouble());
    phase.jobsFailed = std::uint64_t(jobs.value(QStringLiteral("failed")).toDouble());
    phase.jobsRefused = std::uint64_t(jobs.value(QStringLiteral("refused")).toDouble());
    for (const QJsonValue &value : json.value(QStringLiteral("instances")).toArray()) {
        const QJsonObject m = value.toObject();
        cluster::MemberFigures member;
        member.instance = m.value(QStringLiteral("instance")).toString();
        member.answered = m.value(QStringLiteral("answered")).toBool();
        member.requests = m.value(QStringLiteral("requests")).toDouble();
        member.serverErrors = m.value(QStringLiteral("server_errors")).toDouble();
        member.cacheHits = m.value(QStringLiteral("cache_hits")).toDouble();
        member.cacheMisses = m.value(QStringLiteral("cache_misses")).toDouble();
        member.cacheErrors = m.value(QStringLiteral("cache_errors")).toDouble();
        member.jobsCompleted = m.value(QStringLiteral("jobs_completed")).toDouble();
        phase.members.push_back(member);
    }
    return phase;
}

} // namespace

std::variant<RunReport, QString> readRunJson(const QJsonObject &json, const QString &file)
{
    try {
        if (json.value(QStringLiteral("format")).toString() != QLatin1String("perflab-run/1")) {
            // What it is instead tells a k6 or wrk summary from a damaged run.json.
            const QJsonValue format = json.value(QStringLiteral("format"));
            throw ReadError{QStringLiteral("format: expected \"perflab-run/1\", got %1")
                                .arg(format.isUndefined()
                                         ? QStringLiteral("none")
                                         : QStringLiteral("\"%1\"").arg(format.toVariant().toString()))};
        }
        // Before any other field: a run.json without phases is no run at all, and that is what
        // its reader should hear first.
        if (!json.value(QStringLiteral("phases")).isArray())
            throw ReadError{QStringLiteral("phases: expected an array")};
        RunReport report;
        const QJsonObject scenario = json.value(QStringLiteral("scenario")).toObject();
        report.scenarioName = scenario.value(QStringLiteral("name")).toString();
        report.description = scenario.value(QStringLiteral("description")).toString();
        report.scenarioFile = scenario.value(QStringLiteral("file")).toString();
        report.scenario = scenario.value(QStringLiteral("document")).toObject();
        report.target = json.value(QStringLiteral("target")).toString();
        report.scale = json.value(QStringLiteral("scale")).toDouble(1.0);
        report.startedMs = qint64(number(json, "started_ms", QStringLiteral("run")));
        report.finishedMs = qint64(number(json, "finished_ms", QStringLiteral("run")));
        const QJsonObject environment = json.value(QStringLiteral("environment")).toObject();
        report.environment.cpuModel = environment.value(QStringLiteral("cpu_model")).toString();
        report.environment.cpuCores = environment.value(QStringLiteral("cpu_cores")).toInt();
        report.environment.serverThreads = environment.value(QStringLiteral("server_threads")).toInt();
        report.environment.loadThreads = environment.value(QStringLiteral("load_threads")).toInt();
        report.environment.qtVersion = environment.value(QStringLiteral("qt_version")).toString();
        report.environment.perflabVersion = environment.value(QStringLiteral("perflab_version")).toString();
        report.environment.os = environment.value(QStringLiteral("os")).toString();
        report.environment.hostName = environment.value(QStringLiteral("host_name")).toString();
        for (const QJsonValue &value : json.value(QStringLiteral("thresholds")).toArray()) {
            const QJsonObject t = value.toObject();
            report.thresholds.push_back(
                {t.value(QStringLiteral("phase")).toString(), t.value(QStringLiteral("name")).toString(),
                 t.value(QStringLiteral("limit")).toDouble(), t.value(QStringLiteral("actual")).toDouble(),
                 t.value(QStringLiteral("passed")).toBool()});
        }
        const QJsonArray claims = json.value(QStringLiteral("claims")).toArray();
        for (qsizetype i = 0; i < claims.size(); ++i)
            report.claims.push_back(readClaim(claims.at(i).toObject(), QStringLiteral("claims[%1]").arg(i)));
        const QJsonValue phases = json.value(QStringLiteral("phases"));
        if (!phases.isArray())
            throw ReadError{QStringLiteral("phases: expected an array")};
        const QJsonArray phaseArray = phases.toArray();
        for (qsizetype i = 0; i < phaseArray.size(); ++i)
            report.phases.push_back(
                readPhase(phaseArray.at(i).toObject(), QStringLiteral("phases[%1]").arg(i)));
        const QJsonObject series = json.value(QStringLiteral("series")).toObject();
        report.client =
            readSeries(series.value(QStringLiteral("client")).toObject(), QStringLiteral("series.client"));
        report.server =
            readSeries(series.value(QStringLiteral("server")).toObject(), QStringLiteral("series.server"));
        for (const QJsonValue &value : json.value(QStringLiteral("events")).toArray()) {
            const QJsonObject e = value.toObject();
            report.events.push_back({qint64(e.value(QStringLiteral("timestamp_ms")).toDouble()),
                                     e.value(QStringLiteral("kind")).toString(),
                                     e.value(QStringLiteral("detail")).toObject()});
        }
        return report;
    } catch (const ReadError &error) {
        return QStringLiteral("%1: %2").arg(file, error.message);
    }
}

std::variant<RunReport, QString> readRunFolder(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists())
        return QStringLiteral("%1: no such folder").arg(path);
    const QString file = info.isDir() ? QDir(path).filePath(QStringLiteral("run.json")) : path;
    QFile input(file);
    if (!input.open(QIODevice::ReadOnly))
        return QStringLiteral(
                   "%1: cannot read (%2); a run folder holds the run.json that `perflab run` writes")
            .arg(file, input.errorString());
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(input.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return QStringLiteral("%1: not JSON at byte %2: %3")
            .arg(file)
            .arg(parseError.offset)
            .arg(parseError.errorString());
    return readRunJson(document.object(), file);
}

} // namespace perflab::report

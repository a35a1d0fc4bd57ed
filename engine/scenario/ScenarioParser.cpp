// parseScenario(): the whole scenario document (docs/reference/scenario-format.md), section by
// section, stopping at the first mistake. Load models and the request mix have their own parsers;
// settings are validated by the engine's own settings schema (settings::applyPatch), so a scenario
// accepts exactly what PATCH /admin/settings accepts.
#include "engine/scenario/Scenario.h"

#include "engine/load/PathTemplate.h"
#include "engine/scenario/ClaimParser.h"
#include "engine/scenario/LoadModelParser.h"
#include "engine/scenario/RequestMixParser.h"
#include "engine/scenario/ScenarioJson.h"
#include "engine/settings/LabSettings.h"

#include <QJsonArray>

#include <cmath>
#include <set>

namespace perflab::scenario {

using json::Bound;
using json::child;
using json::FieldError;
using json::Problem;

namespace {

// `patch` applied onto `base` with the settings' own validation; the error's field is put
// under `path` ("phases[0].settings" + "cache.ttl_s").
std::variant<settings::LabSettings, FieldError> applySettings(const settings::LabSettings &base,
                                                              const QJsonObject &patch, const QString &path)
{
    auto result = settings::applyPatch(base, patch);
    if (auto *error = std::get_if<settings::SettingsError>(&result))
        return FieldError{child(path, error->field), error->rule};
    return std::get<settings::LabSettings>(std::move(result));
}

Problem readSettingsObject(const QJsonObject &object, const QString &path, QJsonObject &out)
{
    if (!object.contains(QStringLiteral("settings")))
        return std::nullopt;
    const QJsonValue value = object.value(QStringLiteral("settings"));
    if (auto problem = json::expectObject(value, child(path, QStringLiteral("settings"))))
        return problem;
    out = value.toObject();
    return std::nullopt;
}

Problem readClusterTarget(const QJsonValue &value, std::optional<ClusterTarget> &cluster)
{
    const QString path = QStringLiteral("target.cluster");
    if (auto problem = json::expectObject(value, path))
        return problem;
    const QJsonObject object = value.toObject();
    if (auto problem = json::checkKeys(
            object, path, {QStringLiteral("instances"), QStringLiteral("database"), QStringLiteral("redis")}))
        return problem;
    ClusterTarget target;
    if (auto problem =
            json::readInteger(object, path, QStringLiteral("instances"), 1, 64, target.instances, true))
        return problem;
    if (object.contains(QStringLiteral("database"))) {
        const QString database = object.value(QStringLiteral("database")).toString();
        if (database.startsWith(QLatin1String("postgresql://")))
            target.databaseUrl = database;
        else if (database != QLatin1String("postgresql"))
            return FieldError{
                path + QStringLiteral(".database"),
                QStringLiteral(
                    "expected \"postgresql\" (one started for the run) or a postgresql:// URL, got %1")
                    .arg(json::describe(object.value(QStringLiteral("database"))))};
    }
    if (object.contains(QStringLiteral("redis"))) {
        const QJsonValue redis = object.value(QStringLiteral("redis"));
        if (redis.isString() && redis.toString().startsWith(QLatin1String("redis://")))
            target.redisUrl = redis.toString();
        else if (redis != QJsonValue(true))
            return FieldError{
                path + QStringLiteral(".redis"),
                QStringLiteral(
                    "expected true (one started for the run) or a redis:// URL; the instances share "
                    "their settings through it, got %1")
                    .arg(json::describe(redis))};
    }
    cluster = target;
    return std::nullopt;
}

Problem readTarget(const QJsonObject &document, QString &target, std::optional<ClusterTarget> &cluster)
{
    if (!document.contains(QStringLiteral("target")))
        return std::nullopt;
    const QJsonValue value = document.value(QStringLiteral("target"));
    const QString expected =
        QStringLiteral("\"embedded\", an http:// URL or {\"cluster\": {\"instances\": N}}");
    if (value.isObject() && value.toObject().contains(QStringLiteral("cluster"))) {
        if (auto problem =
                json::checkKeys(value.toObject(), QStringLiteral("target"), {QStringLiteral("cluster")}))
            return problem;
        target = QStringLiteral("cluster");
        return readClusterTarget(value.toObject().value(QStringLiteral("cluster")), cluster);
    }
    if (!value.isString())
        return FieldError{QStringLiteral("target"),
                          QStringLiteral("expected %1, got %2").arg(expected, json::describe(value))};
    target = value.toString();
    if (target == QStringLiteral("embedded"))
        return std::nullopt;
    const auto parsed = load::HttpTarget::parse(target);
    if (auto *error = std::get_if<QString>(&parsed))
        return FieldError{QStringLiteral("target"), QStringLiteral("expected %1: %2").arg(expected, *error)};
    return std::nullopt;
}

Problem readStaleReadProbe(const QJsonObject &document, std::optional<StaleReadProbe> &probe)
{
    const QString path = QStringLiteral("stale_read_probe");
    if (!document.contains(path))
        return std::nullopt;
    if (auto problem = json::expectObject(document.value(path), path))
        return problem;
    const QJsonObject object = document.value(path).toObject();
    if (auto problem = json::checkKeys(
            object, path, {QStringLiteral("ids"), QStringLiteral("reads"), QStringLiteral("interval_ms")}))
        return problem;
    StaleReadProbe wanted;
    const QJsonValue ids = object.value(QStringLiteral("ids"));
    const QStringList bounds = ids.toString().split(QStringLiteral(".."));
    bool firstOk = false, lastOk = false;
    if (bounds.size() == 2) {
        wanted.firstId = bounds[0].toInt(&firstOk);
        wanted.lastId = bounds[1].toInt(&lastOk);
    }
    if (!firstOk || !lastOk || wanted.firstId < 1 || wanted.lastId < wanted.firstId)
        return FieldError{
            path + QStringLiteral(".ids"),
            QStringLiteral("expected \"A..B\" with 1 <= A <= B (user ids), got %1").arg(json::describe(ids))};
    if (auto problem = json::readInteger(object, path, QStringLiteral("reads"), 1, 100, wanted.reads))
        return problem;
    if (auto problem =
            json::readInteger(object, path, QStringLiteral("interval_ms"), 1, 60000, wanted.intervalMs))
        return problem;
    probe = wanted;
    return std::nullopt;
}

Problem readJobProbe(const QJsonObject &document, std::optional<JobProbe> &probe)
{
    const QString path = QStringLiteral("job_probe");
    if (!document.contains(path))
        return std::nullopt;
    if (auto problem = json::expectObject(document.value(path), path))
        return problem;
    const QJsonObject object = document.value(path).toObject();
    if (auto problem = json::checkKeys(object, path, {QStringLiteral("rate"), QStringLiteral("settle_s")}))
        return problem;
    JobProbe wanted;
    const auto numberIn = [&](const QString &key, double min, double max, double &out) -> Problem {
        if (!object.contains(key))
            return std::nullopt;
        const QJsonValue value = object.value(key);
        if (!value.isDouble() || value.toDouble() < min || value.toDouble() > max)
            return FieldError{path + QLatin1Char('.') + key,
                              QStringLiteral("expected a number from %1 to %2, got %3")
                                  .arg(min)
                                  .arg(max)
                                  .arg(json::describe(value))};
        out = value.toDouble();
        return std::nullopt;
    };
    if (auto problem = numberIn(QStringLiteral("rate"), 0.1, 1000, wanted.rate))
        return problem;
    if (auto problem = numberIn(QStringLiteral("settle_s"), 0, 3600, wanted.settleS))
        return problem;
    probe = wanted;
    return std::nullopt;
}

Problem readThresholds(const QJsonObject &document, Thresholds &thresholds)
{
    const QString path = QStringLiteral("thresholds");
    if (!document.contains(path))
        return std::nullopt;
    if (auto problem = json::expectObject(document.value(path), path))
        return problem;
    const QJsonObject object = document.value(path).toObject();
    if (auto problem =
            json::checkKeys(object, path,
                            {QStringLiteral("p50_ms"), QStringLiteral("p90_ms"), QStringLiteral("p99_ms"),
                             QStringLiteral("p999_ms"), QStringLiteral("max_ms"),
                             QStringLiteral("error_rate"), QStringLiteral("min_rps")}))
        return problem;
    const std::pair<const char *, std::optional<double> *> latencies[] = {
        {"p50_ms", &thresholds.p50Ms}, {"p90_ms", &thresholds.p90Ms},
        {"p99_ms", &thresholds.p99Ms}, {"p999_ms", &thresholds.p999Ms},
        {"max_ms", &thresholds.maxMs}, {"min_rps", &thresholds.minRequestsPerS}};
    for (const auto &[key, out] : latencies) {
        if (auto problem =
                json::readOptionalNumber(object, path, QString::fromLatin1(key), Bound::NonNegative, *out))
            return problem;
    }
    // A fraction of the requests: above 1 could never fail, so it is surely a mistake (a percentage?).
    return json::readOptionalNumber(object, path, QStringLiteral("error_rate"), Bound::NonNegative,
                                    thresholds.errorRate, 1.0);
}

// One phase; `scenarioLoad` is the scenario's model (if any), for the default duration of a
// stages phase.
std::variant<Phase, FieldError> parsePhase(const QJsonValue &value, const QString &path,
                                           const std::optional<load::LoadModel> &scenarioLoad)
{
    if (auto problem = json::expectObject(value, path))
        return *problem;
    const QJsonObject object = value.toObject();
    if (auto problem =
            json::checkKeys(object, path,
                            {QStringLiteral("name"), QStringLiteral("duration_s"), QStringLiteral("settings"),
                             QStringLiteral("load"), QStringLiteral("kill_instance")}))
        return *problem;
    Phase phase;
    if (object.contains(QStringLiteral("kill_instance"))) {
        const QJsonValue kill = object.value(QStringLiteral("kill_instance"));
        phase.killInstance = kill.isDouble() ? QString::number(kill.toInt()) : kill.toString();
        if (phase.killInstance.isEmpty())
            return FieldError{child(path, QStringLiteral("kill_instance")),
                              QStringLiteral("expected the number of a cluster instance, got %1")
                                  .arg(json::describe(kill))};
    }
    if (auto problem = json::readString(object, path, QStringLiteral("name"), phase.name, true, false))
        return *problem;
    if (object.contains(QStringLiteral("load"))) {
        auto model =
            parseLoadModel(object.value(QStringLiteral("load")), child(path, QStringLiteral("load")));
        if (auto *problem = std::get_if<FieldError>(&model))
            return *problem;
        phase.load = std::get<load::LoadModel>(std::move(model));
    }
    const std::optional<load::LoadModel> &effective = phase.load ? phase.load : scenarioLoad;
    const bool stages = effective && effective->kind == load::LoadModelKind::Stages;
    if (stages)
        phase.durationS = stagesDurationS(*effective); // unless the phase says otherwise
    if (auto problem = json::readNumber(object, path, QStringLiteral("duration_s"), Bound::Positive,
                                        phase.durationS, !stages))
        return *problem;
    if (auto problem = readSettingsObject(object, path, phase.settings))
        return *problem;
    return phase;
}

Problem readPhases(const QJsonObject &document, const std::optional<load::LoadModel> &scenarioLoad,
                   std::vector<Phase> &phases)
{
    const QString path = QStringLiteral("phases");
    const QString expected = QStringLiteral("a non-empty array of phases {\"name\", \"duration_s\", ...}");
    if (!document.contains(path))
        return FieldError{path, QStringLiteral("required: expected ") + expected};
    const QJsonValue value = document.value(path);
    if (!value.isArray() || value.toArray().isEmpty())
        return FieldError{path, QStringLiteral("expected %1, got %2").arg(expected, json::describe(value))};
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString phasePath = json::element(path, i);
        auto phase = parsePhase(array.at(i), phasePath, scenarioLoad);
        if (auto *problem = std::get_if<FieldError>(&phase))
            return *problem;
        Phase &parsed = std::get<Phase>(phase);
        // Names key the per-phase statistics and report files: two alike would merge.
        for (std::size_t j = 0; j < phases.size(); ++j) {
            if (phases[j].name == parsed.name)
                return FieldError{
                    child(phasePath, QStringLiteral("name")),
                    QStringLiteral("expected a unique name, \"%1\" is already the name of phases[%2]")
                        .arg(parsed.name)
                        .arg(j)};
        }
        phases.push_back(std::move(parsed));
    }
    return std::nullopt;
}

// The settings as the run applies them: the scenario's onto the defaults, then each phase's
// onto what the previous phases left.
Problem validateSettingsTogether(const Scenario &scenario)
{
    settings::LabSettings base;
    // A cluster's instances start with the cluster's Redis as redis.url (and the cache and the
    // job queue on it), so a phase may choose the redis backends without naming a Redis.
    if (scenario.cluster) {
        base.redis.url = scenario.cluster->redisUrl.isEmpty() ? QStringLiteral("redis://127.0.0.1:6379/0")
                                                              : scenario.cluster->redisUrl;
        base.cache.backend = QStringLiteral("redis");
        base.background.queueBackend = QStringLiteral("redis");
    }
    auto current = applySettings(base, scenario.settings, QStringLiteral("settings"));
    if (auto *problem = std::get_if<FieldError>(&current))
        return *problem;
    for (std::size_t i = 0; i < scenario.phases.size(); ++i) {
        const QString path =
            child(json::element(QStringLiteral("phases"), qsizetype(i)), QStringLiteral("settings"));
        auto next =
            applySettings(std::get<settings::LabSettings>(current), scenario.phases[i].settings, path);
        if (auto *problem = std::get_if<FieldError>(&next))
            return *problem;
        current = std::move(next);
    }
    return std::nullopt;
}

Problem parseInto(const QJsonObject &document, Scenario &scenario)
{
    if (auto problem =
            json::checkKeys(document, QString(),
                            {QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("target"),
                             QStringLiteral("settings"), QStringLiteral("load"), QStringLiteral("requests"),
                             QStringLiteral("phases"), QStringLiteral("thresholds"), QStringLiteral("expect"),
                             QStringLiteral("stale_read_probe"), QStringLiteral("job_probe")}))
        return problem;
    if (auto problem =
            json::readString(document, QString(), QStringLiteral("name"), scenario.name, true, false))
        return problem;
    if (auto problem =
            json::readString(document, QString(), QStringLiteral("description"), scenario.description))
        return problem;
    if (auto problem = readTarget(document, scenario.target, scenario.cluster))
        return problem;
    if (auto problem = readSettingsObject(document, QString(), scenario.settings))
        return problem;

    std::optional<load::LoadModel> scenarioLoad;
    if (document.contains(QStringLiteral("load"))) {
        auto model = parseLoadModel(document.value(QStringLiteral("load")), QStringLiteral("load"));
        if (auto *problem = std::get_if<FieldError>(&model))
            return *problem;
        scenarioLoad = std::get<load::LoadModel>(std::move(model));
    }
    auto mix = parseRequestMix(document.value(QStringLiteral("requests")), QStringLiteral("requests"));
    if (auto *problem = std::get_if<FieldError>(&mix))
        return *problem;
    scenario.requests = std::get<std::vector<load::RequestSpec>>(std::move(mix));

    if (auto problem = readPhases(document, scenarioLoad, scenario.phases))
        return problem;
    // The scenario's load may be left out only when every phase brings its own.
    if (scenarioLoad) {
        scenario.load = *scenarioLoad;
    } else {
        for (std::size_t i = 0; i < scenario.phases.size(); ++i) {
            if (!scenario.phases[i].load)
                return FieldError{
                    QStringLiteral("load"),
                    QStringLiteral("required: expected a load model {\"model\": \"closed\"|\"open\"|"
                                   "\"stages\", ...} (phases[%1] has no load of its own)")
                        .arg(i)};
        }
        scenario.load = *scenario.phases.front().load;
    }
    if (auto problem = readThresholds(document, scenario.thresholds))
        return problem;
    if (auto problem = validateSettingsTogether(scenario))
        return problem;
    auto claims = parseClaims(document.value(QStringLiteral("expect")), QStringLiteral("expect"),
                              scenario.phases, scenario.requests);
    if (auto *problem = std::get_if<FieldError>(&claims))
        return *problem;
    scenario.claims = std::get<std::vector<Claim>>(std::move(claims));
    if (auto problem = readStaleReadProbe(document, scenario.staleReadProbe))
        return problem;
    if (auto problem = readJobProbe(document, scenario.jobProbe))
        return problem;
    for (std::size_t i = 0; i < scenario.claims.size(); ++i) {
        if (scenario.claims[i].metric == QLatin1String("stale_read_share") && !scenario.staleReadProbe)
            return FieldError{
                QStringLiteral("expect[%1].metric").arg(i),
                QStringLiteral("stale_read_share needs a \"stale_read_probe\" in the scenario")};
        if (scenario.claims[i].metric == QLatin1String("job_completion_share") && !scenario.jobProbe)
            return FieldError{QStringLiteral("expect[%1].metric").arg(i),
                              QStringLiteral("job_completion_share needs a \"job_probe\" in the scenario")};
    }
    for (std::size_t i = 0; i < scenario.phases.size(); ++i) {
        const QString &kill = scenario.phases[i].killInstance;
        if (kill.isEmpty())
            continue;
        const QString field = QStringLiteral("phases[%1].kill_instance").arg(i);
        if (!scenario.cluster)
            return FieldError{field, QStringLiteral("only a cluster target has instances to kill")};
        bool ok = false;
        const int number = kill.toInt(&ok);
        if (!ok || number < 1 || number > scenario.cluster->instances)
            return FieldError{field, QStringLiteral("expected an instance from 1 to %1, got %2")
                                         .arg(scenario.cluster->instances)
                                         .arg(kill)};
    }
    return std::nullopt;
}

} // namespace

QString ScenarioError::toString() const
{
    if (field.isEmpty())
        return file + QStringLiteral(": ") + message;
    return file + QStringLiteral(": ") + field + QStringLiteral(": ") + message;
}

std::variant<Scenario, ScenarioError> parseScenario(const QJsonObject &document, const QString &file)
{
    Scenario scenario;
    scenario.document = document;
    if (auto problem = parseInto(document, scenario))
        return ScenarioError{file, problem->field, problem->message};
    return scenario;
}

} // namespace perflab::scenario

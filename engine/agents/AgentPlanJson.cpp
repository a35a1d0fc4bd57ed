// See AgentPlanJson.h.
#include "engine/agents/AgentPlanJson.h"

#include "engine/load/LoadPlan.h"
#include "engine/report/JsonReport.h"
#include "engine/scenario/LoadModelParser.h"
#include "engine/scenario/RequestMixParser.h"
#include "engine/scenario/ScenarioJson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace perflab::agents {

namespace json = scenario::json;

QByteArray planToJson(const AgentPlan &plan)
{
    QJsonArray phases;
    for (const scenario::RemotePhase &phase : plan.plan.phases)
        phases.append(QJsonObject{{QStringLiteral("name"), phase.name},
                                  {QStringLiteral("duration_s"), phase.durationS},
                                  {QStringLiteral("load"), report::modelJson(phase.model)}});
    const QJsonObject document{{QStringLiteral("version"), 1},
                               {QStringLiteral("run"), plan.runId},
                               {QStringLiteral("agents"), plan.agentCount},
                               {QStringLiteral("target"), plan.plan.targetUrl},
                               {QStringLiteral("timeout_ms"), plan.plan.timeoutMs},
                               {QStringLiteral("requests"), plan.plan.requests},
                               {QStringLiteral("phases"), phases}};
    return QJsonDocument(document).toJson(QJsonDocument::Compact);
}

namespace {
QString problemText(const json::FieldError &error)
{
    return error.field + QStringLiteral(": ") + error.message;
}
} // namespace

std::variant<AgentPlan, QString> parsePlanJson(const QByteArray &bytes)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return QStringLiteral("not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset);
    if (!document.isObject())
        return QStringLiteral("expected a JSON object");
    const QJsonObject object = document.object();
    if (auto problem =
            json::checkKeys(object, QString(),
                            {QStringLiteral("version"), QStringLiteral("run"), QStringLiteral("agents"),
                             QStringLiteral("target"), QStringLiteral("timeout_ms"),
                             QStringLiteral("requests"), QStringLiteral("phases")}))
        return problemText(*problem);
    int version = 0;
    if (auto problem = json::readInteger(object, QString(), QStringLiteral("version"), 1, 1, version, true))
        return problemText(*problem);
    AgentPlan plan;
    if (auto problem = json::readString(object, QString(), QStringLiteral("run"), plan.runId, true, false))
        return problemText(*problem);
    // The id becomes part of Redis keys: letters, digits and dashes only.
    static const QRegularExpression idPattern(QStringLiteral("^[A-Za-z0-9-]{1,64}$"));
    if (!idPattern.match(plan.runId).hasMatch())
        return QStringLiteral("run: expected 1 to 64 letters, digits or dashes");
    if (auto problem = json::readInteger(object, QString(), QStringLiteral("agents"), 1, kMaxAgents,
                                         plan.agentCount, true))
        return problemText(*problem);
    if (auto problem =
            json::readString(object, QString(), QStringLiteral("target"), plan.plan.targetUrl, true, false))
        return problemText(*problem);
    const auto target = load::HttpTarget::parse(plan.plan.targetUrl);
    if (auto *error = std::get_if<QString>(&target))
        return QStringLiteral("target: %1").arg(*error);
    if (auto problem = json::readInteger(object, QString(), QStringLiteral("timeout_ms"), 1, 3'600'000,
                                         plan.plan.timeoutMs, true))
        return problemText(*problem);
    auto mix =
        scenario::parseRequestMix(object.value(QStringLiteral("requests")), QStringLiteral("requests"));
    if (auto *error = std::get_if<json::FieldError>(&mix))
        return problemText(*error);
    plan.plan.mix = std::get<std::vector<load::RequestSpec>>(std::move(mix));
    plan.plan.requests = object.value(QStringLiteral("requests")).toArray();
    const QJsonValue phases = object.value(QStringLiteral("phases"));
    if (!phases.isArray() || phases.toArray().isEmpty() || phases.toArray().size() > kMaxPlanPhases)
        return QStringLiteral("phases: expected an array of 1 to %1 phases").arg(kMaxPlanPhases);
    const QJsonArray phaseArray = phases.toArray();
    for (qsizetype i = 0; i < phaseArray.size(); ++i) {
        const QString path = json::element(QStringLiteral("phases"), i);
        if (auto problem = json::expectObject(phaseArray[i], path))
            return problemText(*problem);
        const QJsonObject phaseObject = phaseArray[i].toObject();
        if (auto problem = json::checkKeys(
                phaseObject, path,
                {QStringLiteral("name"), QStringLiteral("duration_s"), QStringLiteral("load")}))
            return problemText(*problem);
        scenario::RemotePhase phase;
        if (auto problem =
                json::readString(phaseObject, path, QStringLiteral("name"), phase.name, true, false))
            return problemText(*problem);
        if (auto problem = json::readNumber(phaseObject, path, QStringLiteral("duration_s"),
                                            json::Bound::Positive, phase.durationS, true))
            return problemText(*problem);
        if (phase.durationS > 7 * 24 * 3600)
            return json::child(path, QStringLiteral("duration_s")) +
                   QStringLiteral(": expected at most a week");
        auto model = scenario::parseLoadModel(phaseObject.value(QStringLiteral("load")),
                                              json::child(path, QStringLiteral("load")));
        if (auto *error = std::get_if<json::FieldError>(&model))
            return problemText(*error);
        phase.model = std::get<load::LoadModel>(model);
        plan.plan.phases.push_back(std::move(phase));
    }
    return plan;
}

} // namespace perflab::agents

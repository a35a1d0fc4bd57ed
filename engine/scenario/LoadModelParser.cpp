// See LoadModelParser.h.
#include "engine/scenario/LoadModelParser.h"

#include <QJsonArray>

namespace perflab::scenario {

using json::Bound;
using json::child;
using json::FieldError;

namespace {

std::variant<std::vector<load::Stage>, FieldError> parseStages(const QJsonObject &object, const QString &path)
{
    const QString field = child(path, QStringLiteral("stages"));
    const QString expected = QStringLiteral("a non-empty array of {\"duration_s\": > 0, \"rate\": >= 0}");
    if (!object.contains(QStringLiteral("stages")))
        return FieldError{field, QStringLiteral("required: expected ") + expected};
    const QJsonValue value = object.value(QStringLiteral("stages"));
    if (!value.isArray() || value.toArray().isEmpty())
        return FieldError{field, QStringLiteral("expected %1, got %2").arg(expected, json::describe(value))};
    std::vector<load::Stage> stages;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString stagePath = json::element(field, i);
        if (auto problem = json::expectObject(array.at(i), stagePath))
            return *problem;
        const QJsonObject stage = array.at(i).toObject();
        if (auto problem =
                json::checkKeys(stage, stagePath, {QStringLiteral("duration_s"), QStringLiteral("rate")}))
            return *problem;
        load::Stage parsed;
        if (auto problem = json::readNumber(stage, stagePath, QStringLiteral("duration_s"), Bound::Positive,
                                            parsed.durationS, true))
            return *problem;
        if (auto problem = json::readNumber(stage, stagePath, QStringLiteral("rate"), Bound::NonNegative,
                                            parsed.rate, true))
            return *problem;
        stages.push_back(parsed);
    }
    return stages;
}

} // namespace

std::variant<load::LoadModel, FieldError> parseLoadModel(const QJsonValue &value, const QString &path)
{
    if (auto problem = json::expectObject(value, path))
        return *problem;
    const QJsonObject object = value.toObject();
    QString kind;
    if (auto problem = json::readChoice(
            object, path, QStringLiteral("model"),
            {QStringLiteral("closed"), QStringLiteral("open"), QStringLiteral("stages")}, kind, true))
        return *problem;

    load::LoadModel model;
    const QString connections = QStringLiteral("connections");
    if (kind == QStringLiteral("closed")) {
        model.kind = load::LoadModelKind::Closed;
        if (auto problem = json::checkKeys(
                object, path, {QStringLiteral("model"), connections, QStringLiteral("think_ms")}))
            return *problem;
        // The connection count is the whole load of a closed model: no silent default.
        if (auto problem =
                json::readInteger(object, path, connections, 1, kMaxConnections, model.connections, true))
            return *problem;
        if (auto problem =
                json::readNumber(object, path, QStringLiteral("think_ms"), Bound::NonNegative, model.thinkMs))
            return *problem;
        return model;
    }

    model.connections = kDefaultOpenConnections;
    if (kind == QStringLiteral("open")) {
        model.kind = load::LoadModelKind::Open;
        if (auto problem =
                json::checkKeys(object, path, {QStringLiteral("model"), QStringLiteral("rate"), connections}))
            return *problem;
        if (auto problem =
                json::readNumber(object, path, QStringLiteral("rate"), Bound::Positive, model.rate, true))
            return *problem;
    } else {
        model.kind = load::LoadModelKind::Stages;
        if (auto problem = json::checkKeys(object, path,
                                           {QStringLiteral("model"), QStringLiteral("stages"), connections}))
            return *problem;
        auto stages = parseStages(object, path);
        if (auto *problem = std::get_if<FieldError>(&stages))
            return *problem;
        model.stages = std::get<std::vector<load::Stage>>(std::move(stages));
    }
    if (auto problem = json::readInteger(object, path, connections, 1, kMaxConnections, model.connections))
        return *problem;
    return model;
}

double stagesDurationS(const load::LoadModel &model)
{
    double total = 0;
    for (const load::Stage &stage : model.stages)
        total += stage.durationS;
    return total;
}

} // namespace perflab::scenario

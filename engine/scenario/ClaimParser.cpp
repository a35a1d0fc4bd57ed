// See ClaimParser.h. Errors in the scenario parsers' style: the field as a JSON path
// (`expect[2].route`) and what was expected, listing the names that would have been right.
#include "engine/scenario/ClaimParser.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

namespace perflab::scenario {

using json::child;
using json::FieldError;
using json::Problem;

namespace {

bool isKnownMetric(const QString &metric)
{
    static const QRegularExpression statusShare(QStringLiteral("^status_([1-5][0-9][0-9])_share$"));
    return (kClaimMetrics.contains(metric) && !metric.contains(u'<')) || statusShare.match(metric).hasMatch();
}

QString quotedList(const QStringList &names)
{
    QStringList quoted;
    for (const QString &name : names)
        quoted.append(u'"' + name + u'"');
    return quoted.join(QStringLiteral(", "));
}

Problem readPhase(const QJsonObject &object, const QString &path, const std::vector<Phase> &phases,
                  std::optional<int> &out)
{
    const QString key = QStringLiteral("phase");
    if (!object.contains(key))
        return std::nullopt;
    QStringList names;
    for (const Phase &phase : phases)
        names.append(phase.name);
    const QJsonValue value = object.value(key);
    const qsizetype index = value.isString() ? names.indexOf(value.toString()) : -1;
    if (index < 0)
        return FieldError{child(path, key), QStringLiteral("expected the name of a phase (%1), got %2")
                                                .arg(quotedList(names), json::describe(value))};
    out = int(index);
    return std::nullopt;
}

Problem readRoute(const QJsonObject &object, const QString &path,
                  const std::vector<load::RequestSpec> &requests, QString &out)
{
    const QString key = QStringLiteral("route");
    if (!object.contains(key))
        return std::nullopt;
    QStringList routes;
    for (const load::RequestSpec &request : requests)
        if (!routes.contains(request.name()))
            routes.append(request.name());
    const QJsonValue value = object.value(key);
    if (!value.isString() || !routes.contains(value.toString()))
        return FieldError{
            child(path, key),
            QStringLiteral("expected a route of the request mix, \"METHOD path\" as in requests (%1), got %2")
                .arg(quotedList(routes), json::describe(value))};
    out = value.toString();
    return std::nullopt;
}

Problem readReference(const QJsonObject &object, const QString &path, const std::vector<Phase> &phases,
                      const std::vector<load::RequestSpec> &requests, const ClaimSide &own,
                      std::optional<ClaimSide> &out)
{
    const QString key = QStringLiteral("vs");
    if (!object.contains(key))
        return std::nullopt;
    const QJsonValue value = object.value(key);
    const QString field = child(path, key);
    ClaimSide reference = own;
    if (value.isString()) {
        if (auto problem =
                readPhase(QJsonObject{{QStringLiteral("phase"), value}}, path, phases, reference.phase))
            return FieldError{field, problem->message};
    } else if (value.isObject() && !value.toObject().isEmpty()) {
        const QJsonObject vs = value.toObject();
        if (auto problem = json::checkKeys(vs, field, {QStringLiteral("phase"), QStringLiteral("route")}))
            return problem;
        if (auto problem = readPhase(vs, field, phases, reference.phase))
            return problem;
        if (auto problem = readRoute(vs, field, requests, reference.route))
            return problem;
    } else {
        return FieldError{field,
                          QStringLiteral("expected a phase name or {\"phase\": ..., \"route\": ...}, got %1")
                              .arg(json::describe(value))};
    }
    if (reference.phase == own.phase && reference.route == own.route)
        return FieldError{field, QStringLiteral("expected a phase or route other than the claim's own")};
    out = reference;
    return std::nullopt;
}

Problem readBound(const QJsonObject &object, const QString &path, bool relative, Claim &claim)
{
    const QString atMost = QStringLiteral("at_most");
    const QString atLeast = QStringLiteral("at_least");
    if (object.contains(atMost) == object.contains(atLeast))
        return FieldError{child(path, object.contains(atMost) ? atLeast : atMost),
                          QStringLiteral("expected exactly one of at_most, at_least")};
    claim.atMost = object.contains(atMost);
    // A ratio of 0 or less can never be met by two measured figures: surely a mistake.
    const json::Bound bound = relative ? json::Bound::Positive : json::Bound::NonNegative;
    return json::readNumber(object, path, claim.atMost ? atMost : atLeast, bound, claim.limit, true);
}

std::variant<Claim, FieldError> parseClaim(const QJsonValue &value, const QString &path,
                                           const std::vector<Phase> &phases,
                                           const std::vector<load::RequestSpec> &requests)
{
    if (auto problem = json::expectObject(value, path))
        return *problem;
    const QJsonObject object = value.toObject();
    if (auto problem =
            json::checkKeys(object, path,
                            {QStringLiteral("claim"), QStringLiteral("metric"), QStringLiteral("route"),
                             QStringLiteral("phase"), QStringLiteral("vs"), QStringLiteral("at_most"),
                             QStringLiteral("at_least")}))
        return *problem;
    Claim claim;
    if (auto problem = json::readString(object, path, QStringLiteral("claim"), claim.text, true, false))
        return *problem;
    const QString metricField = child(path, QStringLiteral("metric"));
    const QString metricsText = kClaimMetrics.join(QStringLiteral(", "));
    if (!object.contains(QStringLiteral("metric")))
        return FieldError{metricField, QStringLiteral("required: expected one of ") + metricsText};
    claim.metric = object.value(QStringLiteral("metric")).toString();
    if (!isKnownMetric(claim.metric))
        return FieldError{metricField,
                          QStringLiteral("expected one of %1, got %2")
                              .arg(metricsText, json::describe(object.value(QStringLiteral("metric"))))};
    if (auto problem = readPhase(object, path, phases, claim.side.phase))
        return *problem;
    if (auto problem = readRoute(object, path, requests, claim.side.route))
        return *problem;
    if (claim.metric == QLatin1String("hit_rate") || claim.metric == QLatin1String("stale_read_share") ||
        claim.metric == QLatin1String("job_completion_share")) {
        // The cache counts lookups on the server, for all routes together.
        const bool ownRoute = object.contains(QStringLiteral("route"));
        if (ownRoute || object.value(QStringLiteral("vs")).toObject().contains(QStringLiteral("route")))
            return FieldError{
                ownRoute ? child(path, QStringLiteral("route"))
                         : child(child(path, QStringLiteral("vs")), QStringLiteral("route")),
                QStringLiteral("expected no route with %1 (it is counted for every route together)")
                    .arg(claim.metric)};
    }
    if (auto problem = readReference(object, path, phases, requests, claim.side, claim.reference))
        return *problem;
    if (auto problem = readBound(object, path, claim.reference.has_value(), claim))
        return *problem;
    return claim;
}

} // namespace

std::variant<std::vector<Claim>, FieldError> parseClaims(const QJsonValue &value, const QString &path,
                                                         const std::vector<Phase> &phases,
                                                         const std::vector<load::RequestSpec> &requests)
{
    std::vector<Claim> claims;
    if (value.isUndefined())
        return claims;
    if (!value.isArray())
        return FieldError{path,
                          QStringLiteral("expected an array of claims {\"claim\", \"metric\", ...}, got %1")
                              .arg(json::describe(value))};
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        auto claim = parseClaim(array.at(i), json::element(path, i), phases, requests);
        if (auto *problem = std::get_if<FieldError>(&claim))
            return *problem;
        claims.push_back(std::get<Claim>(std::move(claim)));
    }
    return claims;
}

} // namespace perflab::scenario

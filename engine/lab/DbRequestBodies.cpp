// See DbRequestBodies.h.
#include "engine/lab/DbRequestBodies.h"

#include "engine/http/RequestValidation.h"

#include <QJsonObject>

#include <cmath>
#include <optional>

namespace perflab::lab {

namespace {

using http::validationIssue;

const QString kBody = QStringLiteral("body");

QJsonArray loc(const QJsonArray &path)
{
    QJsonArray out{kBody};
    for (const QJsonValue &part : path)
        out.append(part);
    return out;
}

// pydantic's int in lax mode: 3, 3.0 and "3" pass; 3.5, true and "x" do not.
std::optional<qint64> intValue(const QJsonValue &value, const QJsonArray &at, QJsonArray &issues)
{
    if (value.isDouble()) {
        const double number = value.toDouble();
        if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) < 9.0e15)
            return qint64(number);
        issues.append(validationIssue(
            QStringLiteral("int_from_float"), loc(at),
            QStringLiteral("Input should be a valid integer, got a number with a fractional part"), value));
        return std::nullopt;
    }
    if (value.isString()) {
        bool ok = false;
        const qint64 parsed = value.toString().trimmed().toLongLong(&ok);
        if (ok)
            return parsed;
        issues.append(validationIssue(
            QStringLiteral("int_parsing"), loc(at),
            QStringLiteral("Input should be a valid integer, unable to parse string as an integer"), value));
        return std::nullopt;
    }
    issues.append(validationIssue(QStringLiteral("int_type"), loc(at),
                                  QStringLiteral("Input should be a valid integer"), value));
    return std::nullopt;
}

// A JSON list no longer than `maxItems`, or the issue.
std::optional<QJsonArray> listValue(const QJsonValue &value, const QJsonArray &at, int maxItems,
                                    QJsonArray &issues)
{
    if (!value.isArray()) {
        issues.append(validationIssue(QStringLiteral("list_type"), loc(at),
                                      QStringLiteral("Input should be a valid list"), value));
        return std::nullopt;
    }
    const QJsonArray list = value.toArray();
    if (list.size() > maxItems) {
        issues.append(
            validationIssue(QStringLiteral("too_long"), loc(at),
                            QStringLiteral("List should have at most %1 items after validation, not %2")
                                .arg(maxItems)
                                .arg(list.size()),
                            QStringLiteral("[%1 items]").arg(list.size()),
                            QJsonObject{{QStringLiteral("field_type"), QStringLiteral("List")},
                                        {QStringLiteral("max_length"), maxItems},
                                        {QStringLiteral("actual_length"), list.size()}}));
        return std::nullopt;
    }
    return list;
}

QList<qint64> idsOf(const QJsonValue &value, const QJsonArray &at, QJsonArray &issues)
{
    QList<qint64> ids;
    const std::optional<QJsonArray> list = listValue(value, at, kMaxIds, issues);
    if (!list)
        return ids;
    ids.reserve(list->size());
    for (qsizetype i = 0; i < list->size(); ++i) {
        QJsonArray itemAt = at;
        itemAt.append(int(i));
        if (std::optional<qint64> id = intValue(list->at(i), itemAt, issues))
            ids.append(*id);
    }
    return ids;
}

} // namespace

std::variant<QList<qint64>, QJsonArray> parseIdList(const QByteArray &body)
{
    auto parsed = http::parseJsonBody(body);
    if (auto *issues = std::get_if<QJsonArray>(&parsed))
        return *issues;
    QJsonArray issues;
    QList<qint64> ids = idsOf(std::get<QJsonValue>(parsed), {}, issues);
    if (!issues.isEmpty())
        return issues;
    return ids;
}

std::variant<std::vector<db::NewUser>, QJsonArray> parseNewUsers(const QByteArray &body)
{
    auto parsed = http::parseJsonBody(body);
    if (auto *issues = std::get_if<QJsonArray>(&parsed))
        return *issues;
    QJsonArray issues;
    const std::optional<QJsonArray> list = listValue(std::get<QJsonValue>(parsed), {}, kMaxNewUsers, issues);
    if (!list)
        return issues;
    std::vector<db::NewUser> users;
    users.reserve(size_t(list->size()));
    for (qsizetype i = 0; i < list->size(); ++i) {
        const QJsonValue item = list->at(i);
        const int index = int(i);
        if (!item.isObject()) {
            issues.append(validationIssue(QStringLiteral("dict_type"), loc({index}),
                                          QStringLiteral("Input should be a valid dictionary"), item));
            continue;
        }
        const QJsonObject object = item.toObject();
        db::NewUser user;
        const auto stringField = [&](const QString &field, QString &out, bool required) {
            const auto it = object.constFind(field);
            if (it == object.constEnd()) {
                if (required)
                    issues.append(validationIssue(QStringLiteral("missing"), loc({index, field}),
                                                  QStringLiteral("Field required"), object));
                return false;
            }
            if (!it->isString()) {
                issues.append(validationIssue(QStringLiteral("string_type"), loc({index, field}),
                                              QStringLiteral("Input should be a valid string"), *it));
                return false;
            }
            out = it->toString();
            return true;
        };
        stringField(QStringLiteral("name"), user.name, true);
        if (stringField(QStringLiteral("email"), user.email, true)) {
            if (auto problem = http::emailAddressProblem(user.email))
                issues.append(
                    validationIssue(QStringLiteral("value_error"), loc({index, QStringLiteral("email")}),
                                    QStringLiteral("value is not a valid email address: ") + *problem,
                                    user.email, QJsonObject{{QStringLiteral("reason"), *problem}}));
        }
        stringField(QStringLiteral("bio"), user.bio, false);
        if (const auto active = object.constFind(QStringLiteral("is_active")); active != object.constEnd()) {
            if (active->isBool())
                user.isActive = active->toBool();
            else
                issues.append(validationIssue(QStringLiteral("bool_type"),
                                              loc({index, QStringLiteral("is_active")}),
                                              QStringLiteral("Input should be a valid boolean"), *active));
        }
        users.push_back(std::move(user));
    }
    if (!issues.isEmpty())
        return issues;
    return users;
}

std::variant<BulkStatus, QJsonArray> parseBulkStatus(const QByteArray &body)
{
    auto parsed = http::parseDictBody(body);
    if (auto *issues = std::get_if<QJsonArray>(&parsed))
        return *issues;
    const QJsonObject object = std::get<QJsonObject>(parsed);
    QJsonArray issues;
    BulkStatus status;
    if (const auto ids = object.constFind(QStringLiteral("ids")); ids == object.constEnd())
        issues.append(validationIssue(QStringLiteral("missing"), loc({QStringLiteral("ids")}),
                                      QStringLiteral("Field required"), object));
    else
        status.ids = idsOf(*ids, {QStringLiteral("ids")}, issues);
    if (const auto active = object.constFind(QStringLiteral("is_active")); active == object.constEnd())
        issues.append(validationIssue(QStringLiteral("missing"), loc({QStringLiteral("is_active")}),
                                      QStringLiteral("Field required"), object));
    else if (!active->isBool())
        issues.append(validationIssue(QStringLiteral("bool_type"), loc({QStringLiteral("is_active")}),
                                      QStringLiteral("Input should be a valid boolean"), *active));
    else
        status.isActive = active->toBool();
    if (!issues.isEmpty())
        return issues;
    return status;
}

} // namespace perflab::lab

// Request bodies of the task routes, validated the way FastAPI and pydantic v2 do it, with
// their 422 shape: {"detail": [{"type", "loc", "msg", "input", "ctx"?}, ...]}, every problem
// listed, in field order. The email check follows python-email-validator (what pydantic's
// EmailStr calls), without the deliverability (DNS) check, and with its messages.
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>
#include <variant>

#include "engine/http/ValidationError.h"

namespace perflab::tasks {

using http::unprocessable;
using http::validationIssue;

// The body as JSON, or the issues: "missing" for an empty body, "json_invalid" (with the
// error's offset in loc and the parser's message in ctx.error) for malformed JSON.
std::variant<QJsonValue, QJsonArray> parseJsonBody(const QByteArray &body);

// A body declared as `data: dict` (FastAPI: one non-embedded body parameter).
std::variant<QJsonObject, QJsonArray> parseDictBody(const QByteArray &body);

// Why `address` is not a valid email address (email-validator's message), or nullopt.
std::optional<QString> emailAddressProblem(const QString &address);

// The seed's EmailSchema: {"email": EmailStr, "subject": str, "body": str}.
struct EmailSchema
{
    QString email;
    QString subject;
    QString body;
};
std::variant<EmailSchema, QJsonArray> parseEmailSchema(const QByteArray &body);

} // namespace perflab::tasks

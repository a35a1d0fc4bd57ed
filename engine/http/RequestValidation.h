// Request validation the way FastAPI and pydantic v2 do it, used by every route that rejects
// input, with their 422 shape:
//   422 {"detail": [{"type": "int_parsing", "loc": ["path", "user_id"], "msg": "...", "input": "abc"}]}
// every problem listed, in field order. Here too the request bodies the routes share: JSON and
// dict bodies, and the guide's EmailSchema. The email check follows python-email-validator (what
// pydantic's EmailStr calls), without the deliverability (DNS) check, and with its messages.
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>
#include <variant>

namespace perflab::http {

struct HttpResponse;

// One item of "detail"; `ctx` is left out when empty.
QJsonObject validationIssue(const QString &type, const QJsonArray &loc, const QString &msg,
                            const QJsonValue &input, const QJsonObject &ctx = {});
// 422 {"detail": issues}
HttpResponse unprocessable(const QJsonArray &issues);

// The body as JSON, or the issues: "missing" for an empty body, "json_invalid" (with the
// error's offset in loc and the parser's message in ctx.error) for malformed JSON.
std::variant<QJsonValue, QJsonArray> parseJsonBody(const QByteArray &body);

// A body declared as `data: dict` (FastAPI: one non-embedded body parameter).
std::variant<QJsonObject, QJsonArray> parseDictBody(const QByteArray &body);

// Why `address` is not a valid email address (email-validator's message), or nullopt.
std::optional<QString> emailAddressProblem(const QString &address);

// The guide's EmailSchema: {"email": EmailStr, "subject": str, "body": str}.
struct EmailSchema
{
    QString email;
    QString subject;
    QString body;
};
std::variant<EmailSchema, QJsonArray> parseEmailSchema(const QByteArray &body);

} // namespace perflab::http

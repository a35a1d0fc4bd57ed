// FastAPI's validation errors (pydantic v2 shape), used by every route that rejects input:
//   422 {"detail": [{"type": "int_parsing", "loc": ["path", "user_id"], "msg": "...", "input": "abc"}]}
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace perflab::http {

struct HttpResponse;

// One item of "detail"; `ctx` is left out when empty.
QJsonObject validationIssue(const QString &type, const QJsonArray &loc, const QString &msg,
                            const QJsonValue &input, const QJsonObject &ctx = {});
// 422 {"detail": issues}
HttpResponse unprocessable(const QJsonArray &issues);

} // namespace perflab::http

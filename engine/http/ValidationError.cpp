// See ValidationError.h.
#include "engine/http/ValidationError.h"

#include "engine/http/HttpResponse.h"

#include <QJsonDocument>

namespace perflab::http {

QJsonObject validationIssue(const QString &type, const QJsonArray &loc, const QString &msg,
                            const QJsonValue &input, const QJsonObject &ctx)
{
    QJsonObject issue{{QStringLiteral("type"), type},
                      {QStringLiteral("loc"), loc},
                      {QStringLiteral("msg"), msg},
                      {QStringLiteral("input"), input}};
    if (!ctx.isEmpty())
        issue.insert(QStringLiteral("ctx"), ctx);
    return issue;
}

HttpResponse unprocessable(const QJsonArray &issues)
{
    return HttpResponse::json(422, QJsonDocument(QJsonObject{{QStringLiteral("detail"), issues}}));
}

} // namespace perflab::http

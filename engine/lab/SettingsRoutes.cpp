// See SettingsRoutes.h.
#include "engine/lab/SettingsRoutes.h"

#include "engine/http/RequestValidation.h"
#include "engine/http/Router.h"
#include "engine/settings/SettingsSecrets.h"
#include "engine/settings/SettingsStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

namespace perflab::lab {

namespace {
// FastAPI's validation-error shape, with the field's path under "body".
http::HttpResponse validationError(const QString &type, const QString &field, const QString &message)
{
    QJsonArray loc{QStringLiteral("body")};
    if (!field.isEmpty()) {
        for (const QString &part : field.split(QLatin1Char('.')))
            loc.append(part);
    }
    return http::unprocessable(QJsonArray{http::validationIssue(type, loc, message, QJsonValue::Null)});
}
} // namespace

void addSettingsRoutes(http::Router &router, settings::SettingsStore &settings)
{
    router.addGet("/admin/settings", [&settings](const http::HttpRequest &) {
        return http::HttpResponse::json(200,
                                        QJsonDocument(settings::withSecretsMasked(settings.view().toJson())));
    });
    router.add(
        http::Method::Patch, "/admin/settings",
        {[&settings](const http::HttpRequest &request) {
             QJsonParseError parseError;
             const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
             if (parseError.error != QJsonParseError::NoError)
                 return validationError(QStringLiteral("json_invalid"), {},
                                        QStringLiteral("JSON decode error: %1 at offset %2")
                                            .arg(parseError.errorString())
                                            .arg(parseError.offset));
             if (!doc.isObject())
                 return validationError(QStringLiteral("model_type"), {},
                                        QStringLiteral("Input should be a JSON object of setting sections"));
             auto result = settings.patch(settings::withMaskedSecretsRestored(doc.object(), settings.view()));
             if (auto *error = std::get_if<settings::SettingsError>(&result))
                 return validationError(QStringLiteral("value_error"), error->field, error->message());
             return http::HttpResponse::json(
                 200, QJsonDocument(settings::withSecretsMasked(std::get<0>(result)->toJson())));
         },
         {}});
}

} // namespace perflab::lab

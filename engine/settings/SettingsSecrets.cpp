// See SettingsSecrets.h.
#include "engine/settings/SettingsSecrets.h"

#include "engine/net/MaskedUrl.h"
#include "engine/settings/LabSettings.h"

namespace perflab::settings {

namespace {

// The one secret field today: database.url (a PostgreSQL URL with its password).
const QString kSection = QStringLiteral("database");
const QString kField = QStringLiteral("url");

} // namespace

QJsonObject withSecretsMasked(QJsonObject settings)
{
    QJsonObject section = settings.value(kSection).toObject();
    const QJsonValue url = section.value(kField);
    if (!url.isString())
        return settings;
    section.insert(kField, net::maskedUrl(url.toString()));
    settings.insert(kSection, section);
    return settings;
}

QJsonObject withMaskedSecretsRestored(QJsonObject patch, const LabSettings &current)
{
    QJsonObject section = patch.value(kSection).toObject();
    const QJsonValue url = section.value(kField);
    const QString masked = net::maskedUrl(current.database.url);
    if (!url.isString() || masked == current.database.url || url.toString() != masked)
        return patch;
    section.insert(kField, current.database.url);
    patch.insert(kSection, section);
    return patch;
}

} // namespace perflab::settings

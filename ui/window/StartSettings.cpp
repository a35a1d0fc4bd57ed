// StartSettings: see StartSettings.h.
#include "ui/window/StartSettings.h"

#include <QFile>
#include <QJsonDocument>
#include <QSettings>

namespace perflab::ui {

namespace {

const QString kLabSettingsKey = QStringLiteral("lab/settings");

} // namespace

std::unique_ptr<QSettings> windowSettings()
{
    return std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope, QStringLiteral("perflab"),
                                       QStringLiteral("perflab"));
}

QJsonObject changedFromDefaults(const settings::LabSettings &current)
{
    return settings::changedFields(settings::LabSettings().toJson(), current.toJson());
}

void storeLabSettings(const settings::LabSettings &current)
{
    windowSettings()->setValue(
        kLabSettingsKey,
        QString::fromUtf8(QJsonDocument(changedFromDefaults(current)).toJson(QJsonDocument::Compact)));
}

void forgetLabSettings()
{
    windowSettings()->remove(kLabSettingsKey);
}

std::variant<StartSettings, QString> loadStartSettings()
{
    StartSettings start;
    const QByteArray stored = windowSettings()->value(kLabSettingsKey).toString().toUtf8();
    if (!stored.isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(stored);
        auto result = settings::applyPatch(settings::LabSettings(), doc.object());
        if (auto *error = std::get_if<settings::SettingsError>(&result))
            start.note =
                QStringLiteral("The settings saved last time were not used (%1); the defaults apply.")
                    .arg(error->message());
        else {
            start.settings = std::get<settings::LabSettings>(result);
            start.saved = doc.object();
        }
    }

    const QString path = qEnvironmentVariable("PERFLAB_UI_SETTINGS");
    if (path.isEmpty())
        return start;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("Cannot read the settings file %1: %2").arg(path, file.errorString());
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return QStringLiteral("The settings file %1 is not a JSON object of setting sections.").arg(path);
    auto result = settings::applyPatch(start.settings, doc.object());
    if (auto *error = std::get_if<settings::SettingsError>(&result))
        return QStringLiteral("The settings file %1 has a bad value: %2").arg(path, error->message());
    start.settings = std::get<settings::LabSettings>(result);
    return start;
}

} // namespace perflab::ui

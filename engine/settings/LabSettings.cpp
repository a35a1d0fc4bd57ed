// See LabSettings.h. The fields themselves are described in SettingsFields.cpp.
#include "engine/settings/LabSettings.h"

#include "engine/settings/SettingsFields.h"

#include <QJsonArray>
#include <QStringList>

#include <cmath>
#include <functional>
#include <vector>

namespace perflab::settings {

QJsonObject LabSettings::toJson() const
{
    QJsonObject root;
    for (const SettingField &f : settingFields()) {
        QJsonObject object = root.value(f.section).toObject();
        object.insert(f.name, f.get(*this));
        root.insert(f.section, object);
    }
    return root;
}

std::variant<LabSettings, SettingsError> applyPatch(const LabSettings &base, const QJsonObject &patch)
{
    LabSettings result = base;
    for (auto section = patch.begin(); section != patch.end(); ++section) {
        if (!findSettingsSection(section.key())) {
            QStringList known;
            for (const SettingsSection &s : settingsSections())
                known << s.key;
            return SettingsError{
                section.key(),
                QStringLiteral("unknown section; expected one of %1").arg(known.join(QStringLiteral(", ")))};
        }
        if (!section.value().isObject())
            return SettingsError{section.key(), QStringLiteral("expected an object")};
        const QJsonObject values = section.value().toObject();
        for (auto value = values.begin(); value != values.end(); ++value) {
            const QString path = section.key() + QLatin1Char('.') + value.key();
            const SettingField *match = findSettingField(section.key(), value.key());
            if (!match)
                return SettingsError{path, QStringLiteral("unknown setting")};
            if (auto problem = match->check(value.value()))
                return SettingsError{path, *problem};
            match->set(result, value.value());
        }
    }
    // A backend on Redis without any Redis to use is a mistake to name now, not a silent fallback.
    // A Redis that is named but does not answer is accepted and reported as unreachable: it may
    // come up a moment later, and a settings change must not wait on the network.
    if (result.cache.backend == QLatin1String("redis") && result.cacheRedisUrl().isEmpty())
        return SettingsError{QStringLiteral("cache.backend"),
                             QStringLiteral("\"redis\" needs a Redis: set redis.url (or serve --redis)")};
    if (result.background.queueBackend == QLatin1String("redis") && result.redis.url.isEmpty())
        return SettingsError{QStringLiteral("background.queue_backend"),
                             QStringLiteral("\"redis\" needs a Redis: set redis.url (or serve --redis)")};
    return result;
}

QJsonObject changedFields(const QJsonObject &base, const QJsonObject &wanted)
{
    QJsonObject patch;
    for (auto section = wanted.begin(); section != wanted.end(); ++section) {
        const QJsonObject was = base.value(section.key()).toObject();
        const QJsonObject is = section.value().toObject();
        QJsonObject fields;
        for (auto field = is.begin(); field != is.end(); ++field)
            if (was.value(field.key()) != field.value())
                fields.insert(field.key(), field.value());
        if (!fields.isEmpty())
            patch.insert(section.key(), fields);
    }
    return patch;
}

} // namespace perflab::settings

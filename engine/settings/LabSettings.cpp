// See LabSettings.h. The fields themselves are described in SettingsFields.cpp.
#include "settings/LabSettings.h"

#include "settings/SettingsFields.h"

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
            return SettingsError{section.key(),
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

// The settings field table, published as data: every field of the live settings document
// with its type, range or choices, unit, label and one-line help, in the order the panels and
// the docs show them; and every section (one technique of the lab) with the sentence that
// says what it does and what to watch. Validation (LabSettings.cpp), the desktop panels and
// the docs read this one table, so a field is described once and a new one appears
// everywhere.
//
// A choice or a field the engine does not act on is not in the table: it would be accepted
// and then ignored, and a user picking it would get something else without a word.
#pragma once

#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace perflab::settings {

struct LabSettings;

enum class FieldType { Bool, Int, Double, String, Choice };

// When a change takes effect.
enum class FieldEffect {
    Live,      // the next request reads it
    NextStart, // read when the lab starts (database, dataset, worker threads)
};

struct SettingField
{
    QString section; // "cache"
    QString name;    // "ttl_s"
    FieldType type = FieldType::Bool;
    double min = 0; // Int and Double
    double max = 0;
    QStringList choices; // Choice
    QString label;       // "Time to live"
    QString unit;        // "s", "ms", "bytes", ... ; "" when the value has none
    QString help;        // one line: what it does
    FieldEffect effect = FieldEffect::Live;
    std::function<QJsonValue(const LabSettings &)> get;
    std::function<void(LabSettings &, const QJsonValue &)> set;
    // String fields with a format (URLs): the problem with a value, nullopt when it is valid.
    std::function<std::optional<QString>(const QString &)> checkText;

    QString path() const { return section + QLatin1Char('.') + name; } // "cache.ttl_s"
    // The rule a value broke, e.g. "expected an integer from 1 to 9"; nullopt when valid.
    std::optional<QString> check(const QJsonValue &value) const;
};

struct SettingsSection
{
    QString key;         // "cache"
    QString title;       // "Caching"
    QString chapter;     // where the guide teaches it: "chapter 3"
    QString summary;     // what the technique does
    QString watch;       // what to watch while it runs
    QString switchField; // the field that turns the technique on and off ("enabled"), or ""
};

// Every field, sections in the order of settingsSections(), fields in their teaching order.
const std::vector<SettingField> &settingFields();
const std::vector<SettingsSection> &settingsSections();
const SettingField *findSettingField(const QString &section, const QString &name);
const SettingsSection *findSettingsSection(const QString &key);

} // namespace perflab::settings

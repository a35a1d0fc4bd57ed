// TechniquePanel: one technique of the lab (a section of the settings: caching, HTTP caching,
// compression, ...) as the user sees it: what it does and what to watch (the guide's chapter
// named), its on/off switch when it has one, its other settings as labelled controls, and a
// live readout of its own figures. Everything comes from the engine's field table
// (settings/SettingsFields.h) and the readout lines (TechniqueReadout.h): no field, range,
// unit or choice is written here.
//
// Controls follow the table: a switch or check box for a flag, spin boxes limited to the
// field's range with its unit as suffix (an out-of-range value cannot be typed, so it is never
// sent), a list of the field's choices (a list of one is shown but cannot be changed), a line
// for text. Fields read only at the lab's start are marked so. The panel sends nothing itself:
// each user change is emitted as edited(field, value) for the owner to patch.
#pragma once

#include "engine/settings/SettingsFields.h"
#include "ui/panels/TechniqueReadout.h"

#include <QHash>
#include <QJsonObject>
#include <QWidget>

#include <vector>

class QCheckBox;
class QLabel;

namespace perflab::ui {

class TechniquePanel final : public QWidget
{
    Q_OBJECT
public:
    TechniquePanel(const settings::SettingsSection &section, QWidget *parent = nullptr);

    const settings::SettingsSection &section() const { return m_section; }
    // Field names in the table's order, the switch first when there is one.
    QStringList fields() const { return m_fields; }
    QWidget *control(const QString &field) const { return m_controls.value(field); }
    // The switch (null for a technique without one) and whether it is on.
    QCheckBox *switchBox() const { return m_switch; }
    bool isSwitchedOn() const;
    // The readout's value labels, in readoutLines() order.
    const std::vector<QLabel *> &readoutValues() const { return m_readoutValues; }
    // A line of state in words under the readout (the Redis page: where Redis is and why it does
    // not answer); hidden while empty. Null for a technique without a readout.
    QLabel *statusLabel() const { return m_status; }
    void showStatus(const QString &text);
    // A part of the page that is not a settings field (the Server page's instances), at the end.
    void addSection(QWidget *section);

    // Shows `settings` (the whole document) in the controls without emitting edited().
    void showSettings(const QJsonObject &settings);
    void showFigures(const SampleWindow &window, const settings::LabSettings &settings);

Q_SIGNALS:
    void edited(const QString &section, const QString &field, const QJsonValue &value);

private:
    QWidget *makeControl(const settings::SettingField &field);
    void addReadout();

    const settings::SettingsSection &m_section;
    QStringList m_fields;
    QHash<QString, QWidget *> m_controls;
    QHash<QString, QJsonValue> m_shown; // what the controls show, to tell an edit from a refresh
    QCheckBox *m_switch = nullptr;
    std::vector<QLabel *> m_readoutValues;
    QLabel *m_status = nullptr;
};

} // namespace perflab::ui

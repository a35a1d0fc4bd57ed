// SettingsPanel: the lab's live settings as controls, one page per section (cache,
// http_cache, compression, ...), generated from LabSettings::toJson() so a new field in the
// settings table appears here without code:
//   bool → QCheckBox, integer → QSpinBox, double → QDoubleSpinBox (3 decimals),
//   string → QLineEdit (applied on editingFinished), and the two enumerations
//   (cache.backend, background.mode) → QComboBox of their allowed values.
// Integers are told from doubles by how toJson() stores them (QJsonValue keeps integers as
// integers). The spin boxes allow a wide range on purpose: the settings table, not the
// widget, is the one place that knows the limits, and its message is what the user sees.
// Each user change is sent at once as a one-field patch {section: {field: value}} through
// SettingsStore::patch(); a rejected value is shown in red above the pages and the control
// goes back to the current value. Controls follow SettingsStore::changed (also from PATCH
// /admin/settings on HTTP worker threads), queued to the GUI thread.
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QStringList>
#include <QWidget>

class QLabel;

namespace perflab::settings {
class SettingsStore;
}

namespace perflab::ui {

class SettingsPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit SettingsPanel(settings::SettingsStore &store, QWidget *parent = nullptr);

    // "section.field" of every control, in the settings table's order.
    QStringList controlPaths() const { return m_paths; }
    QWidget *control(const QString &path) const { return m_controls.value(path); }
    // The message of the last rejected change; empty after a change that was applied.
    QString errorText() const;

private:
    QWidget *makeControl(const QString &section, const QString &field, const QJsonValue &value);
    void submit(const QString &section, const QString &field, const QJsonValue &value);
    // Sets every control to `settings` without sending anything back.
    void refresh(const QJsonObject &settings);

    settings::SettingsStore &m_store;
    QLabel *m_error = nullptr;
    QStringList m_paths;
    QHash<QString, QWidget *> m_controls;
};

} // namespace perflab::ui

// SettingsPanel: the lab's techniques, one TechniquePanel per section of the settings
// (caching, HTTP caching, compression, concurrency limits, background tasks, database,
// simulation, server) as the pages of a tool box, in the field table's order, each page's
// title saying whether its technique is on.
//
// Each user change is sent at once as a one-field patch {section: {field: value}} through
// SettingsStore::patch(); a rejected value is shown in red above the pages and the control
// goes back to the current value. Controls follow SettingsStore::changed (also from PATCH
// /admin/settings on HTTP worker threads), queued to the GUI thread. The readouts take the
// lab sampler's rows (addSample) and are redrawn 4 times a second while rows come.
#pragma once

#include "engine/metrics/Sample.h"
#include "ui/panels/TechniqueReadout.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <functional>

class QLabel;
class QToolBox;

namespace perflab::settings {
class SettingsStore;
}

namespace perflab::ui {

class TechniquePanel;

class SettingsPanel final : public QWidget
{
    Q_OBJECT
public:
    SettingsPanel(settings::SettingsStore &store, const metrics::SampleSchema &schema,
                  QWidget *parent = nullptr);

    // "section.field" of every control, in the settings table's order.
    QStringList controlPaths() const { return m_paths; }
    QWidget *control(const QString &path) const;
    TechniquePanel *technique(const QString &section) const { return m_techniques.value(section); }
    QToolBox *pages() const { return m_pages; }
    // The section whose page is open ("cache"), and opening one (an unknown key changes nothing).
    QString currentSection() const;
    void showSection(const QString &section);
    // The message of the last rejected change; empty after a change that was applied.
    QString errorText() const;
    // A line of state in words for a technique's page (TechniquePanel::showStatus), asked again
    // at every readout refresh; e.g. the Redis page's health from the lab's Redis client.
    void setStatusSource(const QString &section, std::function<QString()> source);

public Q_SLOTS:
    void addSample(const perflab::metrics::Sample &sample);
    // Redraws every readout from the rows so far (the timer calls it).
    void refreshReadouts();

private:
    void submit(const QString &section, const QString &field, const QJsonValue &value);
    // Sets every control to `settings` without sending anything back.
    void refresh(const QJsonObject &settings);

    settings::SettingsStore &m_store;
    QLabel *m_error = nullptr;
    QToolBox *m_pages = nullptr;
    QStringList m_paths;
    QHash<QString, TechniquePanel *> m_techniques;
    QHash<QString, std::function<QString()>> m_statusSources;
    SampleWindow m_window;
    bool m_newRows = false;
    QTimer m_readoutTimer;
};

} // namespace perflab::ui

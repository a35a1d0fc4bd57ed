// SettingsPanel: see SettingsPanel.h.
#include "ui/panels/SettingsPanel.h"

#include "engine/settings/SettingsStore.h"
#include "ui/panels/TechniquePanel.h"

#include <QCheckBox>
#include <QLabel>
#include <QScrollArea>
#include <QToolBox>
#include <QVBoxLayout>

#include <variant>

namespace perflab::ui {

SettingsPanel::SettingsPanel(settings::SettingsStore &store, const metrics::SampleSchema &schema,
                             QWidget *parent)
    : QWidget(parent), m_store(store), m_window(schema)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("settingsError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c00000; font-weight: bold;"));
    m_error->hide();
    layout->addWidget(m_error);

    m_pages = new QToolBox(this);
    layout->addWidget(m_pages, 1);
    for (const settings::SettingsSection &section : settings::settingsSections()) {
        auto *panel = new TechniquePanel(section);
        // A page taller than the dock scrolls instead of squeezing its controls.
        auto *scroll = new QScrollArea(m_pages);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidget(panel);
        m_pages->addItem(scroll, section.title);
        m_techniques.insert(section.key, panel);
        for (const QString &field : panel->fields())
            m_paths.append(section.key + QLatin1Char('.') + field);
        connect(panel, &TechniquePanel::edited, this, &SettingsPanel::submit);
    }
    refresh(store.current()->toJson());

    // Queued: a change made here is emitted while patch() runs inside this panel's slot, and
    // a change from HTTP is emitted on a worker thread.
    connect(
        &store, &settings::SettingsStore::changed, this,
        [this](const QJsonObject &, const QJsonObject &settings) { refresh(settings); },
        Qt::QueuedConnection);
    m_readoutTimer.setInterval(250);
    connect(&m_readoutTimer, &QTimer::timeout, this, [this] {
        if (m_newRows)
            refreshReadouts();
    });
    m_readoutTimer.start();
}

QWidget *SettingsPanel::control(const QString &path) const
{
    const qsizetype dot = path.indexOf(QLatin1Char('.'));
    TechniquePanel *panel = m_techniques.value(path.left(dot));
    return panel ? panel->control(path.mid(dot + 1)) : nullptr;
}

QString SettingsPanel::currentSection() const
{
    const int index = m_pages->currentIndex();
    return index < 0 ? QString() : settings::settingsSections().at(std::size_t(index)).key;
}

void SettingsPanel::showSection(const QString &section)
{
    const auto &sections = settings::settingsSections();
    for (std::size_t i = 0; i < sections.size(); ++i) {
        if (sections[i].key == section)
            m_pages->setCurrentIndex(int(i));
    }
}

QString SettingsPanel::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void SettingsPanel::setStatusSource(const QString &section, std::function<QString()> source)
{
    TechniquePanel *panel = m_techniques.value(section);
    if (!panel)
        return;
    panel->showStatus(source ? source() : QString());
    if (source)
        m_statusSources.insert(section, std::move(source));
    else
        m_statusSources.remove(section);
}

void SettingsPanel::addSample(const metrics::Sample &sample)
{
    m_window.add(sample);
    m_newRows = true;
}

void SettingsPanel::refreshReadouts()
{
    m_newRows = false;
    const auto settings = m_store.current();
    for (TechniquePanel *panel : std::as_const(m_techniques))
        panel->showFigures(m_window, *settings);
    for (auto it = m_statusSources.cbegin(); it != m_statusSources.cend(); ++it)
        m_techniques.value(it.key())->showStatus(it.value()());
}

void SettingsPanel::submit(const QString &section, const QString &field, const QJsonValue &value)
{
    const QJsonObject patch{{section, QJsonObject{{field, value}}}};
    auto result = m_store.patch(patch);
    if (auto *error = std::get_if<settings::SettingsError>(&result)) {
        m_error->setText(QStringLiteral("Not applied: %1").arg(error->message()));
        m_error->show();
        refresh(m_store.current()->toJson());
        return;
    }
    m_error->clear();
    m_error->hide();
}

void SettingsPanel::refresh(const QJsonObject &settings)
{
    for (int i = 0; i < m_pages->count(); ++i) {
        const settings::SettingsSection &section = settings::settingsSections().at(std::size_t(i));
        TechniquePanel *panel = m_techniques.value(section.key);
        panel->showSettings(settings);
        m_pages->setItemText(
            i, panel->switchBox()
                   ? QStringLiteral("%1 — %2").arg(
                         section.title, panel->isSwitchedOn() ? QStringLiteral("on") : QStringLiteral("off"))
                   : section.title);
    }
}

} // namespace perflab::ui

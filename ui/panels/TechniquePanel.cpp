// See TechniquePanel.h.
#include "ui/panels/TechniquePanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>

namespace perflab::ui {

namespace {

QString suffixOf(const settings::SettingField &field)
{
    return field.unit.isEmpty() || field.unit == QLatin1String("share") ? QString()
                                                                        : QLatin1Char(' ') + field.unit;
}

// Enough decimals for the field's finest useful step: a share or a scale needs them, seconds
// of a timeout need fewer.
int decimalsOf(const settings::SettingField &field)
{
    return field.max <= 100 ? 3 : 2;
}

QString tipOf(const settings::SettingField &field)
{
    QString tip = field.help;
    if (field.type == settings::FieldType::Int || field.type == settings::FieldType::Double)
        tip += QStringLiteral("\nFrom %1 to %2%3.")
                   .arg(QString::number(field.min, 'g', 12), QString::number(field.max, 'g', 12),
                        suffixOf(field));
    if (field.effect == settings::FieldEffect::NextStart)
        tip += QStringLiteral("\nRead when the lab starts: a change takes effect at the next start.");
    tip += QStringLiteral("\nSetting %1").arg(field.path());
    return tip;
}

} // namespace

TechniquePanel::TechniquePanel(const settings::SettingsSection &section, QWidget *parent)
    : QWidget(parent), m_section(section)
{
    setObjectName(QStringLiteral("technique.%1").arg(section.key));
    auto *layout = new QVBoxLayout(this);

    auto *about = new QLabel(this);
    about->setObjectName(QStringLiteral("about.%1").arg(section.key));
    about->setWordWrap(true);
    about->setTextFormat(Qt::RichText);
    about->setText(
        QStringLiteral("<p>%1 <span style=\"color:gray\">(the guide's %2)</span></p><p><i>%3</i></p>")
            .arg(section.summary.toHtmlEscaped(), section.chapter.toHtmlEscaped(),
                 section.watch.toHtmlEscaped()));
    layout->addWidget(about);

    // The switch first, then what the technique does now, then its knobs: the figures stay in
    // sight without scrolling on the pages with many fields (database, server).
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    bool anyAtStart = false;
    for (const settings::SettingField &field : settings::settingFields()) {
        if (field.section != section.key)
            continue;
        QWidget *control = makeControl(field);
        control->setObjectName(field.path());
        control->setToolTip(tipOf(field));
        m_controls.insert(field.name, control);
        if (field.name == section.switchField) {
            m_switch = qobject_cast<QCheckBox *>(control);
            m_switch->setText(QStringLiteral("%1 on").arg(section.title));
            QFont bold = m_switch->font();
            bold.setBold(true);
            m_switch->setFont(bold);
            layout->addWidget(m_switch);
            m_fields.prepend(field.name);
            continue;
        }
        m_fields.append(field.name);
        QString label = field.label;
        if (field.effect == settings::FieldEffect::NextStart) {
            label += QStringLiteral(" *");
            anyAtStart = true;
        }
        auto *rowLabel = new QLabel(label, this);
        rowLabel->setToolTip(control->toolTip());
        rowLabel->setBuddy(control);
        form->addRow(rowLabel, control);
    }
    addReadout();
    layout->addLayout(form);
    if (anyAtStart) {
        auto *note = new QLabel(QStringLiteral("* takes effect at the next start of the lab"), this);
        note->setStyleSheet(QStringLiteral("color: palette(mid);"));
        layout->addWidget(note);
    }
    layout->addStretch(1);
}

QWidget *TechniquePanel::makeControl(const settings::SettingField &field)
{
    const QString section = field.section;
    const QString name = field.name;
    switch (field.type) {
    case settings::FieldType::Bool: {
        auto *box = new QCheckBox(this);
        connect(box, &QCheckBox::toggled, this,
                [this, section, name](bool on) { Q_EMIT edited(section, name, on); });
        return box;
    }
    case settings::FieldType::Int: {
        auto *box = new QSpinBox(this);
        box->setRange(int(std::max<double>(field.min, INT_MIN)), int(std::min<double>(field.max, INT_MAX)));
        box->setSuffix(suffixOf(field));
        box->setGroupSeparatorShown(field.max >= 100'000);
        box->setKeyboardTracking(false); // one patch per finished edit, not per keystroke
        connect(box, &QSpinBox::valueChanged, this,
                [this, section, name](int v) { Q_EMIT edited(section, name, v); });
        return box;
    }
    case settings::FieldType::Double: {
        auto *box = new QDoubleSpinBox(this);
        box->setDecimals(decimalsOf(field));
        box->setRange(field.min, field.max);
        box->setSuffix(suffixOf(field));
        box->setKeyboardTracking(false);
        connect(box, &QDoubleSpinBox::valueChanged, this,
                [this, section, name](double v) { Q_EMIT edited(section, name, v); });
        return box;
    }
    case settings::FieldType::Choice: {
        auto *box = new QComboBox(this);
        box->addItems(field.choices);
        box->setEnabled(field.choices.size() > 1);
        connect(box, &QComboBox::currentTextChanged, this,
                [this, section, name](const QString &text) { Q_EMIT edited(section, name, text); });
        return box;
    }
    case settings::FieldType::String:
        break;
    }
    auto *edit = new QLineEdit(this);
    connect(edit, &QLineEdit::editingFinished, this, [this, section, name, edit] {
        // editingFinished also fires on a focus change without an edit.
        if (edit->text() != m_shown.value(name).toString())
            Q_EMIT edited(section, name, edit->text());
    });
    return edit;
}

void TechniquePanel::addReadout()
{
    const std::vector<ReadoutLine> &lines = readoutLines(m_section.key);
    if (lines.empty())
        return;
    auto *box = new QGroupBox(QStringLiteral("Now"), this);
    box->setObjectName(QStringLiteral("readout.%1").arg(m_section.key));
    auto *form = new QFormLayout(box);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto *value = new QLabel(QStringLiteral("—"), box);
        value->setObjectName(QStringLiteral("readout.%1.%2").arg(m_section.key).arg(i));
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        auto *label = new QLabel(lines[i].label, box);
        label->setToolTip(lines[i].help);
        value->setToolTip(lines[i].help);
        form->addRow(label, value);
        m_readoutValues.push_back(value);
    }
    m_status = new QLabel(box);
    m_status->setObjectName(QStringLiteral("status.%1").arg(m_section.key));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->hide();
    form->addRow(m_status);
    layout()->addWidget(box);
}

void TechniquePanel::addSection(QWidget *section)
{
    section->setParent(this);
    layout()->addWidget(section);
}

void TechniquePanel::showStatus(const QString &text)
{
    if (!m_status || m_status->text() == text)
        return;
    m_status->setText(text);
    m_status->setVisible(!text.isEmpty());
}

bool TechniquePanel::isSwitchedOn() const
{
    return m_switch && m_switch->isChecked();
}

void TechniquePanel::showSettings(const QJsonObject &settings)
{
    const QJsonObject values = settings.value(m_section.key).toObject();
    for (auto it = m_controls.cbegin(); it != m_controls.cend(); ++it) {
        const QJsonValue value = values.value(it.key());
        m_shown.insert(it.key(), value);
        QWidget *control = it.value();
        const QSignalBlocker blocker(control);
        if (auto *box = qobject_cast<QComboBox *>(control))
            box->setCurrentText(value.toString());
        else if (auto *check = qobject_cast<QCheckBox *>(control))
            check->setChecked(value.toBool());
        else if (auto *spin = qobject_cast<QSpinBox *>(control))
            spin->setValue(value.toInt());
        else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(control))
            dspin->setValue(value.toDouble());
        else if (auto *edit = qobject_cast<QLineEdit *>(control))
            edit->setText(value.toString());
    }
}

void TechniquePanel::showFigures(const SampleWindow &window, const settings::LabSettings &settings)
{
    const std::vector<ReadoutLine> &lines = readoutLines(m_section.key);
    for (std::size_t i = 0; i < lines.size() && i < m_readoutValues.size(); ++i) {
        const QString text = lines[i].evaluate(window, settings);
        if (m_readoutValues[i]->text() != text)
            m_readoutValues[i]->setText(text);
    }
}

} // namespace perflab::ui

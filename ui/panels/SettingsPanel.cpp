// SettingsPanel: see SettingsPanel.h.
#include "panels/SettingsPanel.h"

#include "settings/SettingsStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolBox>
#include <QVBoxLayout>

#include <limits>
#include <variant>

namespace perflab::ui {

namespace {

bool isInteger(const QJsonValue &value)
{
    return value.toVariant().typeId() == QMetaType::LongLong || value.toVariant().typeId() == QMetaType::Int;
}

QStringList choicesOf(const QString &path)
{
    if (path == QLatin1String("cache.backend"))
        return {QStringLiteral("memory"), QStringLiteral("redis")};
    if (path == QLatin1String("background.mode"))
        return {QStringLiteral("inline"), QStringLiteral("background"), QStringLiteral("queue")};
    return {};
}

QString titleOf(const QString &section)
{
    QString title = section;
    title.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!title.isEmpty())
        title[0] = title[0].toUpper();
    return title == QLatin1String("Http cache") ? QStringLiteral("HTTP cache") : title;
}

} // namespace

SettingsPanel::SettingsPanel(settings::SettingsStore &store, QWidget *parent) : QWidget(parent), m_store(store)
{
    auto *layout = new QVBoxLayout(this);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("settingsError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c00000; font-weight: bold;"));
    m_error->hide();
    layout->addWidget(m_error);

    auto *pages = new QToolBox(this);
    layout->addWidget(pages, 1);
    // The table's section order (toJson() is a QJsonObject: alphabetical), seed chapter order.
    const QStringList order = {QStringLiteral("cache"),      QStringLiteral("http_cache"), QStringLiteral("compression"),
                               QStringLiteral("concurrency"), QStringLiteral("background"), QStringLiteral("database"),
                               QStringLiteral("simulation"), QStringLiteral("server")};
    const QJsonObject all = store.current()->toJson();
    QStringList sections = order;
    for (const QString &key : all.keys()) {
        if (!sections.contains(key))
            sections.append(key);
    }
    for (const QString &section : sections) {
        const QJsonObject fields = all.value(section).toObject();
        if (fields.isEmpty())
            continue;
        auto *page = new QWidget(pages);
        auto *form = new QFormLayout(page);
        for (auto it = fields.begin(); it != fields.end(); ++it) {
            const QString path = section + QLatin1Char('.') + it.key();
            QWidget *control = makeControl(section, it.key(), it.value());
            control->setObjectName(path);
            form->addRow(it.key(), control);
            m_paths.append(path);
            m_controls.insert(path, control);
        }
        pages->addItem(page, titleOf(section));
    }
    refresh(all);

    // Queued: a change made here is emitted while patch() runs inside this panel's slot, and
    // a change from HTTP is emitted on a worker thread.
    connect(&store, &settings::SettingsStore::changed, this,
            [this](const QJsonObject &, const QJsonObject &settings) { refresh(settings); }, Qt::QueuedConnection);
}

QString SettingsPanel::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QWidget *SettingsPanel::makeControl(const QString &section, const QString &field, const QJsonValue &value)
{
    const QString path = section + QLatin1Char('.') + field;
    if (const QStringList choices = choicesOf(path); !choices.isEmpty()) {
        auto *box = new QComboBox(this);
        box->addItems(choices);
        connect(box, &QComboBox::currentTextChanged, this,
                [this, section, field](const QString &text) { submit(section, field, text); });
        return box;
    }
    if (value.isBool()) {
        auto *box = new QCheckBox(this);
        connect(box, &QCheckBox::toggled, this, [this, section, field](bool on) { submit(section, field, on); });
        return box;
    }
    if (value.isDouble() && isInteger(value)) {
        auto *box = new QSpinBox(this);
        box->setRange(std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
        box->setKeyboardTracking(false); // one patch per finished edit, not per keystroke
        connect(box, &QSpinBox::valueChanged, this, [this, section, field](int v) { submit(section, field, v); });
        return box;
    }
    if (value.isDouble()) {
        auto *box = new QDoubleSpinBox(this);
        box->setDecimals(3);
        box->setRange(-1e12, 1e12);
        box->setKeyboardTracking(false);
        connect(box, &QDoubleSpinBox::valueChanged, this, [this, section, field](double v) { submit(section, field, v); });
        return box;
    }
    auto *edit = new QLineEdit(this);
    connect(edit, &QLineEdit::editingFinished, this, [this, section, field, edit] {
        // editingFinished also fires on a focus change without an edit.
        if (edit->text() != m_store.current()->toJson().value(section).toObject().value(field).toString())
            submit(section, field, edit->text());
    });
    return edit;
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
    for (const QString &path : std::as_const(m_paths)) {
        const QStringList parts = path.split(QLatin1Char('.'));
        const QJsonValue value = settings.value(parts.at(0)).toObject().value(parts.at(1));
        QWidget *control = m_controls.value(path);
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

} // namespace perflab::ui

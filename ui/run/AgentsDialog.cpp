// See AgentsDialog.h.
#include "ui/run/AgentsDialog.h"

#include "engine/redis/RedisUrl.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace perflab::ui {

AgentsDialog::AgentsDialog(const std::optional<AgentsChoice> &current, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(QStringLiteral("Load agents"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(QStringLiteral(
        "When one machine cannot send the load, agents on other machines can: each sends its share of the "
        "rate (or connections) and reports every 100 ms; the charts and the report show their exact merge "
        "and each agent's part. The target must be reachable from the agents' machines."));
    intro->setWordWrap(true);
    layout->addWidget(intro);
    m_enabled = new QCheckBox(QStringLiteral("Send the load from agents"));
    m_enabled->setChecked(current.has_value());
    layout->addWidget(m_enabled);
    auto *form = new QFormLayout;
    m_redis = new QLineEdit(current ? current->redisUrl : QStringLiteral("redis://127.0.0.1:6379/0"));
    form->addRow(QStringLiteral("Redis the agents wait in:"), m_redis);
    m_count = new QSpinBox;
    m_count->setRange(1, 256);
    m_count->setValue(current ? current->count : 2);
    m_count->setSuffix(QStringLiteral(" agents"));
    form->addRow(QStringLiteral("Wait for:"), m_count);
    layout->addLayout(form);
    m_command = new QLabel;
    m_command->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_command->setWordWrap(true);
    layout->addWidget(m_command);
    m_problem = new QLabel;
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));
    layout->addWidget(m_problem);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_enabled, &QCheckBox::toggled, this, &AgentsDialog::refresh);
    connect(m_redis, &QLineEdit::textChanged, this, &AgentsDialog::refresh);
    refresh();
}

void AgentsDialog::refresh()
{
    const bool on = m_enabled->isChecked();
    m_redis->setEnabled(on);
    m_count->setEnabled(on);
    const auto parsed = redis::parseRedisUrl(m_redis->text().trimmed());
    m_problem->setText(on && !parsed.url ? parsed.error : QString());
    m_ok->setEnabled(!on || parsed.url.has_value());
    m_command->setText(
        on ? QStringLiteral("Start each agent with:  perflab agent --redis %1").arg(m_redis->text().trimmed())
           : QString());
}

std::optional<AgentsChoice> AgentsDialog::choice() const
{
    if (!m_enabled->isChecked())
        return std::nullopt;
    return AgentsChoice{m_redis->text().trimmed(), m_count->value()};
}

} // namespace perflab::ui

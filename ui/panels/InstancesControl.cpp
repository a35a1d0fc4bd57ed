// InstancesControl: see InstancesControl.h.
#include "ui/panels/InstancesControl.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace perflab::ui {

InstancesControl::InstancesControl(int running, QWidget *parent)
    : QWidget(parent), m_running(std::clamp(running, 1, kMaxInstances))
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    auto *box = new QGroupBox(QStringLiteral("Instances"), this);
    outer->addWidget(box);
    auto *layout = new QVBoxLayout(box);
    auto *about = new QLabel(
        QStringLiteral(
            "One: this lab alone. More: this lab is instance 1 of a cluster; the others are "
            "<i>perflab serve</i> processes sharing a PostgreSQL and a Redis started here, with nginx in "
            "front, and runs go through nginx. A memory cache is then one per instance; the Redis "
            "cache and queue are shared (Redis page)."),
        box);
    about->setWordWrap(true);
    layout->addWidget(about);
    auto *form = new QFormLayout;
    m_spin = new QSpinBox(box);
    m_spin->setObjectName(QStringLiteral("instances"));
    m_spin->setRange(1, kMaxInstances);
    m_spin->setValue(m_running);
    m_spin->setToolTip(QStringLiteral("Applies when the lab restarts (processes and a database start)."));
    form->addRow(QStringLiteral("Instances"), m_spin);
    layout->addLayout(form);
    m_restart = new QPushButton(box);
    m_restart->setObjectName(QStringLiteral("restartInstances"));
    layout->addWidget(m_restart);
    m_members = new QLabel(box);
    m_members->setObjectName(QStringLiteral("members"));
    m_members->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_members->setWordWrap(true);
    m_members->hide();
    layout->addWidget(m_members);
    connect(m_spin, &QSpinBox::valueChanged, this, &InstancesControl::updateButton);
    connect(m_restart, &QPushButton::clicked, this, [this] { Q_EMIT restartRequested(chosen()); });
    updateButton();
}

int InstancesControl::chosen() const
{
    return m_spin->value();
}

void InstancesControl::updateButton()
{
    const int wanted = chosen();
    m_restart->setText(wanted == m_running
                           ? (m_running == 1 ? QStringLiteral("Running alone")
                                             : QStringLiteral("Running as %1 instances").arg(m_running))
                       : wanted == 1 ? QStringLiteral("Restart the lab alone")
                                     : QStringLiteral("Restart the lab as %1 instances").arg(wanted));
    m_restart->setEnabled(wanted != m_running);
}

void InstancesControl::showMembers(const QString &lines)
{
    if (m_members->text() != lines)
        m_members->setText(lines);
    m_members->setVisible(!lines.isEmpty());
}

QString InstancesControl::membersText() const
{
    return m_members->isHidden() ? QString() : m_members->text();
}

} // namespace perflab::ui

// InstancesControl: on the Server page, how many instances the window's lab runs as. One is
// the lab in this process alone (SQLite, the settings the user keeps); more make it instance 1
// of a cluster: the other instances are `perflab serve` processes, all of them share a
// PostgreSQL and a Redis started on loopback, nginx sits in front, and runs go through nginx.
// The number is a start-up choice (processes, a database), so it applies when the lab
// restarts: the control asks for that restart, the window does it.
//
// Under the choice, one line per member while a cluster runs: its address and what it does now
// (requests/s, cache hit rate), so the breakdown the charts draw can also be read.
#pragma once

#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;

namespace perflab::ui {

class InstancesControl final : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kMaxInstances = 8; // a desktop's worth: 2 cores share them already

    explicit InstancesControl(int running, QWidget *parent = nullptr);

    int chosen() const;
    QSpinBox *spinBox() const { return m_spin; }
    QPushButton *restartButton() const { return m_restart; }
    // The members' lines (plain text, one per member); empty when the lab runs alone.
    void showMembers(const QString &lines);
    QString membersText() const;

Q_SIGNALS:
    void restartRequested(int instances);

private:
    void updateButton();

    int m_running = 1;
    QSpinBox *m_spin = nullptr;
    QPushButton *m_restart = nullptr;
    QLabel *m_members = nullptr;
};

} // namespace perflab::ui

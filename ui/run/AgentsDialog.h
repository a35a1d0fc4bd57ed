// Lab → Load agents…: whether runs send their load from `perflab agent` processes, the Redis
// they wait in, and how many to wait for. Shows the command that starts an agent, so the user
// can copy it to the machines that will send the load.
#pragma once

#include "ui/run/AgentsChoice.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace perflab::ui {

class AgentsDialog final : public QDialog
{
    Q_OBJECT
public:
    AgentsDialog(const std::optional<AgentsChoice> &current, QWidget *parent = nullptr);
    // What was chosen (valid once accepted).
    std::optional<AgentsChoice> choice() const;

private:
    void refresh();

    QCheckBox *m_enabled = nullptr;
    QLineEdit *m_redis = nullptr;
    QSpinBox *m_count = nullptr;
    QLabel *m_command = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_ok = nullptr;
};

} // namespace perflab::ui

// LoadPanel: the load controls of the main window (SPEC §8). A scenario picker (the built-in
// scenarios, plus files the user opens) with the scenario's description and phases; the load
// model (as the scenario says, or closed with N connections, or open at R requests/s for the
// whole run); the run's length (the phases' total, scaled like `perflab run --scale`);
// Start/Stop; and the progress of the phases.
//
// Start parses the scenario (an invalid file is shown in plain words, nothing starts), applies
// the overrides and drives a scenario::ScenarioRunner on the window's lab (RunOptions::
// sharedLab), so a run from the window is the same run `perflab run` makes, on the lab the
// user is looking at. The panel only runs; the window writes the report (runFinished).
//
// Decisions: a model override replaces every phase's own model (the user asked for one load);
// the duration box sets the scale (duration / the phases' total), so the phases keep their
// proportions; scenario settings are applied to the lab for the run and undone after it
// (ScenarioRunner), so the settings panel shows the user's own choices again.
#pragma once

#include "report/RunReport.h"
#include "scenario/Scenario.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace perflab::lab {
class LabServer;
}
namespace perflab::scenario {
class ScenarioRunner;
}

namespace perflab::ui {

class LoadPanel final : public QWidget
{
    Q_OBJECT
public:
    enum class ModelChoice { AsScenario = 0, Closed = 1, Open = 2 };

    explicit LoadPanel(QWidget *parent = nullptr);
    ~LoadPanel() override;

    // The lab to run against; null disables Start (the lab has not started).
    void setLab(lab::LabServer *lab);

    // The picker's entries: built-in ids first, then opened files (absolute paths).
    QStringList scenarioChoices() const;
    // The selected entry: a built-in id or a file path.
    QString selectedScenario() const;
    // Selects a built-in id or a scenario file (added to the picker if new). False, with the
    // reason in problem(), when a file is not a valid scenario.
    bool selectScenario(const QString &idOrPath);

    ModelChoice modelChoice() const;
    void setModelChoice(ModelChoice choice);
    int connections() const;
    void setConnections(int connections);
    double rate() const;
    void setRate(double requestsPerS);
    // The whole run's length in seconds (the phases' total at scale 1 by default).
    double durationS() const;
    void setDurationS(double seconds);

    bool isRunning() const { return m_runner != nullptr; }
    scenario::ScenarioRunner *runner() const { return m_runner.get(); }

    // The scenario as it would run now (picker + overrides), or the error text.
    std::variant<scenario::Scenario, QString> plannedScenario() const;
    double plannedScale() const;

public Q_SLOTS:
    void startRun();
    void stopRun();

Q_SIGNALS:
    void runStarted(perflab::scenario::ScenarioRunner *runner);
    void phaseStarted(int index, const QString &name);
    // The run ended (cancelled or not); `report` is complete. `scenarioId` names the report folder.
    void runFinished(const perflab::report::RunReport &report, const QString &scenarioId, bool cancelled);
    void runFailed(const QString &message);
    // An invalid scenario file, or a run that could not start, in plain words.
    void problem(const QString &message);
    void runningChanged(bool running);

private:
    void onScenarioChanged();
    void onPhaseStarted(int index, const QString &name, double durationS);
    void updateProgress();
    void updateControls();
    void endRun();
    std::optional<scenario::Scenario> loadSelected(QString *error) const;

    QPointer<lab::LabServer> m_lab;
    std::unique_ptr<scenario::ScenarioRunner> m_runner;
    std::optional<scenario::Scenario> m_current; // the selected scenario, parsed
    QString m_loadError;                         // why it could not be, when m_current is empty
    QString m_runScenarioId;
    double m_runTotalS = 0;
    double m_phaseStartS = 0;    // run seconds when the current phase started
    double m_phaseDurationS = 0; // its planned length
    int m_phaseIndex = -1;
    QElapsedTimer m_runClock;
    QTimer m_progressTimer;

    QComboBox *m_scenarios = nullptr;
    QLabel *m_description = nullptr;
    QLabel *m_phases = nullptr;
    QComboBox *m_model = nullptr;
    QSpinBox *m_connections = nullptr;
    QDoubleSpinBox *m_rate = nullptr;
    QDoubleSpinBox *m_duration = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace perflab::ui

// LoadPanel: the load controls of the main window (docs/user-guide.md). A scenario picker (the
// built-in scenarios, plus files the user opens) with the scenario's description and phases; the
// load model (as the scenario says, or closed with N connections, or open at R requests/s for the
// whole run); the run's length (the phases' total, scaled like `perflab run --scale`);
// Start/Stop; the progress of the phases; and whether the load generator keeps up
// (TrustReadout).
//
// Start parses the scenario (an invalid file is shown in plain words, nothing starts), applies
// the overrides and hands it to the window's RunController, which drives the same
// ScenarioRunner as `perflab run` on the window's lab. The panel shows the run's progress
// from the controller's signals; the window writes the report.
//
// While a phase runs, "Change the load while it runs" (a slider and a spin box) sets the
// phase's open-loop rate, or a closed loop's connections, through the controller: the phase's
// statistics split there (a segment of its own in the report) and a marker shows on the charts
// at once. A drag applies when the slider is released, typing and the arrows after a short
// pause, so one gesture is one change and one segment, not one per step.
//
// Decisions: a model override replaces every phase's own model (the user asked for one load);
// the duration box sets the scale (duration / the phases' total), so the phases keep their
// proportions; scenario settings are applied to the lab for the run and undone after it
// (ScenarioRunner), so the settings panel shows the user's own choices again.
#pragma once

#include "engine/report/RunReport.h"
#include "engine/scenario/Scenario.h"

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
class QSlider;
class QSpinBox;

namespace perflab::ui {

class RunController;
class TrustReadout;

class LoadPanel final : public QWidget
{
    Q_OBJECT
public:
    enum class ModelChoice { AsScenario = 0, Closed = 1, Open = 2 };

    // Start is enabled while `runs` has a lab.
    explicit LoadPanel(RunController &runs, QWidget *parent = nullptr);
    ~LoadPanel() override;

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

    bool isRunning() const;

    // The scenario as it would run now (picker + overrides), or the error text.
    std::variant<scenario::Scenario, QString> plannedScenario() const;
    double plannedScale() const;

    // The live load control: enabled while a phase runs; its value in req/s or connections.
    bool isLiveLoadEnabled() const;
    bool liveLoadIsRate() const { return m_liveIsRate; }
    double liveLoadValue() const;
    // As the user would: the slider moved to `value` and released.
    void moveLiveLoadSlider(int value);

public Q_SLOTS:
    void startRun();
    void stopRun();
    // Applies the live control's value to the running phase now (nothing when it is the load
    // already); a refusal is shown in the status line and the control goes back.
    void applyLiveLoad();

Q_SIGNALS:
    // An invalid scenario file, or a run that could not start, in plain words.
    void problem(const QString &message);

private:
    void onScenarioChanged();
    void onStarted(double totalS);
    void onPhaseStarted(int index, const QString &name, double durationS);
    void onFinished(bool cancelled);
    void updateProgress();
    void updateControls();
    void endRun();
    // The live control follows the running phase's load (disabled when none runs).
    void syncLiveLoad();
    std::optional<scenario::Scenario> loadSelected(QString *error) const;

    RunController &m_runs;
    std::optional<scenario::Scenario> m_current; // the selected scenario, parsed
    QString m_loadError;                         // why it could not be, when m_current is empty
    int m_runPhaseCount = 0;
    QString m_claims; // what the run's claims came to, for the status line
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
    TrustReadout *m_trust = nullptr;
    QLabel *m_liveLabel = nullptr;
    QSlider *m_liveSlider = nullptr;
    QDoubleSpinBox *m_liveValue = nullptr;
    QTimer m_liveTimer;       // a pause after typing or the arrows applies the value
    bool m_liveIsRate = true; // else connections
    int m_livePhase = -1;     // the phase the control's range was set for
};

} // namespace perflab::ui

// LoadPanel: see LoadPanel.h.
#include "ui/panels/LoadPanel.h"

#include "engine/scenario/ScenarioRunner.h"
#include "ui/panels/TrustReadout.h"
#include "ui/run/RunController.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace perflab::ui {

namespace {

constexpr int kBuiltinRole = Qt::UserRole;      // bool: a built-in id (else a file path)
constexpr int kScenarioRole = Qt::UserRole + 1; // the id or the path

double totalDurationS(const scenario::Scenario &scenario)
{
    double total = 0;
    for (const scenario::Phase &phase : scenario.phases)
        total += phase.durationS;
    return total;
}

QString modelText(const load::LoadModel &model)
{
    switch (model.kind) {
    case load::LoadModelKind::Closed:
        return QStringLiteral("closed, %1 connections").arg(model.connections);
    case load::LoadModelKind::Open:
        return QStringLiteral("open, %1 req/s over %2 connections").arg(model.rate).arg(model.connections);
    case load::LoadModelKind::Stages:
        return QStringLiteral("stages (%1), up to %2 connections")
            .arg(model.stages.size())
            .arg(model.connections);
    }
    return {};
}

QString phasesText(const scenario::Scenario &scenario)
{
    QStringList lines;
    lines << QStringLiteral("load: %1").arg(modelText(scenario.load));
    for (std::size_t i = 0; i < scenario.phases.size(); ++i)
        lines << QStringLiteral("%1. %2 — %3 s")
                     .arg(i + 1)
                     .arg(scenario.phases[i].name)
                     .arg(scenario.phases[i].durationS);
    return lines.join(QLatin1Char('\n'));
}

// "2 of 3 claims verified (1 not)." — the Claims tab has the figures.
QString claimsText(const std::vector<report::ClaimResult> &claims)
{
    if (claims.empty())
        return {};
    int verified = 0, broken = 0;
    for (const report::ClaimResult &claim : claims) {
        verified += claim.status == report::ClaimStatus::Verified;
        broken += claim.status == report::ClaimStatus::NotVerified;
    }
    QString text = QStringLiteral("%1 of %2 claims verified").arg(verified).arg(claims.size());
    if (broken > 0)
        text += QStringLiteral(", %1 not").arg(broken);
    return text + QStringLiteral(" (Claims tab).");
}

} // namespace

LoadPanel::LoadPanel(RunController &runs, QWidget *parent) : QWidget(parent), m_runs(runs)
{
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    layout->addLayout(form);

    m_scenarios = new QComboBox(this);
    m_scenarios->setObjectName(QStringLiteral("scenarioPicker"));
    for (const scenario::BuiltinScenario &builtin : scenario::builtinScenarios()) {
        m_scenarios->addItem(QStringLiteral("%1 — %2").arg(builtin.id, builtin.name));
        const int row = m_scenarios->count() - 1;
        m_scenarios->setItemData(row, true, kBuiltinRole);
        m_scenarios->setItemData(row, builtin.id, kScenarioRole);
        m_scenarios->setItemData(row, builtin.description, Qt::ToolTipRole);
    }
    // Long names must not widen the dock: the picker elides, the tooltip has the description.
    m_scenarios->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_scenarios->setMinimumContentsLength(18);
    if (const int caching = scenarioChoices().indexOf(QStringLiteral("caching")); caching >= 0)
        m_scenarios->setCurrentIndex(caching); // the technique that shows most at first sight
    form->addRow(QStringLiteral("Scenario"), m_scenarios);

    m_description = new QLabel(this);
    m_description->setObjectName(QStringLiteral("scenarioDescription"));
    m_description->setWordWrap(true);
    layout->addWidget(m_description);
    m_phases = new QLabel(this);
    m_phases->setObjectName(QStringLiteral("scenarioPhases"));
    m_phases->setStyleSheet(QStringLiteral("color: palette(mid);"));
    layout->addWidget(m_phases);

    auto *overrides = new QFormLayout;
    layout->addLayout(overrides);
    m_model = new QComboBox(this);
    m_model->setObjectName(QStringLiteral("loadModel"));
    m_model->addItems({QStringLiteral("As the scenario says"), QStringLiteral("Closed: N connections"),
                       QStringLiteral("Open: constant rate")});
    overrides->addRow(QStringLiteral("Load model"), m_model);
    m_connections = new QSpinBox(this);
    m_connections->setObjectName(QStringLiteral("loadConnections"));
    m_connections->setRange(1, 10'000);
    m_connections->setValue(50);
    overrides->addRow(QStringLiteral("Connections"), m_connections);
    m_rate = new QDoubleSpinBox(this);
    m_rate->setObjectName(QStringLiteral("loadRate"));
    m_rate->setRange(1, 1'000'000);
    m_rate->setDecimals(0);
    m_rate->setValue(1000);
    m_rate->setSuffix(QStringLiteral(" req/s"));
    overrides->addRow(QStringLiteral("Rate"), m_rate);
    m_duration = new QDoubleSpinBox(this);
    m_duration->setObjectName(QStringLiteral("loadDuration"));
    m_duration->setRange(0.5, 24 * 3600);
    m_duration->setDecimals(1);
    m_duration->setSuffix(QStringLiteral(" s"));
    m_duration->setToolTip(
        QStringLiteral("The whole run; the phases keep their proportions (like --scale)."));
    overrides->addRow(QStringLiteral("Duration"), m_duration);

    auto *buttons = new QHBoxLayout;
    m_start = new QPushButton(QStringLiteral("Start"), this);
    m_start->setObjectName(QStringLiteral("startRun"));
    m_stop = new QPushButton(QStringLiteral("Stop"), this);
    m_stop->setObjectName(QStringLiteral("stopRun"));
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    layout->addLayout(buttons);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("runProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setFormat(QStringLiteral("idle"));
    layout->addWidget(m_progress);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("runStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto *live = new QGroupBox(QStringLiteral("Change the load while it runs"), this);
    live->setObjectName(QStringLiteral("liveLoad"));
    live->setToolTip(
        QStringLiteral("While a phase runs: its open-loop rate, or a closed loop's connections. The "
                       "phase's statistics split here into a segment of their own in the report, "
                       "and a marker shows on every chart."));
    auto *liveLayout = new QGridLayout(live);
    m_liveLabel = new QLabel(QStringLiteral("Rate"), live);
    m_liveSlider = new QSlider(Qt::Horizontal, live);
    m_liveSlider->setObjectName(QStringLiteral("liveLoadSlider"));
    m_liveValue = new QDoubleSpinBox(live);
    m_liveValue->setObjectName(QStringLiteral("liveLoadValue"));
    m_liveValue->setDecimals(0);
    m_liveValue->setKeyboardTracking(false); // typing applies on Enter or leaving the box
    liveLayout->addWidget(m_liveLabel, 0, 0);
    liveLayout->addWidget(m_liveSlider, 0, 1);
    liveLayout->addWidget(m_liveValue, 0, 2);
    liveLayout->setColumnStretch(1, 1);
    layout->addWidget(live);
    m_liveTimer.setSingleShot(true);
    m_liveTimer.setInterval(400);
    connect(&m_liveTimer, &QTimer::timeout, this, &LoadPanel::applyLiveLoad);
    connect(m_liveSlider, &QSlider::valueChanged, this, [this](int value) {
        const QSignalBlocker blocker(m_liveValue);
        m_liveValue->setValue(value);
        if (!m_liveSlider->isSliderDown())
            m_liveTimer.start(); // the keyboard or the wheel: after a pause
    });
    connect(m_liveSlider, &QSlider::sliderReleased, this, &LoadPanel::applyLiveLoad);
    connect(m_liveValue, &QDoubleSpinBox::valueChanged, this, [this](double value) {
        const QSignalBlocker blocker(m_liveSlider);
        if (value > m_liveSlider->maximum())
            m_liveSlider->setMaximum(int(std::ceil(value)));
        m_liveSlider->setValue(int(std::lround(value)));
        m_liveTimer.start();
    });
    m_trust = new TrustReadout(m_runs, this);
    layout->addWidget(m_trust);
    layout->addStretch(1);

    m_progressTimer.setInterval(200);
    connect(&m_progressTimer, &QTimer::timeout, this, &LoadPanel::updateProgress);
    connect(m_scenarios, &QComboBox::currentIndexChanged, this, &LoadPanel::onScenarioChanged);
    connect(m_model, &QComboBox::currentIndexChanged, this, &LoadPanel::updateControls);
    connect(m_start, &QPushButton::clicked, this, &LoadPanel::startRun);
    connect(m_stop, &QPushButton::clicked, this, &LoadPanel::stopRun);
    connect(&m_runs, &RunController::labChanged, this, &LoadPanel::updateControls);
    connect(&m_runs, &RunController::started, this,
            [this](const QString &, double totalS) { onStarted(totalS); });
    connect(&m_runs, &RunController::phaseStarted, this, &LoadPanel::onPhaseStarted);
    connect(&m_runs, &RunController::finished, this,
            [this](const std::shared_ptr<const report::RunReport> &, const QString &, bool cancelled) {
                onFinished(cancelled);
            });
    connect(&m_runs, &RunController::failed, this, [this](const QString &message) {
        endRun();
        m_status->setText(QStringLiteral("The run failed: %1").arg(message));
    });
    connect(&m_runs, &RunController::runningChanged, this, &LoadPanel::updateControls);
    connect(&m_runs, &RunController::loadChanged, this,
            [this](int index, qint64, const QString &segment, const QString &label) {
                m_status->setText(QStringLiteral("Phase %1 of %2: %3 (%4)")
                                      .arg(index + 1)
                                      .arg(m_runPhaseCount)
                                      .arg(segment, label));
                syncLiveLoad();
            });
    connect(&m_runs, &RunController::claimsEvaluated, this,
            [this](const std::shared_ptr<const std::vector<report::ClaimResult>> &claims) {
                m_claims = claimsText(*claims);
            });
    onScenarioChanged();
}

LoadPanel::~LoadPanel() = default;

bool LoadPanel::isRunning() const
{
    return m_runs.isRunning();
}

QStringList LoadPanel::scenarioChoices() const
{
    QStringList choices;
    for (int i = 0; i < m_scenarios->count(); ++i)
        choices << m_scenarios->itemData(i, kScenarioRole).toString();
    return choices;
}

QString LoadPanel::selectedScenario() const
{
    return m_scenarios->currentData(kScenarioRole).toString();
}

bool LoadPanel::selectScenario(const QString &idOrPath)
{
    const int existing = scenarioChoices().indexOf(idOrPath);
    if (existing >= 0) {
        m_scenarios->setCurrentIndex(existing);
        return true;
    }
    const QFileInfo file(idOrPath);
    if (!file.isFile()) {
        Q_EMIT problem(QStringLiteral("There is no built-in scenario or file named %1.").arg(idOrPath));
        return false;
    }
    auto loaded = scenario::loadScenarioFile(file.absoluteFilePath());
    if (auto *error = std::get_if<scenario::ScenarioError>(&loaded)) {
        Q_EMIT problem(QStringLiteral("The scenario file is not valid: %1").arg(error->toString()));
        return false;
    }
    m_scenarios->addItem(
        QStringLiteral("%1 — %2").arg(file.fileName(), std::get<scenario::Scenario>(loaded).name));
    const int row = m_scenarios->count() - 1;
    m_scenarios->setItemData(row, false, kBuiltinRole);
    m_scenarios->setItemData(row, file.absoluteFilePath(), kScenarioRole);
    m_scenarios->setItemData(row, file.absoluteFilePath(), Qt::ToolTipRole);
    m_scenarios->setCurrentIndex(row);
    return true;
}

LoadPanel::ModelChoice LoadPanel::modelChoice() const
{
    return ModelChoice(m_model->currentIndex());
}
void LoadPanel::setModelChoice(ModelChoice choice)
{
    m_model->setCurrentIndex(int(choice));
}
int LoadPanel::connections() const
{
    return m_connections->value();
}
void LoadPanel::setConnections(int connections)
{
    m_connections->setValue(connections);
}
double LoadPanel::rate() const
{
    return m_rate->value();
}
void LoadPanel::setRate(double requestsPerS)
{
    m_rate->setValue(requestsPerS);
}
double LoadPanel::durationS() const
{
    return m_duration->value();
}
void LoadPanel::setDurationS(double seconds)
{
    m_duration->setValue(seconds);
}

std::optional<scenario::Scenario> LoadPanel::loadSelected(QString *error) const
{
    const QString path = scenario::resolveScenarioPath(selectedScenario());
    auto loaded = scenario::loadScenarioFile(path);
    if (auto *failure = std::get_if<scenario::ScenarioError>(&loaded)) {
        if (error)
            *error = QStringLiteral("The scenario is not valid: %1").arg(failure->toString());
        return std::nullopt;
    }
    return std::get<scenario::Scenario>(std::move(loaded));
}

bool LoadPanel::isLiveLoadEnabled() const
{
    return m_liveSlider->isEnabled();
}

double LoadPanel::liveLoadValue() const
{
    return m_liveValue->value();
}

void LoadPanel::moveLiveLoadSlider(int value)
{
    m_liveSlider->setSliderDown(true);
    m_liveSlider->setValue(value);
    m_liveSlider->setSliderDown(false); // released: applies at once
}

void LoadPanel::applyLiveLoad()
{
    m_liveTimer.stop();
    const std::optional<load::LoadModel> model = m_runs.currentLoad();
    if (!model || !m_liveSlider->isEnabled())
        return;
    const double value = m_liveValue->value();
    std::optional<QString> refused;
    if (!m_liveIsRate) {
        if (int(std::lround(value)) == model->connections)
            return;
        refused = m_runs.changeConnections(int(std::lround(value)));
    } else {
        if (model->kind == load::LoadModelKind::Open && value == model->rate)
            return;
        refused = m_runs.changeRate(value);
    }
    if (refused) {
        m_status->setText(QStringLiteral("The load did not change: %1").arg(*refused));
        syncLiveLoad();
    }
}

void LoadPanel::syncLiveLoad()
{
    const std::optional<load::LoadModel> model = m_runs.isRunning() ? m_runs.currentLoad() : std::nullopt;
    m_liveSlider->setEnabled(model.has_value());
    m_liveValue->setEnabled(model.has_value());
    if (!model)
        return;
    m_liveIsRate = model->kind != load::LoadModelKind::Closed;
    double value = m_liveIsRate ? model->rate : double(model->connections);
    if (model->kind == load::LoadModelKind::Stages)
        value = model->stages.empty() ? 1.0 : model->stages.back().rate; // where its ramp goes
    const QSignalBlocker sliderBlocker(m_liveSlider);
    const QSignalBlocker valueBlocker(m_liveValue);
    m_liveLabel->setText(m_liveIsRate ? QStringLiteral("Rate") : QStringLiteral("Connections"));
    m_liveValue->setSuffix(m_liveIsRate ? QStringLiteral(" req/s") : QStringLiteral(" connections"));
    const double limit = m_liveIsRate ? scenario::ScenarioRunner::kMaxLiveRate
                                      : double(scenario::ScenarioRunner::kMaxLiveConnections);
    m_liveValue->setRange(1, limit);
    if (m_livePhase != m_phaseIndex || value > m_liveSlider->maximum()) {
        // The slider spans up to 4x the phase's own load (at least 100): fine steps where they
        // matter; the box takes any value up to the limit.
        m_liveSlider->setRange(1, int(std::min(limit, std::max(100.0, 4 * value))));
        m_livePhase = m_phaseIndex;
    }
    m_liveSlider->setValue(int(std::lround(value)));
    m_liveValue->setValue(value);
}

void LoadPanel::onScenarioChanged()
{
    m_loadError.clear();
    m_current = loadSelected(&m_loadError);
    if (!m_current) {
        m_description->setText(m_loadError);
        m_phases->clear();
    } else {
        m_description->setText(m_current->description);
        m_phases->setText(phasesText(*m_current));
        const QSignalBlocker blocker(m_duration);
        m_duration->setValue(std::max(0.5, totalDurationS(*m_current)));
        m_connections->setValue(m_current->load.connections);
        if (m_current->load.rate > 0)
            m_rate->setValue(m_current->load.rate);
    }
    updateControls();
}

double LoadPanel::plannedScale() const
{
    if (!m_current)
        return 1.0;
    const double total = totalDurationS(*m_current);
    return total > 0 ? m_duration->value() / total : 1.0;
}

std::variant<scenario::Scenario, QString> LoadPanel::plannedScenario() const
{
    if (!m_current)
        return m_loadError;
    scenario::Scenario planned = *m_current;
    if (modelChoice() != ModelChoice::AsScenario) {
        load::LoadModel model;
        model.connections = m_connections->value();
        if (modelChoice() == ModelChoice::Open) {
            model.kind = load::LoadModelKind::Open;
            model.rate = m_rate->value();
        }
        planned.load = model;
        for (scenario::Phase &phase : planned.phases)
            phase.load.reset();
    }
    return planned;
}

void LoadPanel::startRun()
{
    if (m_runs.isRunning() || !m_runs.hasLab())
        return;
    auto planned = plannedScenario();
    if (auto *error = std::get_if<QString>(&planned)) {
        Q_EMIT problem(*error);
        return;
    }
    const QString id = m_scenarios->currentData(kBuiltinRole).toBool()
                           ? selectedScenario()
                           : QFileInfo(selectedScenario()).completeBaseName();
    m_runPhaseCount = int(std::get<scenario::Scenario>(planned).phases.size());
    if (!m_runs.start(std::get<scenario::Scenario>(std::move(planned)), plannedScale(), id))
        Q_EMIT problem(QStringLiteral("The run could not start: the lab is not running or a run is going."));
}

void LoadPanel::stopRun()
{
    m_runs.stop();
}

void LoadPanel::onStarted(double totalS)
{
    m_runTotalS = totalS;
    m_phaseIndex = -1;
    m_runClock.start();
    m_progressTimer.start();
    m_status->setText(QStringLiteral("Starting…"));
}

void LoadPanel::onFinished(bool cancelled)
{
    endRun();
    const QString done =
        cancelled ? QStringLiteral("Stopped: the report covers what ran.") : QStringLiteral("Finished.");
    m_status->setText(m_claims.isEmpty() ? done : done + QLatin1Char(' ') + m_claims);
    m_claims.clear();
}

void LoadPanel::onPhaseStarted(int index, const QString &name, double durationS)
{
    m_phaseIndex = index;
    m_phaseStartS = double(m_runClock.elapsed()) / 1000.0;
    m_phaseDurationS = durationS;
    m_status->setText(QStringLiteral("Phase %1 of %2: %3").arg(index + 1).arg(m_runPhaseCount).arg(name));
    syncLiveLoad();
}

void LoadPanel::updateProgress()
{
    if (!m_runs.isRunning())
        return;
    const double elapsed = double(m_runClock.elapsed()) / 1000.0;
    m_progress->setValue(int(std::clamp(elapsed / std::max(0.001, m_runTotalS), 0.0, 1.0) * 1000));
    if (m_phaseIndex < 0) {
        m_progress->setFormat(QStringLiteral("starting…"));
        return;
    }
    const double left = std::max(0.0, m_phaseDurationS - (elapsed - m_phaseStartS));
    m_progress->setFormat(QStringLiteral("phase %1/%2 — %3 s left in it")
                              .arg(m_phaseIndex + 1)
                              .arg(m_runPhaseCount)
                              .arg(std::ceil(left), 0, 'f', 0));
}

void LoadPanel::endRun()
{
    m_liveTimer.stop();
    m_livePhase = -1;
    m_progressTimer.stop();
    m_progress->setValue(m_progress->maximum());
    m_progress->setFormat(QStringLiteral("done"));
}

void LoadPanel::updateControls()
{
    const bool running = m_runs.isRunning();
    m_scenarios->setEnabled(!running);
    m_model->setEnabled(!running);
    m_connections->setEnabled(!running && modelChoice() != ModelChoice::AsScenario);
    m_rate->setEnabled(!running && modelChoice() == ModelChoice::Open);
    m_duration->setEnabled(!running && m_current.has_value());
    m_start->setEnabled(!running && m_runs.hasLab() && m_current.has_value());
    m_stop->setEnabled(running);
    syncLiveLoad();
    if (!m_runs.hasLab() && !running)
        m_status->setText(QStringLiteral("The lab server is not running yet."));
    else if (!running && m_status->text() == QLatin1String("The lab server is not running yet."))
        m_status->clear();
}

} // namespace perflab::ui

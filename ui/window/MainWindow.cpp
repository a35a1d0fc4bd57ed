// MainWindow: see MainWindow.h.
#include "ui/window/MainWindow.h"

#include "engine/cluster/LocalCluster.h"
#include "engine/lab/LabServer.h"
#include "engine/lab/RedisHealthEvents.h"
#include "engine/load/LoadEngine.h"
#include "engine/metrics/Sample.h"
#include "engine/report/RunJsonReader.h"
#include "ui/capacity/KneeDialog.h"
#include "ui/panels/InstancesControl.h"
#include "ui/panels/LoadPanel.h"
#include "ui/panels/RedisStatusLine.h"
#include "ui/panels/RunsPanel.h"
#include "ui/panels/SettingsPanel.h"
#include "ui/panels/TablesPanel.h"
#include "ui/panels/TechniquePanel.h"
#include "ui/report/ReportExport.h"
#include "ui/run/AgentsDialog.h"
#include "ui/run/RunController.h"
#include "ui/runs/CompareRunsDialog.h"
#include "ui/runs/SavedRunDialog.h"
#include "ui/tables/RouteStatsModel.h"
#include "ui/window/LiveTablesFeed.h"
#include "ui/window/MembersFeed.h"
#include "ui/window/StartSettings.h"

#include <QCoroTask>

#include <QApplication>
#include <QChart>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QSysInfo>
#include <QTableView>
#include <QTimer>
#include <QToolBar>

#include <algorithm>
#include <variant>

// At global scope: Q_INIT_RESOURCE declares a function of the resource's own name.
static void initUiResources()
{
    Q_INIT_RESOURCE(ui);
}

namespace perflab::ui {

namespace {

QIcon applicationIcon()
{
    QIcon icon(QStringLiteral(":/perflab/icons/perflab.svg"));
    for (int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/perflab/icons/hicolor/%1x%1/apps/perflab.png").arg(size),
                     QSize(size, size));
    return icon;
}

const QString kGeometryKey = QStringLiteral("window/geometry");
const QString kStateKey = QStringLiteral("window/state");
const QString kScenarioKey = QStringLiteral("load/scenario");
const QString kModelKey = QStringLiteral("load/model");
const QString kConnectionsKey = QStringLiteral("load/connections");
const QString kRateKey = QStringLiteral("load/rate");
const QString kTablesTabKey = QStringLiteral("tables/tab");
const QString kChartWindowKey = QStringLiteral("charts/window");
const QString kTechniqueKey = QStringLiteral("panels/technique"); // the settings section shown
const QString kInstancesKey = QStringLiteral("lab/instances");

int startInstancesSetting()
{
    bool ok = false;
    const int fromEnvironment = qEnvironmentVariableIntValue("PERFLAB_UI_INSTANCES", &ok);
    const int wanted = ok ? fromEnvironment : windowSettings()->value(kInstancesKey, 1).toInt();
    return std::clamp(wanted, 1, InstancesControl::kMaxInstances);
}

QString dataDirSetting()
{
    const QString dir = qEnvironmentVariable("PERFLAB_UI_DATA_DIR");
    return dir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : dir;
}

} // namespace

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("Perflab"));
    initUiResources();
    setWindowIcon(applicationIcon());
    resize(1400, 900);

    m_instances = startInstancesSetting();
    m_runs = new RunController(this);
    m_centralMessage = new QLabel(QStringLiteral("Starting the lab server…"), this);
    m_centralMessage->setAlignment(Qt::AlignCenter);
    m_centralMessage->setWordWrap(true);
    setCentralWidget(m_centralMessage);

    buildDocks();
    buildActions();

    m_addressLabel = new QLabel(this);
    m_rateLabel = new QLabel(this);
    statusBar()->addPermanentWidget(m_rateLabel);
    statusBar()->addPermanentWidget(m_addressLabel);
    statusBar()->showMessage(QStringLiteral("starting the lab server…"));
    restoreWindowState();
}

MainWindow::~MainWindow()
{
    // A start under way runs inside the lab: let it end (cancelled between dataset chunks)
    // before the lab goes.
    if (m_starting) {
        m_destroying = true;
        m_cancelStart = true;
        QEventLoop loop;
        while (m_starting)
            loop.processEvents(QEventLoop::WaitForMoreEvents);
    }
    // The panels and the chart hold references into the lab: they go first, the lab after.
    delete m_runs; // cancels a run still going
    delete m_loadPanel;
    delete m_tablesFeed;
    delete m_settingsPanel;
    delete m_charts;
}

void MainWindow::buildDocks()
{
    m_settingsDock = new QDockWidget(QStringLiteral("Settings"), this);
    m_settingsDock->setObjectName(QStringLiteral("settingsDock"));
    m_settingsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                                QDockWidget::DockWidgetClosable);
    m_settingsDock->setMinimumWidth(300); // room for the longest field names and their spin boxes
    addDockWidget(Qt::LeftDockWidgetArea, m_settingsDock);

    m_loadDock = new QDockWidget(QStringLiteral("Load"), this);
    m_loadDock->setObjectName(QStringLiteral("loadDock"));
    m_loadDock->setFeatures(m_settingsDock->features());
    m_loadPanel = new LoadPanel(*m_runs, m_loadDock);
    m_loadDock->setWidget(m_loadPanel);
    m_loadDock->setMinimumWidth(280);
    addDockWidget(Qt::RightDockWidgetArea, m_loadDock);

    m_tablesDock = new QDockWidget(QStringLiteral("Tables"), this);
    m_tablesDock->setObjectName(QStringLiteral("tablesDock"));
    m_tablesDock->setFeatures(m_settingsDock->features());
    m_tablesPanel = new TablesPanel(m_tablesDock);
    m_tablesDock->setWidget(m_tablesPanel);
    m_runsPanel = new RunsPanel(m_tablesPanel);
    m_tablesPanel->addTab(m_runsPanel, QStringLiteral("Runs"));
    m_runsPanel->setReportsDir(reportsDir());
    connect(m_runsPanel, &RunsPanel::problem, this, &MainWindow::showProblem);
    connect(m_runsPanel, &RunsPanel::openRequested, this, &MainWindow::openSavedRun);
    connect(this, &MainWindow::reportSaved, m_runsPanel, &RunsPanel::refresh);
    addDockWidget(Qt::BottomDockWidgetArea, m_tablesDock);

    connect(m_runs, &RunController::started, this, &MainWindow::onRunStarted);
    connect(m_runs, &RunController::phaseStarted, this,
            [this](int, const QString &name) { onPhaseStarted(name); });
    // A live load change is a marker like a setting change, and a row of the events table.
    connect(m_runs, &RunController::loadChanged, this,
            [this](int, qint64 timestampMs, const QString &segment, const QString &label) {
                if (m_tablesFeed)
                    m_tablesFeed->addLoadChange(timestampMs, segment, label);
                if (m_charts)
                    m_charts->addMarker(timestampMs, QStringLiteral("load: %1").arg(label));
            });
    connect(m_runs, &RunController::finished, this, &MainWindow::onRunFinished);
    connect(m_loadPanel, &LoadPanel::problem, this, &MainWindow::showProblem);
    connect(m_runs, &RunController::progressLine, this,
            [this](const QString &line) { statusBar()->showMessage(line); });
    m_runs->setAgents(loadAgentsChoice());
    connect(m_runs, &RunController::failed, this, [this](const QString &message) {
        showProblem(QStringLiteral("The run could not go on: %1").arg(message));
    });
    connect(m_runs, &RunController::runningChanged, this, [this](bool running) {
        m_startRunAction->setEnabled(!running && m_running);
        m_stopRunAction->setEnabled(running);
        if (!running && m_closeWhenIdle && !m_export)
            close();
    });
}

void MainWindow::buildActions()
{
    QStyle *style = this->style();
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    QAction *open = file->addAction(QStringLiteral("&Open scenario…"), this, &MainWindow::chooseScenarioFile);
    open->setShortcut(QKeySequence::Open);
    open->setIcon(style->standardIcon(QStyle::SP_DialogOpenButton));
    file->addAction(QStringLiteral("Open &run…"), this, &MainWindow::chooseSavedRun);
    file->addAction(QStringLiteral("Co&mpare runs…"), this, &MainWindow::showRuns);
    file->addSeparator();
    m_exportReportAction =
        file->addAction(QStringLiteral("Export &report…"), this, &MainWindow::chooseReportFolder);
    m_exportReportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportReportAction->setIcon(style->standardIcon(QStyle::SP_DialogSaveButton));
    m_exportReportAction->setEnabled(false);
    m_exportChartMenu = file->addMenu(QStringLiteral("Export &chart"));
    m_exportChartMenu->setEnabled(false);
    // One entry per live chart, named by its title as it reads now ("Latency (client,
    // corrected)"), so the menu is filled when it opens.
    connect(m_exportChartMenu, &QMenu::aboutToShow, this, [this] {
        m_exportChartMenu->clear();
        for (int i = 0; m_charts && i < LiveChartsPanel::kChartCount; ++i) {
            const auto kind = LiveChartsPanel::ChartKind(i);
            QString text = QStringLiteral("%1…").arg(m_charts->chart(kind)->chart()->title());
            // The shortcut is the window's action below; a second one here would be ambiguous.
            if (kind == LiveChartsPanel::ChartKind::Latency)
                text += QLatin1Char('\t') +
                        QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E).toString(QKeySequence::NativeText);
            m_exportChartMenu->addAction(text, this, [this, kind] { chooseChartFile(kind); });
        }
    });
    auto *exportLatency = new QAction(this);
    exportLatency->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(exportLatency, &QAction::triggered, this, [this] {
        if (m_charts)
            chooseChartFile(LiveChartsPanel::ChartKind::Latency);
    });
    addAction(exportLatency);
    file->addSeparator();
    QAction *quit = file->addAction(QStringLiteral("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));

    QMenu *lab = menuBar()->addMenu(QStringLiteral("&Lab"));
    m_startLabAction = lab->addAction(QStringLiteral("Start the lab &server"), this, &MainWindow::startLab);
    m_startLabAction->setEnabled(false);
    lab->addAction(QStringLiteral("&Instances…"), this, &MainWindow::chooseInstances);
    lab->addAction(QStringLiteral("Load &agents…"), this, &MainWindow::chooseAgents);
    lab->addAction(QStringLiteral("Find &capacity…"), this, &MainWindow::showKneeDialog);
    m_startRunAction = lab->addAction(QStringLiteral("Start &run"), m_loadPanel, &LoadPanel::startRun);
    m_startRunAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_startRunAction->setIcon(style->standardIcon(QStyle::SP_MediaPlay));
    m_startRunAction->setEnabled(false);
    m_stopRunAction = lab->addAction(QStringLiteral("S&top run"), m_loadPanel, &LoadPanel::stopRun);
    m_stopRunAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    m_stopRunAction->setIcon(style->standardIcon(QStyle::SP_MediaStop));
    m_stopRunAction->setEnabled(false);
    lab->addSeparator();
    lab->addAction(QStringLiteral("Reset settings to the &defaults"), this, &MainWindow::resetSettings);

    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    view->addAction(m_settingsDock->toggleViewAction());
    view->addAction(m_loadDock->toggleViewAction());
    view->addAction(m_tablesDock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(QStringLiteral("&Help"));
    help->addAction(QStringLiteral("&About Perflab"), this, &MainWindow::showAbout);

    QToolBar *toolbar = addToolBar(QStringLiteral("Run"));
    toolbar->setObjectName(QStringLiteral("runToolbar"));
    toolbar->addAction(m_startRunAction);
    toolbar->addAction(m_stopRunAction);
    toolbar->addSeparator();
    toolbar->addAction(open);
    toolbar->addAction(m_exportReportAction);
    view->addAction(toolbar->toggleViewAction());
}

void MainWindow::restoreWindowState()
{
    const auto stored = windowSettings();
    restoreGeometry(stored->value(kGeometryKey).toByteArray());
    if (!restoreState(stored->value(kStateKey).toByteArray())) {
        // First start: the charts get the room, the docks what their controls need.
        resizeDocks({m_settingsDock, m_loadDock}, {310, 330}, Qt::Horizontal);
        resizeDocks({m_tablesDock}, {230}, Qt::Vertical);
    }
    const QString scenario = stored->value(kScenarioKey).toString();
    if (!scenario.isEmpty() && m_loadPanel->scenarioChoices().contains(scenario))
        m_loadPanel->selectScenario(scenario);
    else if (!scenario.isEmpty() && QFileInfo(scenario).isFile())
        m_loadPanel->selectScenario(scenario); // a file opened last time; an invalid one is reported
    m_loadPanel->setModelChoice(LoadPanel::ModelChoice(
        std::clamp(stored->value(kModelKey, 0).toInt(), 0, int(LoadPanel::ModelChoice::Open))));
    if (stored->contains(kConnectionsKey))
        m_loadPanel->setConnections(stored->value(kConnectionsKey).toInt());
    if (stored->contains(kRateKey))
        m_loadPanel->setRate(stored->value(kRateKey).toDouble());
    m_tablesPanel->setCurrentIndex(stored->value(kTablesTabKey, 0).toInt());
}

void MainWindow::saveWindowState()
{
    const auto stored = windowSettings();
    stored->setValue(kGeometryKey, saveGeometry());
    stored->setValue(kStateKey, saveState());
    stored->setValue(kScenarioKey, m_loadPanel->selectedScenario());
    stored->setValue(kModelKey, int(m_loadPanel->modelChoice()));
    stored->setValue(kConnectionsKey, m_loadPanel->connections());
    stored->setValue(kRateKey, m_loadPanel->rate());
    stored->setValue(kTablesTabKey, m_tablesPanel->currentIndex());
    if (m_charts)
        stored->setValue(kChartWindowKey, int(m_charts->window()));
    if (m_settingsPanel)
        stored->setValue(kTechniqueKey, m_settingsPanel->currentSection());
    if (m_lab) {
        // The cluster's database and Redis are gone with it: what the user keeps is the rest.
        settings::LabSettings kept = *m_lab->settings().current();
        if (m_cluster) {
            kept.database.url = m_aloneDatabaseUrl;
            kept.redis.url = m_aloneRedisUrl;
        }
        storeLabSettings(kept);
    }
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    // The start blocks while the dataset is made: let the window paint first.
    if (!m_startScheduled) {
        m_startScheduled = true;
        QTimer::singleShot(0, this, &MainWindow::startLab);
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Nothing is lost by closing: a start is cancelled first, a run is stopped and its report
    // written, then the window closes.
    if (m_starting || m_runs->isRunning() || m_export) {
        m_closeWhenIdle = true;
        m_cancelStart = true;
        m_runs->stop();
        statusBar()->showMessage(QStringLiteral("finishing before closing…"));
        event->ignore();
        return;
    }
    saveWindowState();
    QMainWindow::closeEvent(event);
}

void MainWindow::startLab()
{
    if (m_starting || m_running)
        return;
    m_startLabAction->setEnabled(false);
    m_startError.clear();
    if (m_centralMessage) {
        m_centralMessage->setStyleSheet({});
        m_centralMessage->setText(QStringLiteral("Starting the lab server…"));
    }
    auto loaded = loadStartSettings();
    if (auto *message = std::get_if<QString>(&loaded)) {
        failStart(*message);
        return;
    }
    const StartSettings &start = std::get<StartSettings>(loaded);
    lab::LabServerConfig config;
    config.server.host = QStringLiteral("127.0.0.1");
    config.server.port = 0;
    config.dataDir = dataDirSetting();
    config.settings = start.settings;
    m_aloneDatabaseUrl = start.settings.database.url;
    m_aloneRedisUrl = start.settings.redis.url;
    if (m_instances > 1) {
        if (auto error = startClusterBackends(config)) {
            failStart(QStringLiteral("The cluster of %1 instances could not start: %2\n\nLab → Instances… "
                                     "can make it one instance again.")
                          .arg(m_instances)
                          .arg(*error));
            return;
        }
    }
    // The start runs on this thread, but the database start waits in a nested event loop
    // (QCoro::waitFor) that may be inside a paint: QStatusBar::showMessage() repaints at once
    // (a recursive repaint, seen crashing), so every step is posted and shown from the loop.
    config.progress = [this](const QString &line) {
        QMetaObject::invokeMethod(
            this, [this, line] { showProgress(line); }, Qt::QueuedConnection);
    };
    auto *progressDialog = new QProgressDialog(QStringLiteral("Preparing the demo dataset…"),
                                               QStringLiteral("Cancel"), 0, 1000, this);
    progressDialog->setWindowTitle(QStringLiteral("Starting the lab"));
    progressDialog->setMinimumDuration(400); // a reused dataset starts without a flash
    progressDialog->setAutoReset(false);
    progressDialog->setValue(0);
    connect(progressDialog, &QProgressDialog::canceled, this, [this] { m_cancelStart = true; });
    QPointer<QProgressDialog> dialog = progressDialog;
    config.datasetProgress = [this, dialog](const db::DatasetProgress &step) {
        // Called on the database thread: a step under 0.1 % is not worth a repaint, so the
        // dialog moves only when its value (in thousandths) changes.
        QMetaObject::invokeMethod(
            this,
            [dialog, step] {
                if (!dialog || step.total <= 0)
                    return;
                const int value = int(1000 * step.done / step.total);
                if (value != dialog->value() || step.done == 0) {
                    dialog->setLabelText(QStringLiteral("Generating the demo dataset: %1 %L2 of %L3")
                                             .arg(step.phase)
                                             .arg(step.done)
                                             .arg(step.total));
                    dialog->setValue(value);
                }
            },
            Qt::QueuedConnection);
    };
    m_cancelStart = false;
    config.cancel = &m_cancelStart;
    m_starting = true;
    m_lab = std::make_unique<lab::LabServer>(config);
    // The start runs as a coroutine on this thread's own event loop: the window paints, the
    // progress dialog moves and Cancel works while the dataset is made, without a nested loop.
    auto starting = m_lab->startAsync();
    QCoro::connect(std::move(starting), this, [this, dialog, start](std::optional<http::StartError> error) {
        finishStart(std::move(error), start);
        if (dialog)
            dialog->deleteLater();
    });
}

void MainWindow::finishStart(std::optional<http::StartError> error, const StartSettings &start)
{
    m_starting = false;
    if (m_destroying)
        return; // the destructor waited for this; it does the rest
    if (error) {
        m_lab.reset();
        m_cluster.reset();
        const bool cancelled = m_cancelStart;
        m_startLabAction->setEnabled(true);
        if (m_closeWhenIdle) {
            close();
            return;
        }
        QString message = cancelled
                              ? QStringLiteral("The start was cancelled while the demo dataset was made. "
                                               "Lab → Start the lab server begins it again.")
                              : QStringLiteral("The lab server could not start: %1").arg(error->message);
        if (!cancelled && !start.saved.isEmpty())
            message += QStringLiteral(
                           "\n\nSettings saved last time were in force (%1). If one of them is the "
                           "cause, Lab → Reset settings to the defaults, then Lab → Start the lab server.")
                           .arg(QString::fromUtf8(QJsonDocument(start.saved).toJson(QJsonDocument::Compact)));
        failStart(message);
        return;
    }
    if (m_cluster) {
        if (auto error = startClusterMembers()) {
            m_lab.reset();
            m_cluster.reset();
            m_startLabAction->setEnabled(true);
            failStart(
                QStringLiteral("The other instances of the cluster could not start: %1\n\nLab → Instances… "
                               "can make it one instance again.")
                    .arg(*error));
            return;
        }
    }
    m_running = true;
    if (m_closeWhenIdle) {
        close();
        return;
    }

    const metrics::SampleSchema &schema = m_lab->sampler().schema();
    m_requestsColumn = schema.indexOf(QStringLiteral("requests"));
    m_errorsColumn = schema.indexOf(QStringLiteral("errors"));

    m_charts = new LiveChartsPanel(schema, this);
    setCentralWidget(m_charts); // deletes the start-up message
    if (const QVariant window = windowSettings()->value(kChartWindowKey); window.isValid())
        m_charts->setWindow(
            LiveChartsPanel::Window(std::clamp(window.toInt(), 0, int(LiveChartsPanel::Window::WholeRun))));
    m_centralMessage = nullptr;
    m_settingsPanel = new SettingsPanel(m_lab->settings(), schema, m_settingsDock);
    m_settingsDock->setWidget(m_settingsPanel);
    m_settingsPanel->showSection(windowSettings()->value(kTechniqueKey).toString());
    m_tablesFeed = new LiveTablesFeed(*m_tablesPanel, *m_lab, this);
    // The run's client side and its figures go to the charts and the tables as they come.
    connect(m_runs, &RunController::clientSamplerStarted, m_charts, &LiveChartsPanel::attachClient);
    connect(m_runs, &RunController::clientSample, m_charts, &LiveChartsPanel::addClientSample);
    connect(m_runs, &RunController::snapshotAvailable, m_tablesFeed, &LiveTablesFeed::setSnapshot);
    m_runs->setLab(m_lab.get());
    m_runsPanel->setReportsDir(reportsDir()); // the lab's data folder now decides
    m_startRunAction->setEnabled(true);
    m_exportChartMenu->setEnabled(true);

    // The sampler lives on this thread; settings change on whichever thread patched (HTTP
    // workers for PATCH /admin/settings), so that one is queued explicitly.
    connect(&m_lab->sampler(), &metrics::Sampler::sampled, this, &MainWindow::onSample);
    connect(&m_lab->sampler(), &metrics::Sampler::sampled, m_charts, &LiveChartsPanel::addServerSample);
    connect(&m_lab->sampler(), &metrics::Sampler::sampled, m_settingsPanel, &SettingsPanel::addSample);
    connect(
        &m_lab->settings(), &settings::SettingsStore::changed, m_charts,
        [charts = m_charts](const QJsonObject &patch, const QJsonObject &) {
            charts->addSettingsMarker(QDateTime::currentMSecsSinceEpoch(), patch);
        },
        Qt::QueuedConnection);
    // Redis going away and coming back: a marker like a settings change (the lab's time series
    // has the same event for the tables and reports); the Redis page says why in words.
    connect(
        &m_lab->cacheRedisEvents(), &lab::RedisHealthEvents::turned, m_charts,
        [charts = m_charts](qint64 timestampMs, const QString &text) {
            charts->addMarker(timestampMs, text);
        },
        Qt::QueuedConnection);
    m_settingsPanel->setStatusSource(QStringLiteral("redis"), [lab = m_lab.get()] {
        return redisStatusLine(lab->cacheRedis().health(), lab->cache().usesRedis());
    });
    m_instancesControl = new InstancesControl(m_instances);
    m_settingsPanel->technique(QStringLiteral("server"))->addSection(m_instancesControl);
    connect(m_instancesControl, &InstancesControl::restartRequested, this, &MainWindow::restartLab);
    m_runs->setCluster(m_cluster.get());
    if (m_cluster) {
        m_membersFeed = new MembersFeed(m_cluster->instanceUrls(), this);
        connect(m_membersFeed, &MembersFeed::figures, m_charts, &LiveChartsPanel::addInstanceFigures);
        connect(m_membersFeed, &MembersFeed::summary, m_instancesControl, &InstancesControl::showMembers);
    }

    // Live charts: the view choice is remembered; a routes-table row (double-click or Enter)
    // puts its route on the latency chart, the "all" row every route; the run controller hands
    // the charts the run's per-route statistics.
    {
        const QString viewKey = QStringLiteral("charts/view");
        if (const QVariant view = windowSettings()->value(viewKey); view.isValid())
            m_charts->setView(
                LiveChartsPanel::View(std::clamp(view.toInt(), 0, int(LiveChartsPanel::View::BytesOut))));
        connect(m_charts, &LiveChartsPanel::viewChanged, this,
                [viewKey](LiveChartsPanel::View view) { windowSettings()->setValue(viewKey, int(view)); });
        connect(m_tablesPanel->routesView(), &QAbstractItemView::activated, m_charts,
                [charts = m_charts](const QModelIndex &index) {
                    const QString route = index.siblingAtColumn(RouteStatsModel::Route).data().toString();
                    charts->setLatencyRoute(route == QLatin1String("all") ? QString() : route);
                });
        m_charts->setRouteSnapshotSource(
            [runs = QPointer<RunController>(m_runs)]() -> std::optional<load::LoadSnapshot> {
                return runs ? runs->currentSnapshot() : std::nullopt;
            });
    }

    // For scripts and curl next to the window (the status bar says the same).
    qInfo("perflab: lab server at %s", qPrintable(m_lab->url()));
    if (m_cluster) {
        qInfo("perflab: cluster of %d instances behind nginx at %s", m_instances,
              qPrintable(m_cluster->url()));
        m_addressLabel->setText(
            QStringLiteral("%1 (nginx, %2 instances)").arg(m_cluster->url()).arg(m_instances));
    } else {
        m_addressLabel->setText(m_lab->url());
    }
    const QString running = m_cluster ? QStringLiteral("lab running as %1 instances behind nginx at %2")
                                            .arg(m_instances)
                                            .arg(m_cluster->url())
                                      : QStringLiteral("lab running at %1").arg(m_lab->url());
    statusBar()->showMessage(start.note.isEmpty() ? running : start.note);
    Q_EMIT labStarted(m_lab->url());
}

void MainWindow::showProgress(const QString &line)
{
    if (m_running || !m_startError.isEmpty())
        return;
    statusBar()->showMessage(line);
    if (m_centralMessage)
        m_centralMessage->setText(QStringLiteral("Starting the lab server…\n%1").arg(line));
}

void MainWindow::failStart(const QString &message)
{
    m_startError = message;
    statusBar()->showMessage(QStringLiteral("the lab server is not running"));
    if (m_centralMessage) {
        m_centralMessage->setText(message);
        m_centralMessage->setStyleSheet(QStringLiteral("color: #b00020;"));
    }
    m_startLabAction->setEnabled(true);
    Q_EMIT labFailed(message);
}

void MainWindow::onSample(const metrics::Sample &sample)
{
    m_rateLabel->setText(QStringLiteral("%1 req/s   %2 errors/s")
                             .arg(sample.perSecond(m_requestsColumn), 0, 'f', 1)
                             .arg(sample.perSecond(m_errorsColumn), 0, 'f', 1));
}

void MainWindow::onRunStarted(const QString &scenarioId)
{
    statusBar()->showMessage(QStringLiteral("run started: %1").arg(scenarioId));
    if (m_charts && m_charts->window() == LiveChartsPanel::Window::WholeRun)
        m_charts->clear(); // "whole run" starts with the run
}

QString MainWindow::reportsDir() const
{
    return QDir(m_lab ? m_lab->dataDir() : dataDirSetting()).filePath(QStringLiteral("reports"));
}

void MainWindow::onRunFinished(const std::shared_ptr<const report::RunReport> &finished,
                               const QString &scenarioId, bool cancelled)
{
    const report::RunReport &report = *finished;
    m_lastReport = report;
    m_lastReportDir.clear();
    if (m_charts)
        m_charts->detachClient(); // the latency chart is the server's again
    if (m_tablesFeed) {
        m_tablesFeed->setReport(report);
        // What the run should have shown and whether it did; else before/after, at a glance.
        m_tablesPanel->setCurrentIndex(report.claims.empty() ? TablesPanel::PhasesTab
                                                             : TablesPanel::ClaimsTab);
    }
    m_exportReportAction->setEnabled(true);
    const QString name = QStringLiteral("%1-%2").arg(
        scenarioId, QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
    statusBar()->showMessage(cancelled ? QStringLiteral("run stopped; writing its report…")
                                       : QStringLiteral("run finished; writing its report…"));
    startExport(report, QDir(reportsDir()).filePath(name));
}

bool MainWindow::exportReport(const QString &dir)
{
    if (!m_lastReport || m_export)
        return false;
    startExport(*m_lastReport, dir);
    return true;
}

void MainWindow::startExport(const report::RunReport &report, const QString &dir)
{
    auto *job = new ReportExport(report, dir, this);
    m_export = job;
    auto *dialog =
        new QProgressDialog(QStringLiteral("Writing the report…"), QStringLiteral("Cancel"), 0, 100, this);
    dialog->setWindowTitle(QStringLiteral("Report"));
    dialog->setMinimumDuration(500);
    dialog->setAutoClose(false);
    dialog->setValue(0);
    connect(dialog, &QProgressDialog::canceled, job, &ReportExport::cancel);
    connect(job, &ReportExport::progress, dialog, [dialog](int percent, const QString &step) {
        dialog->setLabelText(QStringLiteral("Writing the report: %1").arg(step));
        dialog->setValue(percent);
    });
    const auto done = [this, job, dialog] {
        dialog->deleteLater();
        job->deleteLater();
        if (m_closeWhenIdle)
            QTimer::singleShot(0, this, &QWidget::close);
    };
    connect(job, &ReportExport::finished, this, [this, done](const QString &written) {
        m_lastReportDir = written;
        statusBar()->showMessage(
            QStringLiteral("report written to %1").arg(QDir::toNativeSeparators(written)));
        Q_EMIT reportSaved(written);
        done();
    });
    connect(job, &ReportExport::failed, this, [this, done](const QString &message) {
        showProblem(QStringLiteral("The report could not be written: %1").arg(message));
        Q_EMIT reportFailed(message);
        done();
    });
    connect(job, &ReportExport::cancelled, this, [this, done, dir] {
        statusBar()->showMessage(
            QStringLiteral("report export cancelled; what was written stays in %1").arg(dir));
        Q_EMIT reportFailed(QStringLiteral("cancelled"));
        done();
    });
    job->start();
}

void MainWindow::onPhaseStarted(const QString &phaseName)
{
    if (m_tablesFeed)
        m_tablesFeed->addPhaseStart(phaseName);
    if (m_charts)
        m_charts->addMarker(QDateTime::currentMSecsSinceEpoch(), QStringLiteral("phase: %1").arg(phaseName));
}

bool MainWindow::exportChart(LiveChartsPanel::ChartKind kind, const QString &path)
{
    if (!m_charts)
        return false;
    if (auto error = m_charts->saveChart(kind, path)) {
        showProblem(QStringLiteral("The chart could not be saved: %1").arg(*error));
        return false;
    }
    statusBar()->showMessage(QStringLiteral("chart saved to %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

void MainWindow::chooseScenarioFile()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open scenario"), QString(),
                                                      QStringLiteral("Scenarios (*.json);;All files (*)"));
    if (!path.isEmpty())
        m_loadPanel->selectScenario(path);
}

void MainWindow::chooseReportFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, QStringLiteral("Export the report into"));
    if (!dir.isEmpty())
        exportReport(dir);
}

void MainWindow::chooseChartFile(LiveChartsPanel::ChartKind kind)
{
    const QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Export chart"), LiveChartsPanel::chartName(kind) + QStringLiteral(".png"),
        QStringLiteral("PNG image (*.png);;SVG drawing (*.svg)"));
    if (!path.isEmpty())
        exportChart(kind, path);
}

void MainWindow::resetSettings()
{
    forgetLabSettings();
    if (!m_lab) {
        statusBar()->showMessage(
            QStringLiteral("saved settings forgotten: the next start uses the defaults"));
        return;
    }
    const QJsonObject defaults = settings::LabSettings().toJson();
    auto result =
        m_lab->settings().patch(settings::changedFields(m_lab->settings().current()->toJson(), defaults));
    if (auto *error = std::get_if<settings::SettingsError>(&result))
        showProblem(QStringLiteral("The defaults could not be applied: %1").arg(error->message()));
    else
        statusBar()->showMessage(QStringLiteral(
            "settings back to the defaults (the database and dataset ones apply at the next start)"));
}

void MainWindow::showProblem(const QString &message)
{
    statusBar()->showMessage(message, 15000);
    // Shown without blocking the live charts (and the tests that drive the window).
    auto *shown =
        new QMessageBox(QMessageBox::Warning, QStringLiteral("Perflab"), message, QMessageBox::Ok, this);
    shown->setObjectName(QStringLiteral("problemBox"));
    shown->setAttribute(Qt::WA_DeleteOnClose);
    shown->open();
}

std::optional<QString> MainWindow::startClusterBackends(lab::LabServerConfig &config)
{
    cluster::ClusterConfig clusterConfig;
    clusterConfig.instances = m_instances;
    clusterConfig.folder = QDir(config.dataDir).filePath(QStringLiteral("window-cluster"));
    clusterConfig.settingsFile = clusterConfig.folder + QStringLiteral("/instance-settings.json");
    // `perflab serve` is this program, unless told otherwise.
    clusterConfig.program =
        m_serveProgram.isEmpty() ? QCoreApplication::applicationFilePath() : m_serveProgram;
    clusterConfig.progress = config.progress;
    QDir().mkpath(clusterConfig.folder);
    m_cluster = std::make_unique<cluster::LocalCluster>(clusterConfig);
    // Blocks for a second or two (initdb and a dataset the first time: more), turning the
    // event loop meanwhile: the window keeps painting the progress lines.
    if (auto error = m_cluster->startBackends()) {
        m_cluster.reset();
        return error;
    }
    config.settings.database.url = m_cluster->databaseUrl();
    config.settings.redis.url = m_cluster->redisUrl();
    config.instance = QStringLiteral("1");
    config.server.threads = m_cluster->threadsPerInstance();
    return std::nullopt;
}

std::optional<QString> MainWindow::startClusterMembers()
{
    // The others start with this lab's settings (dataset size, pool...); their live settings
    // then follow this lab's through Redis anyway.
    QFile file(m_cluster->config().settingsFile);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
    file.write(QJsonDocument(m_lab->settings().current()->toJson()).toJson());
    file.close();
    m_cluster->addInProcessMember(m_lab->url(), m_lab->port());
    return m_cluster->startMembers([this] { return bool(m_cancelStart); });
}

void MainWindow::tearDownLab()
{
    saveWindowState();
    m_runs->setLab(nullptr);
    m_runs->setCluster(nullptr);
    m_startRunAction->setEnabled(false);
    m_exportChartMenu->setEnabled(false);
    delete m_membersFeed;
    m_membersFeed = nullptr;
    delete m_tablesFeed;
    m_tablesFeed = nullptr;
    m_instancesControl = nullptr; // the settings panel's child
    m_settingsDock->setWidget(nullptr);
    delete m_settingsPanel;
    m_settingsPanel = nullptr;
    m_centralMessage = new QLabel(QStringLiteral("Restarting the lab server…"), this);
    m_centralMessage->setAlignment(Qt::AlignCenter);
    m_centralMessage->setWordWrap(true);
    setCentralWidget(m_centralMessage); // deletes the charts
    m_charts = nullptr;
    m_lab.reset();
    m_cluster.reset();
    m_running = false;
}

bool MainWindow::restartLab(int instances)
{
    if (m_starting || m_runs->isRunning() || m_export) {
        showProblem(QStringLiteral("The lab restarts once the run (or the start, or the report) has ended."));
        return false;
    }
    instances = std::clamp(instances, 1, InstancesControl::kMaxInstances);
    if (instances == m_instances && m_running)
        return true; // already so
    m_instances = instances;
    windowSettings()->setValue(kInstancesKey, m_instances);
    statusBar()->showMessage(QStringLiteral("restarting the lab as %1 instance(s)…").arg(m_instances));
    if (m_running)
        tearDownLab();
    startLab();
    return true;
}

void MainWindow::chooseSavedRun()
{
    const QString folder = QFileDialog::getExistingDirectory(
        this, QStringLiteral("Open a saved run (its report folder)"), reportsDir());
    if (!folder.isEmpty())
        openSavedRun(folder);
}

bool MainWindow::openSavedRun(const QString &folder)
{
    auto read = report::readRunFolder(folder);
    if (auto *error = std::get_if<QString>(&read)) {
        showProblem(QStringLiteral("Not a saved run: %1").arg(*error));
        return false;
    }
    auto *dialog = new SavedRunDialog(std::move(std::get<report::RunReport>(read)), folder, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return true;
}

void MainWindow::showRuns()
{
    m_tablesDock->show();
    m_tablesDock->raise();
    m_runsPanel->setReportsDir(reportsDir());
    m_tablesPanel->setCurrentWidget(m_runsPanel);
    if (m_runsPanel->compareButton()->isEnabled()) {
        if (CompareRunsDialog *dialog = m_runsPanel->compareSelected())
            dialog->show();
    } else {
        statusBar()->showMessage(
            QStringLiteral("pick two runs in the Runs tab (Ctrl+click the second), then Compare"), 10000);
    }
}

void MainWindow::chooseInstances()
{
    bool ok = false;
    const int chosen =
        QInputDialog::getInt(this, QStringLiteral("Instances"),
                             QStringLiteral("Run the lab as this many instances (1: alone; more: a cluster "
                                            "behind nginx, with PostgreSQL and Redis started here):"),
                             m_instances, 1, InstancesControl::kMaxInstances, 1, &ok);
    if (ok)
        restartLab(chosen);
}

void MainWindow::showKneeDialog()
{
    if (!m_lab || !m_running) {
        showProblem(
            QStringLiteral("The lab server is not running: start it first (Lab → Start the lab server)."));
        return;
    }
    // One dialog per lab: its search aims at this lab's address.
    if (!m_kneeDialog || m_kneeDialogUrl != m_lab->url()) {
        delete m_kneeDialog;
        m_kneeDialog = new KneeDialog(m_lab->url(), this);
        m_kneeDialogUrl = m_lab->url();
    }
    m_kneeDialog->show();
    m_kneeDialog->raise();
}

void MainWindow::chooseAgents()
{
    AgentsDialog dialog(m_runs->agents(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_runs->setAgents(dialog.choice());
    saveAgentsChoice(dialog.choice());
    statusBar()->showMessage(dialog.choice()
                                 ? QStringLiteral("runs send their load from %1 agents through %2")
                                       .arg(dialog.choice()->count)
                                       .arg(dialog.choice()->redisUrl)
                                 : QStringLiteral("runs send their load from this window"));
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, QStringLiteral("About Perflab"),
        QStringLiteral("<h3>Perflab %1</h3>"
                       "<p>A lab for the performance of async web servers: switch a technique, "
                       "watch latency, throughput and the server's side respond.</p>"
                       "<p>Qt %2 (built with %3)<br>%4</p>"
                       "<p>MIT licence.</p>")
            .arg(QStringLiteral(PERFLAB_VERSION), QString::fromLatin1(qVersion()),
                 QStringLiteral(QT_VERSION_STR), QSysInfo::prettyProductName()));
}

} // namespace perflab::ui

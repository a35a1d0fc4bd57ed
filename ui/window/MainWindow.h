// MainWindow: the desktop lab (`perflab` with no arguments; docs/user-guide.md). It owns one
// lab::LabServer on 127.0.0.1 at a free port, started just after the window is first shown
// (so the window is on screen while the dataset is made, with a progress dialog that can
// cancel it), with the settings panels on the left, the load controls on the right, the live
// charts in the middle, the tables below and the address and live rates in the status bar.
// A finished run's report folder (docs/reference/report-folder.md) is written to
// <data folder>/reports/<scenario>-<time> at once, so no run is lost; File → Export report writes
// it anywhere else.
//
// Persistent state (QSettings, see StartSettings.h): window geometry and dock layout
// (saveState), the load controls' choices, and the lab settings the user changed.
//
// Environment (for tests and demos, read once at start):
//   PERFLAB_UI_SETTINGS  a JSON file holding a partial settings document, applied over the
//                        defaults and the saved settings, e.g. a small dataset:
//                        {"database":{"dataset_users":2000,"dataset_orders":6000}}
//   PERFLAB_UI_DATA_DIR  the lab's data folder (job queue, SQLite database, reports);
//                        default: the user's data folder.
//   PERFLAB_UI_INSTANCES the number of instances the lab starts as (1-8), instead of the one
//                        chosen last time on the Server page.
//
// More than one instance: the lab in this window is instance 1 of a cluster (see
// cluster/LocalCluster.h): PostgreSQL and Redis start first, then this lab on them (its
// dataset with the same progress dialog), then the other instances as `perflab serve`
// processes and nginx in front. Runs go through nginx; the panels patch this lab, whose
// live settings reach the others through Redis; MembersFeed draws each member's share.
// Changing the number restarts the lab (Server page, or Lab → Instances…); the settings the
// user keeps are those of the lab, minus the cluster's database and Redis addresses.
// A start failure (unreadable settings file, dataset or port problem, a cancelled dataset)
// is shown in the window in plain words; Lab → Start the lab server tries again.
#pragma once

#include "engine/http/HttpServer.h"
#include "engine/report/RunReport.h"
#include "ui/panels/LiveChartsPanel.h"
#include "ui/window/StartSettings.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>

class QAction;
class QMenu;
class QDockWidget;
class QLabel;

namespace perflab::lab {
class LabServer;
struct LabServerConfig;
} // namespace perflab::lab
namespace perflab::cluster {
class LocalCluster;
}
namespace perflab::metrics {
struct Sample;
}

namespace perflab::ui {

class InstancesControl;
class LiveTablesFeed;
class LoadPanel;
class MembersFeed;
class RunsPanel;
class ReportExport;
class RunController;
class KneeDialog;
class SettingsPanel;
class TablesPanel;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Null until the lab has started.
    lab::LabServer *lab() const { return m_lab.get(); }
    bool isLabRunning() const { return m_running; }
    // The instances the lab runs as (1: alone), and its cluster (null when alone).
    int instances() const { return m_instances; }
    cluster::LocalCluster *cluster() const { return m_cluster.get(); }
    InstancesControl *instancesControl() const { return m_instancesControl; }
    // The perflab program the cluster's other instances run (default: this program, which is
    // perflab itself; a test gives the built one). Before show(): the lab starts then.
    void setServeProgram(const QString &program) { m_serveProgram = program; }
    // Empty unless the start failed.
    QString startError() const { return m_startError; }
    SettingsPanel *settingsPanel() const { return m_settingsPanel; }
    LoadPanel *loadPanel() const { return m_loadPanel; }
    TablesPanel *tablesPanel() const { return m_tablesPanel; }
    // The Runs tab of the tables: the runs kept in reportsDir(), two of them compared.
    RunsPanel *runsPanel() const { return m_runsPanel; }
    LiveChartsPanel *liveCharts() const { return m_charts; }
    RunController *runController() const { return m_runs; }
    // The last run's report, and the folder it was saved to ("" while being written).
    const std::optional<report::RunReport> &lastReport() const { return m_lastReport; }
    QString lastReportDir() const { return m_lastReportDir; }
    // The folder the reports of finished runs are written to.
    QString reportsDir() const;

public Q_SLOTS:
    // A saved report folder shown read-only (File → Open run); false with a message when it is
    // not a run.
    bool openSavedRun(const QString &folder);
    // Stops the lab (and its cluster) and starts it again as `instances` instances; refused
    // with a message while a run or a start is under way; nothing to do when it runs so already.
    bool restartLab(int instances);
    // Writes the last report (or the one given) to `dir` with a progress dialog; false when
    // there is none or an export is already under way.
    bool exportReport(const QString &dir);
    // One live chart as PNG or SVG (by suffix); false with a message shown on failure.
    bool exportChart(perflab::ui::LiveChartsPanel::ChartKind kind, const QString &path);

Q_SIGNALS:
    void labStarted(const QString &url);
    void labFailed(const QString &message);
    void reportSaved(const QString &dir);
    void reportFailed(const QString &message);

protected:
    void showEvent(QShowEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildDocks();
    void startLab();
    // The cluster's database and Redis before this lab starts on them; an error in words.
    std::optional<QString> startClusterBackends(lab::LabServerConfig &config);
    // The other members and nginx once this lab serves.
    std::optional<QString> startClusterMembers();
    void tearDownLab();
    void chooseInstances();
    void chooseAgents();
    void showKneeDialog();
    void showRuns();
    void chooseSavedRun();
    void finishStart(std::optional<http::StartError> error, const StartSettings &start);
    void showProgress(const QString &line);
    void failStart(const QString &message);
    void onSample(const metrics::Sample &sample);
    void onRunStarted(const QString &scenarioId);
    void onRunFinished(const std::shared_ptr<const report::RunReport> &report, const QString &scenarioId,
                       bool cancelled);
    void showProblem(const QString &message);
    void chooseScenarioFile();
    void chooseReportFolder();
    void chooseChartFile(LiveChartsPanel::ChartKind kind);
    // The event log and the charts get the phase.
    void onPhaseStarted(const QString &phaseName);
    void resetSettings();
    void showAbout();
    void restoreWindowState();
    void saveWindowState();
    void startExport(const report::RunReport &report, const QString &dir);

    std::unique_ptr<cluster::LocalCluster> m_cluster; // declared before m_lab: stopped after it
    std::unique_ptr<lab::LabServer> m_lab;
    int m_instances = 1;
    QString m_serveProgram;
    QString m_aloneDatabaseUrl; // what this lab's settings said before the cluster's replaced them
    QString m_aloneRedisUrl;
    MembersFeed *m_membersFeed = nullptr;
    InstancesControl *m_instancesControl = nullptr;
    bool m_startScheduled = false;
    bool m_starting = false;
    bool m_running = false;
    bool m_closeWhenIdle = false; // close() came during a start or a run
    bool m_destroying = false;    // the destructor waits for a start to end
    std::atomic<bool> m_cancelStart{false};
    QString m_startError;
    QDockWidget *m_settingsDock = nullptr;
    QDockWidget *m_loadDock = nullptr;
    QDockWidget *m_tablesDock = nullptr;
    TablesPanel *m_tablesPanel = nullptr;
    RunsPanel *m_runsPanel = nullptr;
    LiveTablesFeed *m_tablesFeed = nullptr;
    SettingsPanel *m_settingsPanel = nullptr;
    LoadPanel *m_loadPanel = nullptr;
    LiveChartsPanel *m_charts = nullptr;
    RunController *m_runs = nullptr;   // the one owner of a run
    QPointer<KneeDialog> m_kneeDialog; // Lab → Find capacity…, made on first use
    QString m_kneeDialogUrl;           // the lab address it searches
    QLabel *m_centralMessage = nullptr;
    QLabel *m_addressLabel = nullptr;
    QLabel *m_rateLabel = nullptr;
    QAction *m_startLabAction = nullptr;
    QAction *m_startRunAction = nullptr;
    QAction *m_stopRunAction = nullptr;
    QAction *m_exportReportAction = nullptr;
    QMenu *m_exportChartMenu = nullptr;
    QPointer<ReportExport> m_export;
    std::optional<report::RunReport> m_lastReport;
    QString m_lastReportDir;
    qsizetype m_requestsColumn = -1;
    qsizetype m_errorsColumn = -1;
};

} // namespace perflab::ui

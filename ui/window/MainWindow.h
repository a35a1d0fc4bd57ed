// MainWindow: the desktop lab (`perflab` with no arguments, SPEC §8). It owns one
// lab::LabServer on 127.0.0.1 at a free port, started just after the window is first shown
// (so the window is on screen while the dataset is made), with the settings panels on the
// left, the live chart in the middle and the address and live rates in the status bar.
//
// Environment (for tests and demos, read once at start):
//   PERFLAB_UI_SETTINGS  a JSON file holding a partial settings document, applied with
//                        settings::applyPatch over the defaults, e.g. a small dataset:
//                        {"database":{"dataset_users":2000,"dataset_orders":6000}}
//   PERFLAB_UI_DATA_DIR  the lab's data folder (job queue, SQLite database); default: the
//                        user's data folder.
// A start failure (unreadable settings file, dataset or port problem) is shown in the window
// in plain words; the window stays open so the user can read it.
#pragma once

#include <QMainWindow>
#include <QString>

#include <memory>

class QDockWidget;
class QLabel;

namespace perflab::lab {
class LabServer;
}
namespace perflab::metrics {
struct Sample;
}

namespace perflab::ui {

class LiveChart;
class SettingsPanel;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Null until the lab has started.
    lab::LabServer *lab() const { return m_lab.get(); }
    bool isLabRunning() const { return m_running; }
    // Empty unless the start failed.
    QString startError() const { return m_startError; }
    SettingsPanel *settingsPanel() const { return m_settingsPanel; }
    LiveChart *liveChart() const { return m_chart; }

Q_SIGNALS:
    void labStarted(const QString &url);
    void labFailed(const QString &message);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void buildMenus();
    void startLab();
    void showProgress(const QString &line);
    void failStart(const QString &message);
    void onSample(const metrics::Sample &sample);
    void showAbout();

    std::unique_ptr<lab::LabServer> m_lab;
    bool m_startScheduled = false;
    bool m_running = false;
    QString m_startError;
    QDockWidget *m_settingsDock = nullptr;
    SettingsPanel *m_settingsPanel = nullptr;
    LiveChart *m_chart = nullptr;
    QLabel *m_centralMessage = nullptr;
    QLabel *m_addressLabel = nullptr;
    QLabel *m_rateLabel = nullptr;
    qsizetype m_requestsColumn = -1;
    qsizetype m_errorsColumn = -1;
};

} // namespace perflab::ui

// Scenario runs from the desktop window against its own lab: a short two-phase scenario
// started with the Start button writes the whole report folder (PDF and PNG charts
// included) and gives the lab its settings back; Stop ends a run and still saves its report;
// an invalid scenario file is shown in plain words; the UI thread's longest stall while the
// load generator runs flat out is measured and reported; the window's state and the user's
// lab settings survive a restart (QSettings).
#include "SmallDataset.h"

#include "engine/lab/LabServer.h"
#include "engine/scenario/ScenarioRunner.h"
#include "engine/settings/LabSettings.h"
#include "ui/panels/LiveChartsPanel.h"
#include "ui/panels/LoadPanel.h"
#include "ui/panels/SettingsPanel.h"
#include "ui/panels/TablesPanel.h"
#include "ui/run/RunController.h"
#include "ui/tables/EventLogModel.h"
#include "ui/tables/PhaseComparisonModel.h"
#include "ui/tables/RouteStatsModel.h"
#include "ui/window/MainWindow.h"

#include <QAction>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineSeries>
#include <QMenuBar>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QSvgRenderer>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace perflab;

namespace {

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        qFatal("cannot write %s", qPrintable(path));
    file.write(content);
    return path;
}

QByteArray twoPhaseScenario(double phaseS)
{
    const QByteArray seconds = QByteArray::number(phaseS);
    return R"({
  "name": "window run",
  "description": "two short phases: cache off, cache on",
  "settings": {"cache": {"ttl_s": 120}},
  "load": {"model": "closed", "connections": 4},
  "requests": [
    {"method": "GET", "path": "/hello", "weight": 3},
    {"method": "GET", "path": "/users/{uniform:1..2000}", "weight": 1}
  ],
  "phases": [
    {"name": "cache off", "duration_s": )" +
           seconds + R"(, "settings": {"cache": {"enabled": false}}},
    {"name": "cache on", "duration_s": )" +
           seconds + R"(, "settings": {"cache": {"enabled": true}}}
  ]
})";
}

} // namespace

class TestWindowRun : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void scenarioRunWritesTheReportFolder();
    void stopEndsTheRunAndKeepsItsReport();
    void invalidScenarioFileIsShownInPlainWords();
    void uiThreadStaysResponsiveAtFullLoad();
    void closingDuringARunWritesItsReportFirst();
    void stateAndSettingsSurviveARestart();
    void datasetGenerationCanBeCancelled();

private:
    std::unique_ptr<ui::MainWindow> startWindow(const QString &dataDir);
    QString waitForReport(QSignalSpy &saved, QSignalSpy &failed, int timeoutMs);

    QTemporaryDir m_dir;
    std::unique_ptr<ui::MainWindow> m_window;
};

std::unique_ptr<ui::MainWindow> TestWindowRun::startWindow(const QString &dataDir)
{
    qputenv("PERFLAB_UI_DATA_DIR", dataDir.toLocal8Bit());
    auto window = std::make_unique<ui::MainWindow>();
    window->show();
    if (!QTest::qWaitFor([&] { return window->isLabRunning() || !window->startError().isEmpty(); }, 20000))
        qWarning("the lab did not start within 20 s");
    return window;
}

void TestWindowRun::initTestCase()
{
    QVERIFY(m_dir.isValid());
    qputenv("PERFLAB_UI_SETTINGS", writeFile(m_dir, QStringLiteral("small.json"),
                                             QByteArray(R"({"database":)") + test::smallDatasetJson() + "}")
                                       .toLocal8Bit());
    // The window's saved state (QSettings) goes here, not into the user's config folder.
    qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toLocal8Bit());
    m_window = startWindow(m_dir.filePath(QStringLiteral("data")));
    QVERIFY2(m_window->isLabRunning(), qPrintable(m_window->startError()));
}

void TestWindowRun::cleanupTestCase()
{
    m_window.reset();
    qunsetenv("PERFLAB_UI_SETTINGS");
    qunsetenv("PERFLAB_UI_DATA_DIR");
}

QString TestWindowRun::waitForReport(QSignalSpy &saved, QSignalSpy &failed, int timeoutMs)
{
    if (!QTest::qWaitFor([&] { return !saved.isEmpty() || !failed.isEmpty(); }, timeoutMs))
        qWarning("no report within %d ms", timeoutMs);
    if (!failed.isEmpty())
        qWarning("report failed: %s", qPrintable(failed.first().first().toString()));
    return saved.isEmpty() ? QString() : saved.first().first().toString();
}

void TestWindowRun::scenarioRunWritesTheReportFolder()
{
    lab::LabServer &lab = *m_window->lab();
    ui::LoadPanel *panel = m_window->loadPanel();
    QVERIFY(
        panel->selectScenario(writeFile(m_dir, QStringLiteral("window-run.json"), twoPhaseScenario(1.0))));
    QCOMPARE(panel->durationS(), 2.0);
    const double ttlBefore = lab.settings().current()->cache.ttlS;
    const bool cacheBefore = lab.settings().current()->cache.enabled;

    QSignalSpy saved(m_window.get(), &ui::MainWindow::reportSaved);
    QSignalSpy failed(m_window.get(), &ui::MainWindow::reportFailed);
    QSignalSpy phases(m_window->runController(), &ui::RunController::phaseStarted);
    auto *start = panel->findChild<QPushButton *>(QStringLiteral("startRun"));
    QVERIFY(start && start->isEnabled());
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(panel->isRunning());
    // The scenario's settings hold during the run.
    QTRY_COMPARE(lab.settings().current()->cache.ttlS, 120.0);
    // The user changes a field the scenario does not set while the run goes: that one stays.
    const int levelDuring = lab.settings().current()->compression.level == 1 ? 2 : 1;
    QVERIFY(std::holds_alternative<std::shared_ptr<const settings::LabSettings>>(lab.settings().patch(
        QJsonObject{{QStringLiteral("compression"), QJsonObject{{QStringLiteral("level"), levelDuring}}}})));
    // The charts show the client's side of the run next to the server's, phases as markers.
    ui::LiveChartsPanel *charts = m_window->liveCharts();
    QTRY_VERIFY(charts->clientAttached());
    const auto plotted = [charts](ui::LiveChartsPanel::ChartKind kind, const QString &line) {
        QLineSeries *series = charts->series(kind, line);
        if (!series)
            return false;
        const QList<QPointF> points = series->points();
        return std::any_of(points.begin(), points.end(), [](const QPointF &p) { return p.y() > 0; });
    };
    QTRY_VERIFY(plotted(ui::LiveChartsPanel::ChartKind::Throughput, QStringLiteral("client responses/s")));
    QTRY_VERIFY(plotted(ui::LiveChartsPanel::ChartKind::Latency, QStringLiteral("p99")));
    QVERIFY(charts->markerCount() >= 1);

    const QString dir = waitForReport(saved, failed, 30000);
    QVERIFY2(!dir.isEmpty(), "no report saved");
    QCOMPARE(phases.count(), 2);
    QVERIFY(dir.startsWith(m_window->reportsDir()));
    QVERIFY2(QFileInfo(dir).fileName().startsWith(QLatin1String("window-run-")), qPrintable(dir));
    for (const char *name :
         {"run.json", "timeseries.csv", "report.html", "report.pdf", "latency-cache-off.hgrm",
          "latency-cache-on.hgrm", "charts/latency.svg", "charts/latency.png", "charts/cache-hit-rate.png"}) {
        const QFileInfo file(dir + QLatin1Char('/') + QLatin1String(name));
        QVERIFY2(file.isFile() && file.size() > 0, name);
    }
    QFile runJson(dir + QStringLiteral("/run.json"));
    QVERIFY(runJson.open(QIODevice::ReadOnly));
    const QJsonObject run = QJsonDocument::fromJson(runJson.readAll()).object();
    const QJsonArray phaseArray = run.value(QStringLiteral("phases")).toArray();
    QCOMPARE(phaseArray.size(), 2);
    QVERIFY(m_window->lastReport().has_value());
    QVERIFY(!m_window->lastReport()->server.samples.empty()); // the window's lab is the embedded target
    QVERIFY(m_window->lastReport()->phases[0].stats.total().responses > 0);
    QCOMPARE(m_window->lastReportDir(), dir);
    // The tables show the run: its routes (two and "all") and its two phases side by side.
    QCOMPARE(m_window->tablesPanel()->phaseModel()->rowCount(), 2);
    QCOMPARE(m_window->tablesPanel()->routeModel()->rowCount(), 3);
    QCOMPARE(m_window->tablesPanel()->currentIndex(), int(ui::TablesPanel::PhasesTab));
    QTRY_VERIFY(m_window->tablesPanel()->eventLogModel()->rowCount() >= 2); // the phase starts at least
    // A routes-table row (double-click or Enter: activated) puts its route on the latency
    // chart; the "all" row brings every route back.
    QTableView *routes = m_window->tablesPanel()->routesView();
    QString routeName, totalName;
    for (int row = 0; row < routes->model()->rowCount(); ++row) {
        const QModelIndex index = routes->model()->index(row, 0);
        const QString name = index.data().toString();
        if (name == QLatin1String("all")) {
            totalName = name;
            continue;
        }
        routeName = name;
        Q_EMIT routes->activated(index);
    }
    QVERIFY(!routeName.isEmpty() && !totalName.isEmpty());
    QCOMPARE(charts->latencyRoute(), routeName);
    QVERIFY(charts->knownRoutes().contains(routeName)); // its percentiles were recorded in the run
    QVERIFY(charts->chart(ui::LiveChartsPanel::ChartKind::Latency)->title().contains(routeName));
    for (int row = 0; row < routes->model()->rowCount(); ++row) {
        const QModelIndex index = routes->model()->index(row, 3); // any column of the row
        if (routes->model()->index(row, 0).data().toString() == totalName)
            Q_EMIT routes->activated(index);
    }
    QCOMPARE(charts->latencyRoute(), QString());

    // The run borrowed the lab: its settings are the user's again.
    QCOMPARE(lab.settings().current()->cache.ttlS, ttlBefore);
    QCOMPARE(lab.settings().current()->cache.enabled, cacheBefore);
    QCOMPARE(lab.settings().current()->compression.level, levelDuring);
    QVERIFY(!panel->isRunning());
    QVERIFY(start->isEnabled());
    QVERIFY(!charts->clientAttached()); // back to the server's latency

    // Export: a chart of the window as PNG and SVG, and the report again, elsewhere.
    const QString png = m_dir.filePath(QStringLiteral("exported/latency.png"));
    QDir().mkpath(QFileInfo(png).path());
    QVERIFY(m_window->exportChart(ui::LiveChartsPanel::ChartKind::Latency, png));
    QVERIFY(!QImage(png).isNull());
    const QString svg = m_dir.filePath(QStringLiteral("exported/throughput.svg"));
    QVERIFY(m_window->exportChart(ui::LiveChartsPanel::ChartKind::Throughput, svg));
    QVERIFY(QSvgRenderer(svg).isValid());
    QSignalSpy again(m_window.get(), &ui::MainWindow::reportSaved);
    QVERIFY(m_window->exportReport(m_dir.filePath(QStringLiteral("exported/report"))));
    QTRY_COMPARE(again.count(), 1);
    QVERIFY(QFileInfo(m_dir.filePath(QStringLiteral("exported/report/report.pdf"))).isFile());
}

void TestWindowRun::stopEndsTheRunAndKeepsItsReport()
{
    ui::LoadPanel *panel = m_window->loadPanel();
    QVERIFY(panel->selectScenario(writeFile(m_dir, QStringLiteral("long-run.json"), twoPhaseScenario(60.0))));
    QSignalSpy saved(m_window.get(), &ui::MainWindow::reportSaved);
    QSignalSpy failed(m_window.get(), &ui::MainWindow::reportFailed);
    QSignalSpy phases(m_window->runController(), &ui::RunController::phaseStarted);
    panel->startRun();
    QTRY_COMPARE(phases.count(), 1);
    QTest::qWait(500);
    QTest::mouseClick(panel->findChild<QPushButton *>(QStringLiteral("stopRun")), Qt::LeftButton);
    const QString dir = waitForReport(saved, failed, 15000);
    QVERIFY2(!dir.isEmpty(), "no report saved after Stop");
    QCOMPARE(m_window->lastReport()->phases.size(), std::size_t(1));
    QCOMPARE(m_window->lastReport()->phases[0].name, QStringLiteral("cache off (interrupted)"));
    QVERIFY(QFileInfo(dir + QStringLiteral("/report.pdf")).isFile());
}

void TestWindowRun::invalidScenarioFileIsShownInPlainWords()
{
    ui::LoadPanel *panel = m_window->loadPanel();
    const QString before = panel->selectedScenario();
    QSignalSpy problems(panel, &ui::LoadPanel::problem);
    const QString path = writeFile(
        m_dir, QStringLiteral("bad.json"),
        R"({"name": "bad", "requests": [{"path": "/hello"}], "phases": [{"name": "p", "duration_s": "ten"}]})");
    QVERIFY(!panel->selectScenario(path));
    QCOMPARE(problems.count(), 1);
    const QString message = problems.first().first().toString();
    QVERIFY2(message.contains(path) && message.contains(QLatin1String("phases[0].duration_s")),
             qPrintable(message));
    QCOMPARE(panel->selectedScenario(), before); // nothing changed
    QVERIFY(!panel->scenarioChoices().contains(path));
}

void TestWindowRun::uiThreadStaysResponsiveAtFullLoad()
{
    // A closed loop with no think time: the generator's maximum rate on this machine.
    ui::LoadPanel *panel = m_window->loadPanel();
    QVERIFY(panel->selectScenario(writeFile(m_dir, QStringLiteral("flat-out.json"), R"({
  "name": "flat out", "description": "/hello as fast as 64 connections go",
  "load": {"model": "closed", "connections": 64},
  "requests": [{"method": "GET", "path": "/hello"}],
  "phases": [{"name": "flat out", "duration_s": 5}]
})")));
    QSignalSpy saved(m_window.get(), &ui::MainWindow::reportSaved);
    QSignalSpy failed(m_window.get(), &ui::MainWindow::reportFailed);
    QSignalSpy phases(m_window->runController(), &ui::RunController::phaseStarted);
    panel->startRun();
    QTRY_COMPARE(phases.count(), 1);

    // A 5 ms timer on the UI thread: the longest gap between its ticks is the longest time
    // the window could not answer (paint, input) while the charts took the live samples.
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    qint64 longest = 0;
    QTimer tick;
    tick.setInterval(5);
    connect(&tick, &QTimer::timeout, this, [&] {
        const qint64 now = clock.elapsed();
        longest = std::max(longest, now - last);
        last = now;
    });
    tick.start();
    // A real event loop, as the app's (QTest::qWaitFor sleeps 10 ms between its rounds).
    QEventLoop loop;
    connect(m_window->runController(), &ui::RunController::runningChanged, &loop, [&loop](bool running) {
        if (!running)
            loop.quit();
    });
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    if (panel->isRunning())
        loop.exec();
    tick.stop();
    QVERIFY(!panel->isRunning());
    const QString dir = waitForReport(saved, failed, 20000);
    QVERIFY(!dir.isEmpty());
    const load::RouteStats total = m_window->lastReport()->phases.at(0).stats.total();
    const double seconds =
        double(m_window->lastReport()->phases[0].endMs - m_window->lastReport()->phases[0].startMs) / 1000.0;
    qInfo("UI thread: longest stall %lld ms during %.1f s at %.0f req/s (64 connections, closed loop)",
          longest, seconds, double(total.responses) / seconds);
    // The target is 50 ms; the assertion sits at twice that, so a noisy machine does not fail it.
    QVERIFY2(longest < 100, qPrintable(QStringLiteral("the UI thread stalled %1 ms").arg(longest)));
}

void TestWindowRun::closingDuringARunWritesItsReportFirst()
{
    ui::LoadPanel *panel = m_window->loadPanel();
    QVERIFY(panel->selectScenario(m_dir.filePath(QStringLiteral("long-run.json"))));
    QSignalSpy saved(m_window.get(), &ui::MainWindow::reportSaved);
    QSignalSpy failed(m_window.get(), &ui::MainWindow::reportFailed);
    QSignalSpy phases(m_window->runController(), &ui::RunController::phaseStarted);
    panel->startRun();
    QTRY_COMPARE(phases.count(), 1);
    QVERIFY(!m_window->close()); // refused for now: the run is stopped and its report written
    QVERIFY(m_window->isVisible());
    const QString dir = waitForReport(saved, failed, 15000);
    QVERIFY2(!dir.isEmpty(), "no report saved on close");
    QTRY_VERIFY(!m_window->isVisible()); // then it closes by itself
    for (const char *name : {"run.json", "report.html", "report.pdf", "charts/latency.png"})
        QVERIFY2(QFileInfo(dir + QLatin1Char('/') + QLatin1String(name)).isFile(), name);

    m_window.reset(); // its lab holds the data folder until it goes
    m_window = startWindow(m_dir.filePath(QStringLiteral("data")));
    QVERIFY2(m_window->isLabRunning(), qPrintable(m_window->startError()));
}

void TestWindowRun::stateAndSettingsSurviveARestart()
{
    ui::LoadPanel *panel = m_window->loadPanel();
    QVERIFY(panel->selectScenario(QStringLiteral("caching")));
    panel->setModelChoice(ui::LoadPanel::ModelChoice::Open);
    panel->setRate(777);
    auto patched = m_window->lab()->settings().patch(
        QJsonDocument::fromJson(R"({"compression": {"level": 3}, "cache": {"max_entries": 4321}})").object());
    QVERIFY(std::holds_alternative<std::shared_ptr<const settings::LabSettings>>(patched));
    m_window->settingsPanel()->showSection(QStringLiteral("database"));
    m_window->liveCharts()->setView(ui::LiveChartsPanel::View::CacheHitRate);
    QVERIFY(m_window->close());
    m_window.reset();

    m_window = startWindow(m_dir.filePath(QStringLiteral("data2")));
    QVERIFY2(m_window->isLabRunning(), qPrintable(m_window->startError()));
    panel = m_window->loadPanel();
    QCOMPARE(panel->selectedScenario(), QStringLiteral("caching"));
    QCOMPARE(panel->modelChoice(), ui::LoadPanel::ModelChoice::Open);
    QCOMPARE(panel->rate(), 777.0);
    QCOMPARE(m_window->settingsPanel()->currentSection(), QStringLiteral("database"));
    QCOMPARE(m_window->liveCharts()->view(), ui::LiveChartsPanel::View::CacheHitRate);
    QCOMPARE(m_window->lab()->settings().current()->compression.level, 3);
    QCOMPARE(m_window->lab()->settings().current()->cache.maxEntries, 4321);
    // PERFLAB_UI_SETTINGS still applies over what was saved.
    QCOMPARE(m_window->lab()->settings().current()->database.datasetUsers, test::kSmallDatasetUsers);
}

void TestWindowRun::datasetGenerationCanBeCancelled()
{
    m_window.reset();
    // A dataset big enough to take a while; the start is cancelled at its first progress.
    qputenv("PERFLAB_UI_SETTINGS",
            writeFile(m_dir, QStringLiteral("big.json"),
                      R"({"database": {"dataset_users": 3000000, "dataset_orders": 10}})")
                .toLocal8Bit());
    qputenv("PERFLAB_UI_DATA_DIR", m_dir.filePath(QStringLiteral("data3")).toLocal8Bit());
    m_window = std::make_unique<ui::MainWindow>();
    // The start runs on this thread's event loop (a coroutine): the user's click arrives from
    // it, as this timer's does.
    QTimer clicker;
    int progressSeen = 0;
    connect(&clicker, &QTimer::timeout, this, [&] {
        auto *dialog = m_window->findChild<QProgressDialog *>();
        if (dialog && dialog->value() > 0) {
            ++progressSeen;
            if (auto *cancel = dialog->findChild<QPushButton *>())
                cancel->click();
        }
    });
    clicker.start(20);
    m_window->show();
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->startError().isEmpty() || m_window->isLabRunning(), 60000);
    clicker.stop();
    QVERIFY(progressSeen > 0);
    QVERIFY2(m_window->startError().contains(QLatin1String("cancelled")), qPrintable(m_window->startError()));
    QVERIFY(!m_window->isLabRunning());

    // Lab → Start the lab server begins again (here with the small dataset).
    qputenv("PERFLAB_UI_SETTINGS", writeFile(m_dir, QStringLiteral("small.json"),
                                             QByteArray(R"({"database":)") + test::smallDatasetJson() + "}")
                                       .toLocal8Bit());
    QAction *startLab = nullptr;
    for (QAction *action : m_window->menuBar()->findChildren<QAction *>())
        if (action->text() == QLatin1String("Start the lab &server"))
            startLab = action;
    QVERIFY(startLab && startLab->isEnabled());
    startLab->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->isLabRunning() || !m_window->startError().isEmpty(), 20000);
    QVERIFY2(m_window->startError().isEmpty(), qPrintable(m_window->startError()));
    QCOMPARE(m_window->lab()->settings().current()->database.datasetUsers, test::kSmallDatasetUsers);
}

QTEST_MAIN(TestWindowRun)
#include "test_window_run.moc"

// The load panel's live load control in the desktop window (offscreen, a real lab): the
// slider is enabled only while a run goes; released at a new value it changes the open-loop
// rate at once — the controller's loadChanged, a marker on the live charts and a row in the
// events table straight away — and the report then has the phase's two segments and the
// load_changed event. With a closed loop the same control sets the connections.
#include "SmallDataset.h"

#include "ui/panels/LiveChartsPanel.h"
#include "ui/panels/LoadPanel.h"
#include "ui/panels/TablesPanel.h"
#include "ui/run/RunController.h"
#include "ui/tables/EventLogModel.h"
#include "ui/window/MainWindow.h"

#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
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

int eventRows(ui::EventLogModel *model, const QString &kind)
{
    int rows = 0;
    for (int row = 0; row < model->rowCount(); ++row)
        for (int column = 0; column < model->columnCount(); ++column)
            if (model->index(row, column).data().toString() == kind)
                ++rows;
    return rows;
}

} // namespace

class TestLiveLoadControl : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("PERFLAB_UI_SETTINGS",
                writeFile(m_dir, QStringLiteral("small.json"),
                          QByteArray(R"({"database":)") + test::smallDatasetJson() + "}")
                    .toLocal8Bit());
        qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("config")).toLocal8Bit());
        qputenv("PERFLAB_UI_DATA_DIR", m_dir.filePath(QStringLiteral("data")).toLocal8Bit());
        m_window = std::make_unique<ui::MainWindow>();
        m_window->show();
        QVERIFY(QTest::qWaitFor([&] { return m_window->isLabRunning() || !m_window->startError().isEmpty(); },
                                30000));
        QVERIFY2(m_window->isLabRunning(), qPrintable(m_window->startError()));
        m_scenario = writeFile(m_dir, QStringLiteral("live.json"), R"({
  "name": "live load",
  "load": {"model": "open", "rate": 200, "connections": 8},
  "requests": [{"method": "GET", "path": "/hello"}],
  "phases": [{"name": "live", "duration_s": 3}]
})");
    }

    void cleanupTestCase()
    {
        m_window.reset();
        qunsetenv("PERFLAB_UI_SETTINGS");
        qunsetenv("PERFLAB_UI_DATA_DIR");
    }

    void theSliderChangesTheRateWhileARunGoes()
    {
        ui::LoadPanel *panel = m_window->loadPanel();
        ui::RunController *runs = m_window->runController();
        auto *slider = panel->findChild<QSlider *>(QStringLiteral("liveLoadSlider"));
        QVERIFY(slider);
        QVERIFY(panel->selectScenario(m_scenario));
        panel->setModelChoice(ui::LoadPanel::ModelChoice::AsScenario);
        QVERIFY(!panel->isLiveLoadEnabled()); // no run: nothing to change
        QVERIFY(!slider->isEnabled());

        QSignalSpy changed(runs, &ui::RunController::loadChanged);
        QSignalSpy saved(m_window.get(), &ui::MainWindow::reportSaved);
        QTest::mouseClick(panel->findChild<QPushButton *>(QStringLiteral("startRun")), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(panel->isLiveLoadEnabled(), 10000);
        QVERIFY(slider->isEnabled());
        QVERIFY(panel->liveLoadIsRate());
        QCOMPARE(panel->liveLoadValue(), 200.0);
        QTest::qWait(1000);

        ui::LiveChartsPanel *charts = m_window->liveCharts();
        const qsizetype markersBefore = charts->markerCount();
        ui::EventLogModel *events = m_window->tablesPanel()->eventLogModel();
        panel->moveLiveLoadSlider(500);
        // At once: the change, its marker and its row.
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(2).toString(), QStringLiteral("live @ 500 req/s"));
        QCOMPARE(charts->markerCount(), markersBefore + 1);
        QCOMPARE(eventRows(events, QStringLiteral("load_changed")), 1);
        QCOMPARE(runs->currentLoad()->rate, 500.0);
        QCOMPARE(panel->liveLoadValue(), 500.0);

        // The same value again is no change.
        panel->applyLiveLoad();
        QCOMPARE(changed.count(), 1);

        QTRY_VERIFY_WITH_TIMEOUT(!saved.isEmpty(), 30000);
        QVERIFY(!panel->isLiveLoadEnabled());
        QVERIFY(m_window->lastReport().has_value());
        const report::RunReport &report = *m_window->lastReport();
        QCOMPARE(report.phases.size(), std::size_t(2));
        QCOMPARE(report.phases[0].name, QStringLiteral("live"));
        QCOMPARE(report.phases[0].model.rate, 200.0);
        QCOMPARE(report.phases[1].name, QStringLiteral("live @ 500 req/s"));
        QCOMPARE(report.phases[1].model.rate, 500.0);
        const bool inReport =
            std::any_of(report.events.begin(), report.events.end(), [](const metrics::TimeSeriesEvent &e) {
                return e.kind == QLatin1String("load_changed");
            });
        QVERIFY(inReport);
    }

    void aClosedLoopTakesConnections()
    {
        ui::LoadPanel *panel = m_window->loadPanel();
        ui::RunController *runs = m_window->runController();
        QVERIFY(panel->selectScenario(m_scenario));
        panel->setModelChoice(ui::LoadPanel::ModelChoice::Closed);
        panel->setConnections(3);
        QSignalSpy changed(runs, &ui::RunController::loadChanged);
        QSignalSpy saved(m_window.get(), &ui::MainWindow::reportSaved);
        panel->startRun();
        QTRY_VERIFY_WITH_TIMEOUT(panel->isLiveLoadEnabled(), 10000);
        QVERIFY(!panel->liveLoadIsRate());
        QCOMPARE(panel->liveLoadValue(), 3.0);
        panel->moveLiveLoadSlider(7);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(runs->currentLoad()->connections, 7);
        QCOMPARE(changed.first().at(2).toString(), QStringLiteral("live @ 7 connections"));
        QTRY_VERIFY_WITH_TIMEOUT(!saved.isEmpty(), 30000);
        panel->setModelChoice(ui::LoadPanel::ModelChoice::AsScenario);
    }

private:
    QTemporaryDir m_dir;
    QString m_scenario;
    std::unique_ptr<ui::MainWindow> m_window;
};

QTEST_MAIN(TestLiveLoadControl)
#include "test_live_load_control.moc"

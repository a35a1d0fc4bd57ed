// The window's RunController against a real lab: a two-phase run hands out its results in
// the documented order (running, started, the client sampler, each phase, snapshots and
// client rows while it goes, the report, not running), the report is the whole run, and a
// start without a lab or during a run is refused. The load panel's trust readout, fed by the
// controller alone, shows an open loop's asked and sent rates while it runs and the report's
// verdict once it ends.
#include "SmallDataset.h"

#include "engine/lab/LabServer.h"
#include "engine/report/HtmlTrust.h"
#include "engine/scenario/Scenario.h"
#include "ui/panels/TrustReadout.h"
#include "ui/run/RunController.h"

#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace perflab;

namespace {

scenario::Scenario twoShortPhases()
{
    const QByteArray json = R"({
      "name": "controller",
      "load": {"model": "closed", "connections": 2},
      "requests": [{"method": "GET", "path": "/hello"}],
      "phases": [{"name": "first", "duration_s": 0.8}, {"name": "second", "duration_s": 0.8}],
      "expect": [{"claim": "hello answers", "metric": "error_rate", "phase": "second", "at_most": 0.5}]
    })";
    auto parsed =
        scenario::parseScenario(QJsonDocument::fromJson(json).object(), QStringLiteral("controller.json"));
    Q_ASSERT(std::holds_alternative<scenario::Scenario>(parsed));
    return std::get<scenario::Scenario>(std::move(parsed));
}

scenario::Scenario openLoopPhases()
{
    const QByteArray json = R"({
      "name": "trust",
      "load": {"model": "open", "rate": 200, "connections": 4},
      "requests": [{"method": "GET", "path": "/hello"}],
      "phases": [{"name": "first", "duration_s": 1.5}, {"name": "second", "duration_s": 1.5}]
    })";
    auto parsed =
        scenario::parseScenario(QJsonDocument::fromJson(json).object(), QStringLiteral("trust.json"));
    Q_ASSERT(std::holds_alternative<scenario::Scenario>(parsed));
    return std::get<scenario::Scenario>(std::move(parsed));
}

} // namespace

class TestRunController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        lab::LabServerConfig config;
        config.server.port = 0;
        config.server.threads = 1;
        config.dataDir = m_dir.path();
        config.settings.database.datasetUsers = test::kSmallDatasetUsers;
        config.settings.database.datasetOrders = test::kSmallDatasetOrders;
        m_lab = std::make_unique<lab::LabServer>(config);
        QVERIFY(!m_lab->start());
    }
    void cleanupTestCase() { m_lab.reset(); }

    void aStartWithoutALabIsRefused()
    {
        ui::RunController runs;
        QSignalSpy running(&runs, &ui::RunController::runningChanged);
        QVERIFY(!runs.start(twoShortPhases(), 1.0, QStringLiteral("controller")));
        QCOMPARE(running.count(), 0);
        QVERIFY(!runs.isRunning());
    }

    void signalsComeInOrder()
    {
        ui::RunController runs;
        QSignalSpy labChanged(&runs, &ui::RunController::labChanged);
        runs.setLab(m_lab.get());
        QCOMPARE(labChanged.count(), 1);
        QVERIFY(runs.hasLab());

        QStringList order;
        int clientRows = 0;
        int snapshots = 0;
        std::shared_ptr<const report::RunReport> report;
        std::shared_ptr<const load::LoadSnapshot> lastSnapshot;
        connect(&runs, &ui::RunController::runningChanged, this,
                [&](bool on) { order << (on ? QStringLiteral("running") : QStringLiteral("stopped")); });
        connect(&runs, &ui::RunController::started, this, [&](const QString &id, double totalS, int phases) {
            order << QStringLiteral("started %1 %2 s %3 phases").arg(id).arg(totalS).arg(phases);
        });
        connect(&runs, &ui::RunController::clientSamplerStarted, this,
                [&](const metrics::SampleSchema &schema) {
                    order << QStringLiteral("client sampler");
                    QVERIFY(schema.indexOf(QStringLiteral("requests")) >= 0);
                });
        connect(&runs, &ui::RunController::phaseStarted, this, [&](int index, const QString &name) {
            order << QStringLiteral("phase %1 %2").arg(index).arg(name);
        });
        connect(&runs, &ui::RunController::clientSample, this,
                [&](const metrics::Sample &) { ++clientRows; });
        connect(&runs, &ui::RunController::snapshotAvailable, this,
                [&](std::shared_ptr<const load::LoadSnapshot> snapshot, double) {
                    ++snapshots;
                    lastSnapshot = std::move(snapshot);
                });
        connect(&runs, &ui::RunController::finished, this,
                [&](std::shared_ptr<const report::RunReport> finished, const QString &id, bool cancelled) {
                    order << QStringLiteral("finished %1%2")
                                 .arg(id, cancelled ? QStringLiteral(" (cancelled)") : QString());
                    report = std::move(finished);
                });
        connect(&runs, &ui::RunController::claimsEvaluated, this,
                [&](std::shared_ptr<const std::vector<report::ClaimResult>> claims) {
                    order << QStringLiteral("claims %1").arg(claims->size());
                });
        connect(&runs, &ui::RunController::failed, this,
                [&](const QString &message) { order << QStringLiteral("failed ") + message; });

        QVERIFY(runs.start(twoShortPhases(), 1.0, QStringLiteral("controller")));
        QVERIFY(runs.isRunning());
        QVERIFY(!runs.start(twoShortPhases(), 1.0, QStringLiteral("again"))); // one run at a time
        QTRY_VERIFY_WITH_TIMEOUT(!runs.isRunning(), 15000);

        const QStringList expected = {QStringLiteral("running"),
                                      QStringLiteral("started controller 1.6 s 2 phases"),
                                      QStringLiteral("client sampler"),
                                      QStringLiteral("phase 0 first"),
                                      QStringLiteral("phase 1 second"),
                                      QStringLiteral("claims 1"),
                                      QStringLiteral("finished controller"),
                                      QStringLiteral("stopped")};
        QCOMPARE(order, expected);
        QVERIFY2(clientRows >= 5, qPrintable(QString::number(clientRows)));
        QVERIFY2(snapshots >= 2, qPrintable(QString::number(snapshots)));
        QVERIFY(lastSnapshot);
        QVERIFY(report);
        QCOMPARE(report->phases.size(), std::size_t(2));
        QVERIFY(report->phases[0].stats.total().responses > 0);
        QVERIFY(report->phases[1].stats.total().responses > 0);
        QCOMPARE(report->claims.size(), std::size_t(1));
        QCOMPARE(report->claims[0].status, report::ClaimStatus::Verified);
    }

    void theTrustReadoutFollowsTheRun()
    {
        ui::RunController runs;
        runs.setLab(m_lab.get());
        ui::TrustReadout readout(runs);
        QCOMPARE(readout.verdictText(), QStringLiteral("No run yet."));
        std::shared_ptr<const report::RunReport> report;
        connect(&runs, &ui::RunController::finished, this,
                [&](std::shared_ptr<const report::RunReport> finished) { report = std::move(finished); });
        QVERIFY(runs.start(openLoopPhases(), 1.0, QStringLiteral("trust")));
        // While it runs: the phase's asked rate beside what was sent, the lag, the thread's CPU.
        QTRY_VERIFY_WITH_TIMEOUT(readout.askedText().startsWith(QStringLiteral("200 / ")), 5000);
        QVERIFY2(readout.askedText().endsWith(QStringLiteral("%)")), qPrintable(readout.askedText()));
        QVERIFY2(readout.sendLagText().endsWith(QStringLiteral("ms (bound 10 ms)")),
                 qPrintable(readout.sendLagText()));
        QVERIFY2(readout.cpuText().contains(QStringLiteral("% of a core")), qPrintable(readout.cpuText()));
        QVERIFY(!readout.verdictText().isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!runs.isRunning(), 15000);
        // Once it ends: what the report says for the whole run.
        QVERIFY(report);
        QCOMPARE(readout.verdictText(),
                 QStringLiteral("The run's load generator %1.").arg(report::trustSummaryText(*report)));
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<lab::LabServer> m_lab;
};

QTEST_MAIN(TestRunController)
#include "test_run_controller.moc"

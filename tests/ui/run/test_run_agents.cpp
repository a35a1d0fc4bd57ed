// The window's runs on load agents: with RunController::setAgents, a scenario started from the
// window waits for two agents (in this process, against the test command's Redis), its
// progress reaches the status bar's signal, the live charts get the agents' merged samples and
// the live snapshots their generator figures (asked, sent, each agent's thread),
// and the report has each agent's part with the merge equal to their sum. The Load agents
// dialog refuses a bad Redis URL and gives back what was chosen.
#include "RedisProcess.h"
#include "SmallDataset.h"

#include "engine/agents/LoadAgent.h"
#include "engine/lab/LabServer.h"
#include "engine/redis/RedisUrl.h"
#include "engine/scenario/Scenario.h"
#include "ui/run/AgentsDialog.h"
#include "ui/run/RunController.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QJsonDocument>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <stop_token>

using namespace perflab;

namespace {

// The test command's Redis, on a database of its own (6), so that no other agent joins.
QString redisUrl()
{
    return test::sharedRedisUrl(6);
}

scenario::Scenario openLoopPhases()
{
    const QByteArray json = R"({
      "name": "agents from the window",
      "load": {"model": "open", "rate": 300, "connections": 8},
      "requests": [{"method": "GET", "path": "/hello"}],
      "phases": [{"name": "first", "duration_s": 1.5}, {"name": "second", "duration_s": 1.5}]
    })";
    auto parsed =
        scenario::parseScenario(QJsonDocument::fromJson(json).object(), QStringLiteral("agents.json"));
    Q_ASSERT(std::holds_alternative<scenario::Scenario>(parsed));
    return std::get<scenario::Scenario>(std::move(parsed));
}

QCoro::Task<> serveAgent(agents::LoadAgent &agent, std::stop_token stop)
{
    auto serving = agent.serve(stop);
    co_await std::move(serving);
}

} // namespace

class TestRunAgents : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aRunFromTheWindowGoesToTheAgents()
    {
        QTemporaryDir dir;
        lab::LabServerConfig config;
        config.server.port = 0;
        config.server.threads = 1;
        config.dataDir = dir.path();
        config.settings.database.datasetUsers = test::kSmallDatasetUsers;
        config.settings.database.datasetOrders = test::kSmallDatasetOrders;
        lab::LabServer lab(config);
        QVERIFY(!lab.start());
        std::stop_source stopAgents;
        std::vector<std::unique_ptr<agents::LoadAgent>> team;
        for (int i = 1; i <= 2; ++i) {
            agents::LoadAgentOptions options;
            options.redis = *redis::parseRedisUrl(redisUrl()).url;
            options.name = QStringLiteral("w%1").arg(i);
            team.push_back(std::make_unique<agents::LoadAgent>(options));
            serveAgent(*team.back(), stopAgents.get_token());
        }
        ui::RunController runs;
        runs.setLab(&lab);
        runs.setAgents(ui::AgentsChoice{redisUrl(), 2});
        QSignalSpy lines(&runs, &ui::RunController::progressLine);
        QSignalSpy samplerStarted(&runs, &ui::RunController::clientSamplerStarted);
        QSignalSpy samples(&runs, &ui::RunController::clientSample);
        QSignalSpy snapshots(&runs, &ui::RunController::snapshotAvailable);
        QSignalSpy finished(&runs, &ui::RunController::finished);
        QSignalSpy failed(&runs, &ui::RunController::failed);
        QVERIFY(runs.start(openLoopPhases(), 1.0, QStringLiteral("agents")));
        QVERIFY2(finished.wait(40'000),
                 failed.isEmpty() ? "no end" : qPrintable(failed.first().first().toString()));
        stopAgents.request_stop();

        QStringList said;
        for (const auto &line : lines)
            said << line.first().toString();
        QVERIFY2(said.filter(QStringLiteral("waiting for 2 agents")).size() == 1,
                 qPrintable(said.join(u'\n')));
        QVERIFY2(said.filter(QStringLiteral("joined (2 of 2)")).size() == 1, qPrintable(said.join(u'\n')));
        QCOMPARE(samplerStarted.count(), 1);
        // The report: each agent's part, and the merge equal to their sum.
        const auto report = finished.first().first().value<std::shared_ptr<const report::RunReport>>();
        QCOMPARE(report->phases.size(), std::size_t(2));
        for (const report::PhaseReport &phase : report->phases) {
            QCOMPARE(phase.agents.size(), std::size_t(2));
            QCOMPARE(phase.stats.total().responses,
                     phase.agents[0].total.responses + phase.agents[1].total.responses);
            QVERIFY(phase.agents[0].total.responses > 100 && phase.agents[1].total.responses > 100);
        }
        QVERIFY(samples.count() > 10);
        // The live snapshots carry the agents' own generator figures (the trust readout's):
        // what was asked and sent, and every agent's client thread.
        QVERIFY(snapshots.count() > 2);
        const auto live = snapshots.last().first().value<std::shared_ptr<const load::LoadSnapshot>>();
        QVERIFY2(
            live->generator.asked > 100 && live->generator.sent > 100,
            qPrintable(
                QStringLiteral("asked %1, sent %2").arg(live->generator.asked).arg(live->generator.sent)));
        QCOMPARE(live->generator.threads.size(), std::size_t(2));
        QVERIFY(live->generator.elapsedNs > 1'000'000'000);
        QTest::qWait(1200); // the agents' coroutines see the stop
    }

    void theDialogRefusesABadUrlAndGivesBackTheChoice()
    {
        ui::AgentsDialog dialog(std::nullopt);
        auto *enabled = dialog.findChild<QCheckBox *>();
        auto *url = dialog.findChild<QLineEdit *>();
        auto *count = dialog.findChild<QSpinBox *>();
        auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        QVERIFY(enabled && url && count && ok);
        QVERIFY(!enabled->isChecked());
        QVERIFY(!dialog.choice());
        enabled->setChecked(true);
        url->setText(QStringLiteral("http://not-redis"));
        QVERIFY(!ok->isEnabled());
        url->setText(QStringLiteral("redis://10.0.0.5:6379/0"));
        QVERIFY(ok->isEnabled());
        count->setValue(4);
        const auto choice = dialog.choice();
        QVERIFY(choice);
        QCOMPARE(choice->redisUrl, QStringLiteral("redis://10.0.0.5:6379/0"));
        QCOMPARE(choice->count, 4);
    }
};

QTEST_MAIN(TestRunAgents)
#include "test_run_agents.moc"

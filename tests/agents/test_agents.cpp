// Load agents on loopback against the test command's Redis (PERFLAB_TEST_REDIS_URL) and the
// embedded lab:
//  - three agents in this process: each phase's merged request count is the sum of the
//    agents' counts exactly; the merged histograms, over the phases, are bucket for bucket the
//    sum of what each agent's own engine recorded (so the same p99 as one histogram of every
//    sample); the asked total rate is met within 2 %; a malformed report pushed into the run's
//    stream is rejected and reported while the run goes on;
//  - too few agents: the run fails naming how many joined;
//  - `perflab agent` processes and `perflab run --agents ... --require-all-agents`, one agent
//    SIGKILLed mid-run: the run exits 3 naming it, run.json marks it lost with its share.
#include "HistogramAssertions.h"
#include "RedisProcess.h"
#include "SmallDataset.h"

#include "engine/agents/AgentCoordinator.h"
#include "engine/agents/AgentKeys.h"
#include "engine/agents/LoadAgent.h"
#include "engine/redis/RedisConnection.h"
#include "engine/scenario/Scenario.h"
#include "engine/scenario/ScenarioRunner.h"

#include <QCoroTask>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>
#include <stop_token>

using namespace perflab;

namespace {

// The test command's Redis, on a database of its own (5): agents anyone else started on it
// (other suites, a developer's) wait in database 0 and cannot join these runs.
constexpr int kRedisDatabase = 5;

redis::RedisUrl testRedis()
{
    const auto parsed = redis::parseRedisUrl(test::sharedRedisUrl(kRedisDatabase));
    if (!parsed.url)
        qFatal("PERFLAB_TEST_REDIS_URL: %s", qPrintable(parsed.error));
    return *parsed.url;
}

// Two open-loop phases with different rates on /hello and a database read.
QJsonObject scenarioDocument(double phaseS, double rate1, double rate2)
{
    const QJsonObject small = QJsonDocument::fromJson(test::smallDatasetJson()).object();
    auto open = [](double rate) {
        return QJsonObject{{QStringLiteral("model"), QStringLiteral("open")},
                           {QStringLiteral("rate"), rate},
                           {QStringLiteral("connections"), 24}};
    };
    return QJsonObject{
        {QStringLiteral("name"), QStringLiteral("agents")},
        {QStringLiteral("settings"), QJsonObject{{QStringLiteral("database"), small}}},
        {QStringLiteral("requests"),
         QJsonArray{
             QJsonObject{{QStringLiteral("path"), QStringLiteral("/hello")}, {QStringLiteral("weight"), 3}},
             QJsonObject{{QStringLiteral("path"), QStringLiteral("/users/{uniform:1..2000}")}}}},
        {QStringLiteral("load"), open(rate1)},
        {QStringLiteral("phases"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("slow")},
                                                          {QStringLiteral("duration_s"), phaseS}},
                                              QJsonObject{{QStringLiteral("name"), QStringLiteral("fast")},
                                                          {QStringLiteral("duration_s"), phaseS},
                                                          {QStringLiteral("load"), open(rate2)}}}},
    };
}

scenario::Scenario parsed(const QJsonObject &document)
{
    auto result = scenario::parseScenario(document, QStringLiteral("agents.json"));
    if (auto *error = std::get_if<scenario::ScenarioError>(&result))
        qFatal("%s", qPrintable(error->toString()));
    return std::get<scenario::Scenario>(std::move(result));
}

QCoro::Task<> serveAgent(agents::LoadAgent &agent, std::stop_token stop)
{
    auto serving = agent.serve(stop);
    co_await std::move(serving);
}

QCoro::Task<> pushGarbage(redis::RedisConnection &connection, QByteArray key)
{
    auto adding = connection.command({QByteArrayLiteral("XADD"), key, QByteArrayLiteral("*"),
                                      QByteArrayLiteral("interval"),
                                      QByteArrayLiteral("{\"agent\":\"a1\",\"seq\":1e300,\"phase\":0}")});
    co_await std::move(adding);
}

} // namespace

class TestAgents : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void threeAgentsMergeExactly()
    {
        QTemporaryDir data;
        const double phaseS = 3.0;
        const double rates[] = {450.0, 900.0};
        std::vector<std::unique_ptr<agents::LoadAgent>> team;
        std::stop_source stopAgents;
        for (int i = 1; i <= 3; ++i) {
            agents::LoadAgentOptions options;
            options.redis = testRedis();
            options.name = QStringLiteral("a%1").arg(i);
            team.push_back(std::make_unique<agents::LoadAgent>(options));
            serveAgent(*team.back(), stopAgents.get_token());
        }
        agents::AgentCoordinatorOptions coordinatorOptions;
        coordinatorOptions.redis = testRedis();
        coordinatorOptions.agentCount = 3;
        coordinatorOptions.joinTimeout = std::chrono::seconds(20);
        agents::AgentCoordinator coordinator(coordinatorOptions);
        scenario::RunOptions options;
        options.dataDir = data.path();
        options.remoteLoad = &coordinator;
        scenario::ScenarioRunner runner(parsed(scenarioDocument(phaseS, rates[0], rates[1])), options);
        QSignalSpy finished(&runner, &scenario::ScenarioRunner::finished);
        QSignalSpy failed(&runner, &scenario::ScenarioRunner::failed);
        // Mid-run, someone writes a report that is not one: rejected, reported, the run goes on.
        redis::RedisConnectionOptions garbageOptions;
        garbageOptions.url = testRedis();
        redis::RedisConnection garbage(garbageOptions);
        QObject::connect(&runner, &scenario::ScenarioRunner::phaseStarted, &runner, [&](int index) {
            if (index == 1)
                pushGarbage(garbage, agents::runKey(coordinator.runId(), "intervals"));
        });
        runner.start();
        QVERIFY2(finished.wait(60'000) || !failed.isEmpty(), "the run did not end within 60 s");
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        stopAgents.request_stop();
        // The run is over: the coordinator no longer samples the merge (nor polls Redis).
        QVERIFY(!coordinator.sampler().isRunning());

        const report::RunReport &report = runner.report();
        QCOMPARE(report.phases.size(), std::size_t(2));
        QVERIFY(!report.agentLost);
        QVERIFY2(report.agentProblems.size() == 1 &&
                     report.agentProblems.first().contains(
                         QStringLiteral("malformed agent report was rejected")) &&
                     report.agentProblems.first().contains(QStringLiteral("seq")),
                 qPrintable(report.agentProblems.join(QStringLiteral(" | "))));
        // Per phase: the merge counts exactly what the agents counted, and meets the asked rate.
        for (std::size_t p = 0; p < report.phases.size(); ++p) {
            const report::PhaseReport &phase = report.phases[p];
            QCOMPARE(phase.agents.size(), std::size_t(3));
            std::uint64_t responses = 0;
            double sent = 0;
            metrics::LatencyHistogram agentsHistograms;
            for (const report::AgentReport &agent : phase.agents) {
                QVERIFY(!agent.lost);
                QVERIFY(agent.total.responses > 0);
                QVERIFY(qFuzzyCompare(agent.share, 1.0 / 3));
                responses += agent.total.responses;
                sent += double(agent.generator.sent);
                agentsHistograms.add(agent.total.corrected);
            }
            const load::RouteStats total = phase.stats.total();
            QCOMPARE(total.responses, responses);
            QCOMPARE(perflab::test::bucketDifference(total.corrected, agentsHistograms), QString());
            QCOMPARE(phase.stats.generator.sent, std::uint64_t(sent));
            const double seconds = double(phase.endMs - phase.startMs) / 1000.0;
            QVERIFY2(std::abs(seconds - phaseS) < 0.01, qPrintable(QString::number(seconds)));
            const double achieved = sent / phaseS;
            QVERIFY2(std::abs(achieved / rates[p] - 1.0) <= 0.02,
                     qPrintable(QStringLiteral("phase %1: %2 req/s sent for %3 asked")
                                    .arg(p)
                                    .arg(achieved)
                                    .arg(rates[p])));
        }
        // Over the run: the merge equals every agent's own engine's record, bucket for bucket.
        for (std::size_t r = 0; r < 2; ++r) {
            metrics::LatencyHistogram merged;
            std::uint64_t mergedResponses = 0;
            for (const report::PhaseReport &phase : report.phases) {
                merged.add(phase.stats.routes[r].corrected);
                mergedResponses += phase.stats.routes[r].responses;
            }
            metrics::LatencyHistogram recorded;
            std::uint64_t recordedResponses = 0;
            for (const auto &agent : team) {
                QCOMPARE(agent->runsDone(), 1);
                recorded.add(agent->lastRunTotals().routes[r].corrected);
                recordedResponses += agent->lastRunTotals().routes[r].responses;
            }
            QCOMPARE(mergedResponses, recordedResponses);
            QCOMPARE(perflab::test::bucketDifference(merged, recorded), QString());
            QCOMPARE(merged.valueAtPercentile(99), recorded.valueAtPercentile(99));
            QCOMPARE(merged.valueAtPercentile(50), recorded.valueAtPercentile(50));
        }
        // Let the agents' coroutines see the stop before the objects go.
        QTest::qWait(1500);
    }

    void tooFewAgentsFailsSayingSo()
    {
        QTemporaryDir data;
        agents::AgentCoordinatorOptions coordinatorOptions;
        coordinatorOptions.redis = testRedis();
        coordinatorOptions.agentCount = 2;
        coordinatorOptions.joinTimeout = std::chrono::seconds(1);
        agents::AgentCoordinator coordinator(coordinatorOptions);
        scenario::RunOptions options;
        options.dataDir = data.path();
        options.remoteLoad = &coordinator;
        scenario::ScenarioRunner runner(parsed(scenarioDocument(1, 100, 100)), options);
        QSignalSpy failed(&runner, &scenario::ScenarioRunner::failed);
        runner.start();
        QVERIFY(failed.wait(20'000));
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("only 0 of 2 agents joined within 1 s")),
                 qPrintable(message));
    }

    void killedAgentIsReported()
    {
        QTemporaryDir dir;
        const QString redisUrl = test::sharedRedisUrl(kRedisDatabase);
        std::vector<std::unique_ptr<QProcess>> agentProcesses;
        for (int i = 1; i <= 3; ++i) {
            auto process = std::make_unique<QProcess>();
            process->setProcessChannelMode(QProcess::MergedChannels);
            process->start(QStringLiteral(PERFLAB_BINARY),
                           {QStringLiteral("agent"), QStringLiteral("--redis"), redisUrl,
                            QStringLiteral("--name"), QStringLiteral("k%1").arg(i)});
            QVERIFY(process->waitForStarted());
            agentProcesses.push_back(std::move(process));
        }
        QFile file(dir.filePath(QStringLiteral("scenario.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(scenarioDocument(3, 300, 300)).toJson());
        file.close();
        QProcess run;
        run.start(QStringLiteral(PERFLAB_BINARY),
                  {QStringLiteral("run"), file.fileName(), QStringLiteral("--agents"), redisUrl,
                   QStringLiteral("--agent-count"), QStringLiteral("3"),
                   QStringLiteral("--require-all-agents"), QStringLiteral("--out"),
                   dir.filePath(QStringLiteral("report")), QStringLiteral("--data-dir"),
                   dir.filePath(QStringLiteral("data"))});
        QVERIFY(run.waitForStarted());
        // Kill k2 once the second phase has begun (the run prints each phase's start).
        QByteArray output;
        QElapsedTimer clock;
        clock.start();
        while (!output.contains("phase 2/2") && clock.elapsed() < 60'000) {
            run.waitForReadyRead(200);
            output += run.readAllStandardError() + run.readAllStandardOutput();
        }
        QVERIFY2(output.contains("phase 2/2"), output.constData());
        QTest::qWait(500);
        ::kill(pid_t(agentProcesses[1]->processId()), SIGKILL);
        QVERIFY(run.waitForFinished(60'000));
        output += run.readAllStandardError() + run.readAllStandardOutput();
        QCOMPARE(run.exitCode(), 3);
        QVERIFY2(output.contains("agent 'k2' stopped reporting") && output.contains("--require-all-agents"),
                 output.constData());
        QFile json(dir.filePath(QStringLiteral("report/run.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QJsonObject document = QJsonDocument::fromJson(json.readAll()).object();
        QVERIFY(document.value(QStringLiteral("agent_lost")).toBool());
        const QJsonArray phases = document.value(QStringLiteral("phases")).toArray();
        QCOMPARE(phases.size(), 2);
        for (qsizetype p = 0; p < 2; ++p) {
            for (const QJsonValue agent : phases[p].toObject().value(QStringLiteral("agents")).toArray()) {
                const bool isK2 =
                    agent.toObject().value(QStringLiteral("name")).toString() == QLatin1String("k2");
                QCOMPARE(agent.toObject().value(QStringLiteral("lost")).toBool(), isK2 && p == 1);
            }
        }
        for (auto &process : agentProcesses) {
            process->terminate();
            QVERIFY(process->waitForFinished(10'000));
        }
        // The other agents kept serving and stop cleanly on SIGTERM.
        QCOMPARE(agentProcesses[0]->exitCode(), 0);
        QVERIFY2(agentProcesses[0]->readAll().contains("done"), "agent k1 did not finish its run");
    }
};

QTEST_GUILESS_MAIN(TestAgents)
#include "test_agents.moc"

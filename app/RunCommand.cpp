// See RunCommand.h.
#include "RunCommand.h"

#include "LiveFigures.h"
#include "ProgressLine.h"
#include "SignalWatcher.h"
#include "engine/agents/AgentCoordinator.h"
#include "engine/agents/AgentPlanJson.h"
#include "engine/lab/AdminToken.h"
#include "engine/load/GeneratorTrust.h"
#include "engine/net/MaskedUrl.h"
#include "engine/redis/RedisUrl.h"
#include "engine/report/ClaimText.h"
#include "engine/report/ReportWriter.h"
#include "engine/report/TrustReport.h"
#include "engine/scenario/LoadControlServer.h"
#include "engine/scenario/ScenarioRunner.h"
#include "ui/report/RenderedCharts.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTimer>

#include <cstdio>

namespace perflab::app {

std::variant<RunCommandOptions, UsageError> parseRunOptions(const QStringList &args)
{
    RunCommandOptions options;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString &flag = args[i];
        auto value = [&]() -> QString { return i + 1 < args.size() ? args[++i] : QString(); };
        if (flag == QLatin1String("--control-port")) {
            const QString text = value();
            const auto port = parseInteger(text, 0, 65535);
            if (!port)
                return UsageError{
                    QStringLiteral("run: --control-port expects a port 0..65535 (0: any free one), got '%1'")
                        .arg(text)};
            options.controlPort = int(*port);
            continue;
        }
        if (flag == QLatin1String("--target")) {
            options.target = value();
            if (!options.target.startsWith(QLatin1String("http://")))
                return UsageError{QStringLiteral("run: --target expects an http:// URL, got '%1'")
                                      .arg(net::maskedUrl(options.target))};
        } else if (flag == QLatin1String("--out")) {
            options.outDir = value();
            if (options.outDir.isEmpty())
                return UsageError{QStringLiteral("run: --out expects a folder for the report")};
        } else if (flag == QLatin1String("--scale")) {
            const QString text = value();
            bool ok = false;
            options.scale = text.toDouble(&ok);
            if (!ok || !(options.scale > 0) || options.scale > 1000)
                return UsageError{
                    QStringLiteral("run: --scale expects a number > 0 (e.g. 0.1), got '%1'").arg(text)};
        } else if (flag == QLatin1String("--threads")) {
            const QString text = value();
            const auto threads = parseInteger(text, 1, 64);
            if (!threads)
                return UsageError{
                    QStringLiteral("run: --threads expects an integer 1..64, got '%1'").arg(text)};
            options.threads = int(*threads);
        } else if (flag == QLatin1String("--data-dir")) {
            options.dataDir = value();
            if (options.dataDir.isEmpty())
                return UsageError{QStringLiteral("run: --data-dir expects a folder for the lab's files")};
        } else if (flag == QLatin1String("--admin-token")) {
            options.adminToken = value();
            if (!lab::isWellFormedAdminToken(options.adminToken))
                return UsageError{
                    QStringLiteral("run: --admin-token expects the target's admin token (as `perflab serve` "
                                   "printed it or was given it)")};
        } else if (flag == QLatin1String("--agents")) {
            options.agentsRedisUrl = value();
            if (!redis::parseRedisUrl(options.agentsRedisUrl).url)
                return UsageError{QStringLiteral("run: --agents expects redis://host[:port][/db], got '%1'")
                                      .arg(net::maskedUrl(options.agentsRedisUrl))};
        } else if (flag == QLatin1String("--agent-count")) {
            const QString text = value();
            const auto count = parseInteger(text, 1, agents::kMaxAgents);
            if (!count)
                return UsageError{QStringLiteral("run: --agent-count expects an integer 1..%1, got '%2'")
                                      .arg(agents::kMaxAgents)
                                      .arg(text)};
            options.agentCount = int(*count);
        } else if (flag == QLatin1String("--agent-wait-s")) {
            const QString text = value();
            const auto seconds = parseInteger(text, 1, 86'400);
            if (!seconds)
                return UsageError{
                    QStringLiteral("run: --agent-wait-s expects seconds 1..86400, got '%1'").arg(text)};
            options.agentWaitS = int(*seconds);
        } else if (flag == QLatin1String("--require-all-agents")) {
            options.requireAllAgents = true;
        } else if (flag.startsWith(QLatin1String("--")) || !options.scenario.isEmpty()) {
            return UsageError{QStringLiteral("run: unknown argument '%1'").arg(net::maskedUrl(flag))};
        } else {
            options.scenario = flag;
        }
    }
    if (options.scenario.isEmpty())
        return UsageError{QStringLiteral(
            "run: expects a scenario file or a built-in scenario id (see `perflab scenarios`)")};
    if (!options.agentsRedisUrl.isEmpty() && options.agentCount == 0)
        return UsageError{
            QStringLiteral("run: --agents needs --agent-count N, the number of agents to wait for")};
    if (options.agentsRedisUrl.isEmpty() && (options.agentCount != 0 || options.requireAllAgents))
        return UsageError{
            QStringLiteral("run: --agent-count and --require-all-agents go with --agents redis://host:port")};
    return options;
}

namespace {

// A run on agents: each agent's part of each phase, and whether it kept up.
void printAgents(const report::RunReport &report)
{
    bool header = false;
    for (const report::PhaseReport &phase : report.phases) {
        const double seconds = std::max(0.001, double(phase.endMs - phase.startMs) / 1000.0);
        for (const report::AgentReport &agent : phase.agents) {
            if (!header)
                std::printf("%-28s %-20s %7s %10s %10s %10s %8s  %s\n", "agent", "phase", "share", "requests",
                            "req/s", "p99 ms", "errors", "verdict");
            header = true;
            const load::GeneratorTrust trust = load::assessGenerator(agent.generator);
            std::printf("%-28s %-20s %6.1f%% %10llu %10.1f %10.2f %8llu  %s\n",
                        qPrintable(agent.name.left(28)), qPrintable(phase.name.left(20)), 100.0 * agent.share,
                        static_cast<unsigned long long>(agent.total.responses),
                        double(agent.total.responses) / seconds,
                        double(agent.total.corrected.valueAtPercentile(99)) / 1000.0,
                        static_cast<unsigned long long>(agent.total.errorCount()),
                        agent.lost ? "LOST" : qPrintable(load::trustVerdictWord(trust)));
        }
    }
    for (const QString &problem : report.agentProblems)
        std::printf("agents: %s\n", qPrintable(problem));
}

void printSummary(const report::RunReport &report)
{
    std::printf("%-28s %10s %10s %8s %10s %10s %10s %12s\n", "phase", "requests", "req/s", "errors", "p50 ms",
                "p99 ms", "max ms", "p99 uncorr.");
    for (const report::PhaseReport &phase : report.phases) {
        const load::RouteStats total = phase.stats.total();
        const double seconds = std::max(0.001, double(phase.endMs - phase.startMs) / 1000.0);
        std::printf("%-28s %10llu %10.1f %8llu %10.2f %10.2f %10.2f %12.2f\n",
                    qPrintable(phase.name.left(28)), static_cast<unsigned long long>(total.responses),
                    double(total.responses) / seconds, static_cast<unsigned long long>(total.errorCount()),
                    double(total.corrected.valueAtPercentile(50)) / 1000.0,
                    double(total.corrected.valueAtPercentile(99)) / 1000.0,
                    double(total.corrected.max()) / 1000.0,
                    double(total.uncorrected.valueAtPercentile(99)) / 1000.0);
    }
    // Whether each phase's figures are the server's: what the generator measured about itself.
    std::printf("%-28s %10s %10s %7s %10s %9s %12s  %s\n", "generator", "asked/s", "sent/s", "sent %",
                "lag p99 ms", "bound ms", "busiest CPU", "verdict");
    for (const report::PhaseReport &phase : report.phases) {
        const load::GeneratorTrust trust = load::assessGenerator(phase.stats.generator);
        const int busiest = trust.busiestThread();
        const QString cpu = busiest < 0
                                ? QStringLiteral("-")
                                : QStringLiteral("#%1 %2 %")
                                      .arg(busiest)
                                      .arg(100.0 * trust.threads[std::size_t(busiest)].busy(), 0, 'f', 1);
        if (trust.openLoop)
            std::printf("%-28s %10.1f %10.1f %7.1f %10.2f %9.2f %12s  %s\n", qPrintable(phase.name.left(28)),
                        trust.askedPerS, trust.achievedPerS, 100.0 * trust.achievedShare, trust.sendLagP99Ms,
                        trust.sendLagBoundMs, qPrintable(cpu), qPrintable(load::trustVerdictWord(trust)));
        else
            std::printf("%-28s %10s %10.1f %7s %10s %9s %12s  %s\n", qPrintable(phase.name.left(28)),
                        "closed", trust.achievedPerS, "-", "-", "-", qPrintable(cpu),
                        qPrintable(load::trustVerdictWord(trust)));
        if (trust.generatorLimited)
            std::printf("  %s: %s\n", qPrintable(phase.name), qPrintable(load::trustVerdictText(trust)));
    }
    printAgents(report);
    for (const report::ThresholdResult &threshold : report.thresholds)
        std::printf("threshold %-10s %s: %.4g %s %.4g\n", qPrintable(threshold.name),
                    threshold.passed ? "passed" : "FAILED", threshold.actual,
                    threshold.name == QLatin1String("min_rps") ? ">=" : "<=", threshold.limit);
    for (const report::ClaimResult &claim : report.claims)
        std::printf("%s\n", qPrintable(report::claimLine(claim)));
}

} // namespace

int runScenarioCommand(const RunCommandOptions &options)
{
    const QString path = scenario::resolveScenarioPath(options.scenario);
    auto loaded = scenario::loadScenarioFile(path);
    if (auto *error = std::get_if<scenario::ScenarioError>(&loaded)) {
        std::fprintf(stderr, "perflab run: %s\n", qPrintable(error->toString()));
        return ExitBadInput;
    }
    auto adminToken = adminTokenFrom(QStringLiteral("run"), options.adminToken);
    if (auto *error = std::get_if<UsageError>(&adminToken)) {
        std::fprintf(stderr, "perflab %s\n", qPrintable(error->message));
        return ExitBadInput;
    }
    scenario::RunOptions runOptions;
    runOptions.targetOverride = options.target;
    runOptions.adminToken = std::get<QString>(adminToken);
    runOptions.scale = options.scale;
    runOptions.loadThreads = options.threads;
    runOptions.dataDir = options.dataDir;
    // In a terminal: the run's lines go above a progress line that follows the current phase.
    ProgressLine progress(true);
    const int phaseCount = int(std::get<scenario::Scenario>(loaded).phases.size());
    runOptions.progress = [&progress](const QString &line) {
        progress.printAbove(QStringLiteral("perflab run: ") + line);
    };
    std::unique_ptr<agents::AgentCoordinator> coordinator;
    if (!options.agentsRedisUrl.isEmpty()) {
        agents::AgentCoordinatorOptions agentOptions;
        agentOptions.redis = *redis::parseRedisUrl(options.agentsRedisUrl).url;
        agentOptions.agentCount = options.agentCount;
        agentOptions.joinTimeout = std::chrono::seconds(options.agentWaitS);
        coordinator = std::make_unique<agents::AgentCoordinator>(agentOptions);
        runOptions.remoteLoad = coordinator.get();
    }
    scenario::ScenarioRunner runner(std::get<scenario::Scenario>(std::move(loaded)), runOptions);
    // The load changed over HTTP while the run goes (README: Changing the load while it runs).
    std::unique_ptr<scenario::LoadControlServer> control;
    if (options.controlPort >= 0) {
        control = std::make_unique<scenario::LoadControlServer>(runner);
        if (auto error = control->start(quint16(options.controlPort))) {
            std::fprintf(stderr, "perflab run: --control-port %d: %s\n", options.controlPort,
                         qPrintable(*error));
            return ExitRuntimeFailure;
        }
        std::printf("load control: %s\n", qPrintable(control->url()));
        std::fflush(stdout);
    }
    LiveFigures live;
    struct CurrentPhase
    {
        int index = -1;
        QString name;
        double durationS = 0;
        QElapsedTimer clock;
    } phase;
    QTimer progressTimer;
    if (progress.isEnabled()) {
        QObject::connect(&runner, &scenario::ScenarioRunner::phaseStarted, &runner,
                         [&](int index, const QString &name, double durationS) {
                             phase.index = index;
                             phase.name = name;
                             phase.durationS = durationS;
                             phase.clock.start();
                             live.begin(runner.loadSnapshot());
                         });
        QObject::connect(&progressTimer, &QTimer::timeout, &runner, [&] {
            if (phase.index < 0 || !runner.isLoadRunning())
                return;
            const double elapsedS = double(phase.clock.elapsed()) / 1000.0;
            progress.show(QStringLiteral("phase %1/%2 %3 %4 s, %5 s left | %6")
                              .arg(phase.index + 1)
                              .arg(phaseCount)
                              .arg(phase.name.left(20), QString::number(elapsedS, 'f', 1),
                                   QString::number(std::max(0.0, phase.durationS - elapsedS), 'f', 1),
                                   live.update(runner.loadSnapshot())));
        });
        progressTimer.start(250);
    }
    SignalWatcher signals;
    QObject::connect(&signals, &SignalWatcher::terminationRequested, &runner, [&runner, &progress](int) {
        progress.printAbove(
            QStringLiteral("perflab run: interrupted; ending the current phase and writing the report"));
        runner.cancel();
    });
    int exitCode = ExitOk;
    QObject::connect(&runner, &scenario::ScenarioRunner::failed, qApp, [&](const QString &message) {
        progressTimer.stop();
        progress.clear();
        std::fprintf(stderr, "perflab run: %s\n", qPrintable(message));
        exitCode = ExitRuntimeFailure;
        QCoreApplication::exit(exitCode);
    });
    QObject::connect(&runner, &scenario::ScenarioRunner::finished, qApp, [&] {
        progressTimer.stop();
        progress.clear();
        report::RunReport report = runner.report();
        report.scenarioFile = path;
        printSummary(report);
        if (auto error = report::writeReportFolder(report, options.outDir)) {
            std::fprintf(stderr, "perflab run: %s\n", qPrintable(*error));
            exitCode = ExitRuntimeFailure;
        } else {
            // charts/*.png and report.pdf need QtGui (the UI library); a failure there keeps
            // the files above and is a runtime failure like any other write error.
            const std::optional<QString> renderError = ui::writeRenderedCharts(report, options.outDir);
            if (renderError)
                std::fprintf(stderr, "perflab run: %s\n", qPrintable(*renderError));
            std::printf("report: %s\n",
                        qPrintable(QDir(options.outDir).absoluteFilePath(QStringLiteral("report.html"))));
            if (report.agentLost)
                std::fprintf(stderr, "perflab run: %s: %s\n",
                             options.requireAllAgents
                                 ? "an agent was lost (--require-all-agents)"
                                 : "an agent was lost; the figures lack its share from then on",
                             qPrintable(report.agentProblems.join(QStringLiteral("; "))));
            if (renderError || runner.isCancelled() || (report.agentLost && options.requireAllAgents))
                exitCode = ExitRuntimeFailure;
            else if (report.generatorLimited())
                exitCode = ExitGeneratorLimited;
            else if (!report.passed())
                exitCode = ExitThresholdFailed;
            for (const report::PhaseReport &phase : report.phases) {
                const load::GeneratorTrust trust = load::assessGenerator(phase.stats.generator);
                if (trust.generatorLimited)
                    std::fprintf(stderr, "perflab run: the load generator was the limit in phase '%s': %s\n",
                                 qPrintable(phase.name),
                                 qPrintable(trust.reasons.join(QStringLiteral("; "))));
            }
            for (const report::ThresholdResult &threshold : report.thresholds)
                if (!threshold.passed)
                    std::fprintf(stderr, "perflab run: threshold %s failed: %.4g, limit %.4g\n",
                                 qPrintable(threshold.name), threshold.actual, threshold.limit);
            for (const report::ClaimResult &claim : report.claims)
                if (claim.status == report::ClaimStatus::NotVerified)
                    std::fprintf(stderr, "perflab run: claim not verified: %s\n", qPrintable(claim.claim));
        }
        std::fflush(stdout);
        QCoreApplication::exit(exitCode);
    });
    // Started from the event loop: a run that fails at once must find the loop running to end it.
    QTimer::singleShot(0, &runner, &scenario::ScenarioRunner::start);
    QCoreApplication::exec();
    return exitCode;
}

} // namespace perflab::app

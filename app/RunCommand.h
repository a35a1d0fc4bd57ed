// `perflab run SCENARIO`: one scenario (a file, or a built-in id) on the embedded lab server
// or a --target, phase by phase, then the report folder (README, Reports). After the phase
// table it prints, per phase, whether the load generator kept up (load/GeneratorTrust.h); in
// a terminal a progress line on stderr shows the phase, its time, req/s, p99, errors and that
// verdict while the run goes (ProgressLine.h).
#pragma once

#include "CommandLine.h"

#include <QString>
#include <QStringList>

#include <variant>

namespace perflab::app {

struct RunCommandOptions
{
    QString scenario; // a path, or a built-in scenario's id
    QString target;   // --target URL ("" = the scenario's target)
    QString outDir = QStringLiteral("perflab-report");
    double scale = 1.0;
    // --control-port: the live load control (scenario/LoadControlServer.h) on 127.0.0.1:P;
    // 0 picks a free port (printed); -1: none.
    int controlPort = -1;
    int threads = 1;               // --threads: load generator threads
    QString dataDir;               // --data-dir: the embedded lab's files
    QString adminToken;            // --admin-token (null when not given): the --target's /admin token
    QString agentsRedisUrl;        // --agents: the load goes to agents through this Redis ("" = sent here)
    int agentCount = 0;            // --agent-count (required with --agents)
    bool requireAllAgents = false; // --require-all-agents: a lost agent fails the run (exit 3)
    int agentWaitS = 60;           // --agent-wait-s: how long to wait for the agents to join
};

// args excludes the program name and the command.
std::variant<RunCommandOptions, UsageError> parseRunOptions(const QStringList &args);
// Runs the event loop; returns the process exit code (0; 1 a threshold or claim failed; 2; 3;
// 4 the generator was the limit in some phase, which wins over 1: see CommandLine.h).
int runScenarioCommand(const RunCommandOptions &options);

} // namespace perflab::app

// `perflab agent --redis URL [--name NAME] [--threads N]`: a load agent (agents/LoadAgent.h)
// that serves distributed runs until SIGINT/SIGTERM; one line per event on stdout.
#pragma once

#include "CommandLine.h"

#include <QStringList>

#include <variant>

namespace perflab::app {

struct AgentCommandOptions
{
    QString redisUrl; // required
    QString name;     // "" = host:pid
    int threads = 1;
};

// args excludes the program name and the command.
std::variant<AgentCommandOptions, UsageError> parseAgentOptions(const QStringList &args);
int runAgent(const AgentCommandOptions &options);

} // namespace perflab::app

// The report's "Load agents" section of a run on agents: per phase, each agent's share, what
// it sent and got back, its own trust verdict, and the agents that were lost, with the problems
// the coordinator had in words.
#pragma once

#include "engine/report/RunReport.h"

#include <QString>

namespace perflab::report {

QString agentsHtml(const RunReport &report);

} // namespace perflab::report

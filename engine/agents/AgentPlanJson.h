// The plan of a distributed run as it travels through Redis to the agents: the target, the
// request mix as the scenario wrote it, every phase with its whole load model and duration,
// the request timeout and how many agents share it:
//   {"version": 1, "run": "ID", "agents": 3, "target": "http://10.0.0.5:8000",
//    "timeout_ms": 10000, "requests": [...scenario syntax...],
//    "phases": [{"name": "cache off", "duration_s": 20, "load": {"model": "open", "rate": 3000,
//                "connections": 64}}, ...]}
// A plan is untrusted input to an agent (anyone who can write to the Redis can publish one):
// parsing checks every field with the scenario parsers' rules and names the first wrong one.
#pragma once

#include "engine/scenario/RemoteLoad.h"

#include <QByteArray>
#include <QString>

#include <variant>

namespace perflab::agents {

inline constexpr int kMaxAgents = 256;
inline constexpr int kMaxPlanPhases = 1000;

struct AgentPlan
{
    QString runId;
    int agentCount = 1;
    scenario::RemotePlan plan;
};

QByteArray planToJson(const AgentPlan &plan);
// An error names the field: "phases[1].load.rate: expected a number > 0, got -3".
std::variant<AgentPlan, QString> parsePlanJson(const QByteArray &bytes);

} // namespace perflab::agents

// Where a distributed run's messages live in Redis. Every run has its own keys, which expire
// an hour after they were last written, so nothing piles up in a Redis that serves many runs.
//
//   perflab:agents:plans           stream: one entry per run, field "plan" (AgentPlanJson.h)
//   perflab:agents:run:ID:state    string: "joining" while the run takes agents, then "started"
//   perflab:agents:run:ID:joins    stream: one entry per agent that wants in, field "agent"
//   perflab:agents:run:ID:control  stream: field "message", {"type": "start", "start_at_ms": T,
//                                  "agents": [names]} then possibly {"type": "stop"}
//   perflab:agents:run:ID:intervals stream: field "interval" (IntervalMessage.h), every 100 ms
//                                  from every agent
// Streams rather than pub/sub: a reader that connects late, or loses its connection for a
// moment, reads on from the last entry it saw and misses nothing.
#pragma once

#include <QByteArray>
#include <QString>

namespace perflab::agents {

inline constexpr int kKeysExpireS = 3600;

inline QByteArray plansKey()
{
    return QByteArrayLiteral("perflab:agents:plans");
}
inline QByteArray runKey(const QString &runId, const char *part)
{
    return QByteArrayLiteral("perflab:agents:run:") + runId.toUtf8() + ':' + part;
}

} // namespace perflab::agents

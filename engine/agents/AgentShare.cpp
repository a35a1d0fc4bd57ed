// See AgentShare.h.
#include "engine/agents/AgentShare.h"

#include <algorithm>

namespace perflab::agents {

namespace {
int connectionsOf(int total, int index, int count)
{
    return std::max(1, total / count + (index < total % count ? 1 : 0));
}
} // namespace

load::LoadModel agentShare(const load::LoadModel &whole, int index, int count)
{
    load::LoadModel share = whole;
    share.connections = connectionsOf(whole.connections, index, count);
    share.rate = whole.rate / count;
    for (load::Stage &stage : share.stages)
        stage.rate /= count;
    return share;
}

double agentShareFraction(const load::LoadModel &whole, int index, int count)
{
    if (whole.kind == load::LoadModelKind::Closed && whole.connections > 0)
        return double(connectionsOf(whole.connections, index, count)) / double(whole.connections);
    return 1.0 / count;
}

} // namespace perflab::agents

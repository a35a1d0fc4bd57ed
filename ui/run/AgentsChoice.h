// Whether the window's runs send their load from load agents (`perflab agent` processes, on
// this machine or others) instead of from the window itself, and through which Redis: the
// window's side of `perflab run --agents URL --agent-count N`. Kept in QSettings ("agents/…").
#pragma once

#include <QString>

#include <optional>

namespace perflab::ui {

struct AgentsChoice
{
    QString redisUrl; // redis://host:port/db
    int count = 1;
};

// The saved choice, or nullopt for "the window sends the load itself". PERFLAB_UI_AGENTS
// ("redis://host:port/0,3": the URL and the count) overrides it, for tests and demos.
std::optional<AgentsChoice> loadAgentsChoice();
void saveAgentsChoice(const std::optional<AgentsChoice> &choice);

} // namespace perflab::ui

// `perflab scenarios`: lists the built-in scenarios (resources/scenarios/*.json), one line
// each: the id to pass to `perflab run`, the scenario's name and its description, in
// aligned columns.
#pragma once

#include "engine/scenario/Scenario.h"

#include <QStringList>

#include <vector>

namespace perflab::app {

// The listing as printed: one line per scenario, each ending in '\n'.
QString scenariosListing(const std::vector<scenario::BuiltinScenario> &scenarios);

// Prints the listing on stdout; returns the process exit code (2 for unexpected arguments).
int runScenarios(const QStringList &args);

} // namespace perflab::app

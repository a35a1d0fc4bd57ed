// `perflab serve`: the lab server alone, until SIGINT/SIGTERM, then a graceful drain.
#pragma once

#include "CommandLine.h"

namespace perflab::app {

// Runs the event loop; returns the process exit code.
int runServe(const ServeOptions &options);

} // namespace perflab::app

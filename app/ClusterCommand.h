// perflab cluster: N lab instances behind nginx, sharing one PostgreSQL and one Redis.
#pragma once

#include "CommandLine.h"

namespace perflab::app {

// Prints the balancer's URL as the first line of stdout, runs until SIGINT/SIGTERM, then stops
// nginx, drains the instances and stops what it started. Exit codes as every command's.
int runCluster(const ClusterOptions &options);

} // namespace perflab::app

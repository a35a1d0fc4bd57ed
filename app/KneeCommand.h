// `perflab knee URL|SCENARIO`: finds the target's capacity by itself (knee/KneeFinder.h for
// the steps, knee/KneeRule.h for the stopping rule). Prints the step table as the steps
// finish, then the capacity line (or, with --json, one JSON object: knee/KneeJson.h), and
// writes the output folder (knee/KneeFolder.h, plus charts/*.png from the UI library).
//
// URL: GET that URL. SCENARIO (a file or a built-in id): its request mix, its target and
// its settings; an embedded target starts a lab on a free loopback port with the scenario's
// settings as start-up settings. Its phases, load model, thresholds and claims are not used
// (the search makes its own load); a phase's settings are not applied, and a line on stderr
// says so. A URL target with settings, or a cluster target, is refused (exit 2): knee changes
// no other server's settings and starts no cluster.
//
// --concurrency-sweep: closed-loop steps of 1, 2, 4 ... -c clients instead, the table by
// clients, and the Universal Scalability Law fitted to them (knee/UslFit.h).
//
// Exit codes: 0 a capacity was found (a knee between two measured rates, or --max-rate
// sustained; a sweep: the law could be fitted); 1 not even --start-rate was sustained (no
// capacity at or above it; a sweep: no fit); 2 bad input;
// 3 runtime failure (the lab or the load did not start, nothing answered in the first step,
// an output file could not be written, or Ctrl+C: the folder is still written).
#pragma once

#include "KneeArguments.h"

namespace perflab::app {

int runKnee(const KneeCommandOptions &options);

} // namespace perflab::app

// EnvironmentProbe: what the report's environment table says about the machine a run used
// (CPU model and count, Qt and Perflab versions, OS, host name). Read once per run.
#pragma once

#include "engine/report/RunReport.h"

namespace perflab::report {

// serverThreads 0: external target. Never fails: unknown fields stay empty.
Environment collectEnvironment(int serverThreads, int loadThreads);

// The first "model name" of a /proc/cpuinfo text ("" when absent; ARM kernels print none,
// then "Hardware" or "CPU part" is not a name either, so it stays empty).
QString cpuModelFromCpuinfo(const QByteArray &cpuinfo);

} // namespace perflab::report

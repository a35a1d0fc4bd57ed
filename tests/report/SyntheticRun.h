// SyntheticRun: a RunReport built in the test with known figures, so the report files can be
// checked against numbers computed by hand rather than by the code under test:
//   3 phases of 10 s, 10 s and 5 s from kStartMs; 2 routes;
//   requests 1000, 1500, 500 (100/s, 150/s, 100/s); errors 10, 5, 0;
//   client series: 250 samples of 100 ms; server series: the same times + 30 ms, without the
//   samples 50..54 (their CSV cells stay empty); a settings event at every phase start;
//   thresholds: p99_ms passes, error_rate on "cache on" fails;
//   the generator: kept up in "cache off" (100/s asked and sent, 0.08 ms lag, 5 % CPU); was the
//   limit in "cache on" (200/s asked, 150/s sent, 25 ms lag, its thread on a CPU 40 % and
//   waiting for one 55 % of the time); a closed loop in the third phase.
// The scenario name carries "<script>" to check the escaping.
#pragma once

#include "engine/report/RunReport.h"

namespace perflab::test {

inline constexpr qint64 kStartMs = 1'800'000'000'000;
inline constexpr int kClientSamples = 250;
inline constexpr int kMissingServerFirst = 50; // server samples 50..54 are missing
inline constexpr int kMissingServerCount = 5;

QString thirdPhaseName(); // holds <, & and " for the escaping checks
report::RunReport syntheticRun();

// One phase, one route: corrected 1..10 ms recorded i times each and one 1 s (the input of
// tests/data/metrics/spectrum_small.hgrm), uncorrected 0.9..9 ms: the golden .hgrm's input.
report::RunReport smallRun();

} // namespace perflab::test

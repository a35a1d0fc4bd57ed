#!/usr/bin/env bash
# The README's test command: installs what is missing (Debian 12, and the pinned hdr-histogram-js
# in tests/js/node_modules), builds with the CI preset (warnings are errors), checks the style
# (scripts/check-style.sh: clang-format on every file, clang-tidy on the changed lines), runs
# every QTest suite with ctest, then builds the libFuzzer targets with clang and runs each for a
# bounded time: the HTTP parser (PERFLAB_FUZZ_SECONDS, default 60), then the HdrHistogram V2 decoder
# (PERFLAB_FUZZ_HDR_SECONDS, default 30), then the interval log reader (PERFLAB_FUZZ_HLOG_SECONDS,
# default 15), then the load agents' interval reports (PERFLAB_FUZZ_AGENT_SECONDS, default 15).
# ctest runs against a private PostgreSQL 15 and Redis on loopback (scripts/test-services.sh):
# started before ctest, exported as PERFLAB_TEST_PG_URL / PERFLAB_TEST_REDIS_URL, stopped on exit.
# If they cannot start, this command fails (tests that need them must not skip).
set -euo pipefail
cd "$(dirname "$0")/.."

./packaging/install-deps.sh
scripts/install-js-deps.sh

cmake --preset ci
cmake --build --preset ci
# After the build (tidy reads its compile_commands.json and the files moc generates), before
# the long part, so a style slip fails in a minute rather than after ctest.
scripts/check-style.sh
trap 'scripts/test-services.sh stop || true' EXIT
scripts/test-services.sh start
services_env=$(scripts/test-services.sh env)
eval "$services_env"
echo "test-all: PERFLAB_TEST_PG_URL=$PERFLAB_TEST_PG_URL PERFLAB_TEST_REDIS_URL=$PERFLAB_TEST_REDIS_URL"
ctest --preset ci
scripts/test-services.sh stop
trap - EXIT

cmake --preset fuzz
cmake --build --preset fuzz
corpus=build/fuzz-corpus
mkdir -p "$corpus"
./build/fuzz/tests/fuzz/fuzz_request_parser -max_total_time="${PERFLAB_FUZZ_SECONDS:-60}" -max_len=4096 \
  -print_final_stats=1 -artifact_prefix=build/fuzz- "$corpus" tests/fuzz/corpus
hdr_corpus=build/fuzz-corpus-hdr
mkdir -p "$hdr_corpus"
./build/fuzz/tests/fuzz/fuzz_hdr_v2 -max_total_time="${PERFLAB_FUZZ_HDR_SECONDS:-30}" -max_len=4096 \
  -print_final_stats=1 -artifact_prefix=build/fuzz-hdr- "$hdr_corpus" tests/fuzz/corpus-hdr
hlog_corpus=build/fuzz-corpus-hlog
mkdir -p "$hlog_corpus"
./build/fuzz/tests/fuzz/fuzz_hlog -max_total_time="${PERFLAB_FUZZ_HLOG_SECONDS:-15}" -max_len=8192 \
  -print_final_stats=1 -artifact_prefix=build/fuzz-hlog- "$hlog_corpus" tests/fuzz/corpus-hlog
agent_corpus=build/fuzz-corpus-agent
mkdir -p "$agent_corpus"
./build/fuzz/tests/fuzz/fuzz_agent_interval -max_total_time="${PERFLAB_FUZZ_AGENT_SECONDS:-15}" -max_len=8192 \
  -print_final_stats=1 -artifact_prefix=build/fuzz-agent- "$agent_corpus" tests/fuzz/corpus-agent
echo "test-all: every test passed"

#!/usr/bin/env bash
# The coordinated-omission check. nginx (one process, CPU 0) serves /hello under an
# open-loop `perflab load -R RATE -d 10s`; in the middle of the run the script stops the
# server for 1 s (SIGSTOP, then SIGCONT). Requests intended during the stall wait up to 1 s,
# so the corrected p99 (from the intended send time) must be >= 0.5 s, while the uncorrected
# p99 (from the actual send) hides the stall: only the ~50 requests in flight saw it. wrk
# (closed loop) runs the same case for comparison; note that wrk 4.x patches its histogram
# after the run (stats_correct: HdrHistogram-style synthetic samples at the interval
# runtime / (requests per connection)), so its p99 shows the stall as well, by estimate.
#
# usage: tests/bench/co_check.sh [--perflab PATH] [--rate R] [--rounds N]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/bench_common.sh"
perflab="" rate=2000 rounds=3 duration=10 stall_at=4.5
while [[ $# -gt 0 ]]; do
  case $1 in
    --perflab) perflab=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "co_check.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
perflab=$(find_perflab "$perflab")
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "co_check.sh: needs wrk and nginx" >&2; exit 2; }

work=$(mktemp -d /tmp/perflab-co-check.XXXX)
NGINX_PID=""
cleanup() { [[ -n $NGINX_PID ]] && { kill -CONT "$NGINX_PID" 2>/dev/null; kill "$NGINX_PID" 2>/dev/null; }; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port=$(free_port)
start_nginx "$work" "$port"
url="http://127.0.0.1:$port/hello"

stall() { sleep "$stall_at"; kill -STOP "$NGINX_PID"; sleep 1; kill -CONT "$NGINX_PID"; }

corrected=() uncorrected=() wrk99=()
for round in $(seq "$rounds"); do
  stall & stall_pid=$!
  json=$($PIN_CLIENT "$perflab" load "$url" -R "$rate" -c 50 -d "${duration}s" --threads 1 --json)
  wait "$stall_pid"
  read -r c u n <<<"$(python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print(j["latency_ms"]["p99"], j["latency_uncorrected_ms"]["p99"], int(j["requests"]))' "$json")"
  stall & stall_pid=$!
  w=$($PIN_CLIENT wrk -t1 -c50 -d"${duration}s" --latency "$url" | awk '$1 == "99%" {print $2}')
  wait "$stall_pid"
  echo "round $round: perflab -R $rate: $n requests, p99 corrected ${c} ms, uncorrected ${u} ms | wrk -c50 (closed loop) p99 $w"
  corrected+=("$c") uncorrected+=("$u") wrk99+=("$w")
done
echo "median perflab p99 corrected:   $(median "${corrected[@]}") ms   (expected >= 500 ms)"
echo "median perflab p99 uncorrected: $(median "${uncorrected[@]}") ms"
echo "wrk p99 per round:              ${wrk99[*]}"

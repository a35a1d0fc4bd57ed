#!/usr/bin/env bash
# Is the load generator fast enough never to be the bottleneck? One client thread of
# `perflab load -c 50` against wrk -t1 -c50 on nginx /hello (one worker pinned to CPU 0,
# clients pinned to CPU 1), alternating rounds; prints both medians and the ratio
# perflab / wrk (the goal is >= 0.9). Not a ctest: timings need a quiet machine.
# Flat out, one client thread is the limit by design (wrk's is too): `perflab load` says so
# with exit 4 (generator-limited), which is this benchmark's premise rather than a failure.
#
# usage: tests/bench/load_vs_wrk.sh [--perflab PATH] [--duration S] [--rounds N] [--connections C]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/bench_common.sh"
perflab="" duration=5 rounds=3 connections=50
while [[ $# -gt 0 ]]; do
  case $1 in
    --perflab) perflab=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    *) echo "load_vs_wrk.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
perflab=$(find_perflab "$perflab")
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "load_vs_wrk.sh: needs wrk and nginx" >&2; exit 2; }

work=$(mktemp -d /tmp/perflab-load-vs-wrk.XXXX)
NGINX_PID=""
cleanup() { [[ -n $NGINX_PID ]] && kill "$NGINX_PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
port=$(free_port)
start_nginx "$work" "$port"
url="http://127.0.0.1:$port/hello"

wrk_rps=() perflab_rps=()
for round in $(seq "$rounds"); do
  w=$($PIN_CLIENT wrk -t1 -c"$connections" -d"${duration}s" "$url" | awk '/^Requests\/sec:/ {print $2}')
  p=$( { $PIN_CLIENT "$perflab" load "$url" -c "$connections" -d "${duration}s" --threads 1 || [[ $? == 4 ]]; } |
      awk '/^Requests\/sec:/ {print $2}')
  echo "round $round: wrk $w req/s, perflab load $p req/s"
  wrk_rps+=("$w") perflab_rps+=("$p")
done
mw=$(median "${wrk_rps[@]}")
mp=$(median "${perflab_rps[@]}")
echo "median wrk -t1 -c$connections:                    $mw req/s"
echo "median perflab load -c$connections --threads 1:   $mp req/s"
python3 -c "print(f'ratio perflab/wrk {float($mp)/float($mw):.3f}')"

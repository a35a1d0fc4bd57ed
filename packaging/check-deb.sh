#!/usr/bin/env bash
# The .deb round trip, run by a person (too slow and too intrusive for ctest): configures and
# builds the release preset, runs `cpack -G DEB`, installs the package with dpkg -i, runs the
# installed /usr/bin/perflab (--version, scenarios, serve + GET /hello, the desktop window
# offscreen + GET /hello on its lab), then removes it again with dpkg -r. Needs root or sudo
# (dpkg), and dpkg-dev for CPack's dpkg-shlibdeps.
# Usage: packaging/check-deb.sh        (from anywhere; builds in <repo>/build/release)
# A perflab package already installed is replaced by the fresh build and removed at the end.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
build=$repo/build/release
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
step() { printf '\n== %s\n' "$*"; }

step "configure and build (preset release)"
cd "$repo"
cmake --preset release "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)" --target perflab

step "cpack -G DEB"
cd "$build"
rm -f perflab_*.deb
cpack -G DEB
deb=$(ls perflab_*.deb)
dpkg-deb --field "$deb" Package Version Architecture Section Depends Recommends
dpkg-deb --contents "$deb" | awk '{ print $6 }'

step "dpkg -i $deb"
$sudo dpkg -i "$deb"
work=$(mktemp -d)
server=""
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

step "run the installed /usr/bin/perflab"
[[ $(command -v perflab) == /usr/bin/perflab ]] || { echo "perflab is not /usr/bin/perflab" >&2; exit 1; }
/usr/bin/perflab --version
# Into a file first: `| head` could end perflab with SIGPIPE, which pipefail would report.
/usr/bin/perflab scenarios >"$work/scenarios.txt"
head -n 3 "$work/scenarios.txt" | cut -c1-100
echo "... $(wc -l <"$work/scenarios.txt") scenarios"
echo '{"database":{"dataset_users":2000,"dataset_orders":6000}}' >"$work/settings.json"
mkdir "$work/data"
/usr/bin/perflab serve --port 0 --data-dir "$work/data" --settings "$work/settings.json" \
  >"$work/serve.out" 2>"$work/serve.err" &
server=$!
# serve prints the URL it listens on as its first line once it accepts connections.
for _ in $(seq 100); do
  [[ -s $work/serve.out ]] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.1
done
url=$(head -n 1 "$work/serve.out")
echo "serve: $url"
echo "GET $url/hello -> $(curl -fsS "$url/hello")"
kill -TERM "$server"
wait "$server" && echo "serve: drained and exited 0 on SIGTERM"
server=""

step "the installed desktop window (offscreen)"
# The window starts its lab on a free port and says where on stderr; it answers /hello while
# the window runs; SIGTERM then ends it (its SQLite files are safe in WAL mode).
mkdir "$work/ui-data" "$work/ui-config"
QT_QPA_PLATFORM=offscreen PERFLAB_UI_SETTINGS="$work/settings.json" PERFLAB_UI_DATA_DIR="$work/ui-data" \
  XDG_CONFIG_HOME="$work/ui-config" /usr/bin/perflab >"$work/ui.out" 2>&1 &
server=$!
for _ in $(seq 200); do
  grep -q "lab server at" "$work/ui.out" && break
  kill -0 "$server" 2>/dev/null || { cat "$work/ui.out" >&2; exit 1; }
  sleep 0.1
done
url=$(grep -o "http://127.0.0.1:[0-9]*" "$work/ui.out" | head -n 1)
[[ -n $url ]] || { echo "the window did not say where its lab is" >&2; cat "$work/ui.out" >&2; exit 1; }
echo "window: lab at $url, GET /hello -> $(curl -fsS "$url/hello")"
kill -TERM "$server"
wait "$server" || true
server=""

step "dpkg -r perflab"
$sudo dpkg -r perflab
[[ ! -e /usr/bin/perflab ]] && echo "removed: /usr/bin/perflab is gone"
echo
echo "check-deb: OK ($deb)"

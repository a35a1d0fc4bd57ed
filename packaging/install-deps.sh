#!/usr/bin/env bash
# Installs the Debian 12 packages of packaging/debian-packages.txt that are missing, and
# Debian's nodejs and npm when no node and npm commands are there.
# Safe to run again: it does nothing when everything is there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t wanted < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/debian-packages.txt")
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# Node.js and npm run hdr-histogram-js for test_hdr_v2_js (scripts/install-js-deps.sh installs
# the package). Looked for as commands, not packages: a node from elsewhere (NodeSource's
# nodejs, which bundles npm and conflicts with Debian's npm package) is used as it is; without
# one, Debian's nodejs and npm are installed.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
((${#missing[@]})) || exit 0
echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[[ $(id -u) -eq 0 ]] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
# Debian's postgresql and redis packages start their services on install; tests start their own.
$sudo apt-get update -q >/dev/null
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null

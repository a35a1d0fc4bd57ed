#!/usr/bin/env bash
# Installs tests/js's npm packages (hdr-histogram-js, pinned with its dependencies by
# tests/js/package-lock.json) into tests/js/node_modules, which git ignores, with `npm ci`.
# test_hdr_v2_js decodes perflab's histograms with it. Returns at once when that lock file is
# the one installed last (a checksum kept in node_modules), so the test command stays fast.
set -euo pipefail
cd "$(dirname "$0")/../tests/js"
stamp=node_modules/.perflab-package-lock.sha256
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f $stamp && $(<"$stamp") == "$wanted" && -f node_modules/hdr-histogram-js/package.json ]]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "install-js-deps: npm not found: packaging/install-deps.sh installs Debian's nodejs and npm" >&2
  exit 1
fi
echo "install-js-deps: npm ci in tests/js" >&2
npm ci --no-audit --no-fund --loglevel=error
echo "$wanted" >"$stamp"

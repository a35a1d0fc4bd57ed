#!/usr/bin/env bash
# Checks the desktop-integration metadata that the .deb installs, fast enough for every CI run
# (the .deb round trip itself is packaging/check-deb.sh, run by hand):
#   - the .desktop file passes desktop-file-validate (hints are fine, errors are not);
#   - the AppStream metainfo passes `appstreamcli validate --no-net` (exit 0);
#   - the metainfo's id and launchable name the .desktop file that exists;
#   - the icon exists as SVG and as a PNG of the right pixel size for each hicolor size.
# Usage: check-packaging-metadata.sh SOURCE_DIR
set -uo pipefail
src=${1:?usage: $0 SOURCE_DIR}
app_id=io.github.perflab.Perflab
desktop=$src/packaging/$app_id.desktop
metainfo=$src/packaging/$app_id.metainfo.xml
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

for tool in desktop-file-validate appstreamcli; do
  command -v "$tool" >/dev/null || fail "$tool not found (packaging/debian-packages.txt lists its package)"
done

if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || fail "desktop-file-validate $desktop"
  grep -qx 'Exec=perflab' "$desktop" || fail "$desktop: expected Exec=perflab"
  grep -qx 'Icon=perflab' "$desktop" || fail "$desktop: expected Icon=perflab"
fi
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate --no-net $metainfo"
fi
grep -q "<id>$app_id</id>" "$metainfo" || fail "$metainfo: component id is not $app_id"
grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" \
  || fail "$metainfo: launchable does not name $app_id.desktop"

icons=$src/resources/icons
[[ -s $icons/perflab.svg ]] || fail "missing $icons/perflab.svg"
for size in 16 32 48 64 128 256; do
  png=$icons/hicolor/${size}x${size}/apps/perflab.png
  if [[ ! -s $png ]]; then fail "missing $png"; continue; fi
  # PNG header: width and height are big-endian 32-bit integers at bytes 16..23 (IHDR).
  read -r width height < <(od -An -j16 -N8 -tu1 "$png" \
    | awk '{ printf "%d %d\n", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }')
  [[ $width == "$size" && $height == "$size" ]] || fail "$png is ${width}x${height}, expected ${size}x${size}"
done

if ((failures)); then echo "packaging metadata: $failures failure(s)" >&2; exit 1; fi
echo "packaging metadata: desktop file, metainfo and icons OK"

#!/usr/bin/env bash
# Style checks, run by scripts/test-all.sh after the build and before ctest:
#   format  every tracked (and every new, not ignored) .cpp/.h must be clang-format clean
#           (.clang-format, clang-format 14);
#   tidy    clang-tidy (.clang-tidy) on the lines changed since a base commit only, so that
#           findings in code nobody touched never fail a commit, and the check stays fast.
# Usage: scripts/check-style.sh [all|format|tidy]    (default: all)
# The tidy base: $PERFLAB_STYLE_BASE when set; else the merge-base with origin/main when it
# differs from HEAD (a branch: everything the branch changed); else HEAD's first parent (a clean
# clone of main: its last commit, all of a merge's changes). The working tree's uncommitted
# changes and new files count as changed.
# Tidy reads build/ci/compile_commands.json ($PERFLAB_STYLE_BUILD to use another build), so run
# it after `cmake --build --preset ci`; $PERFLAB_STYLE_JOBS clang-tidy processes (default 2).
# Exit codes: 0 clean, 1 findings (listed), 2 a tool or the compile database is missing, or misuse.
# Functions called through run() look unreachable to shellcheck.
# shellcheck disable=SC2317
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

mode=${1:-all}
case $mode in
all | format | tidy) ;;
-h | --help)
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
  ;;
*)
  echo "check-style: unknown mode '$mode' (all, format or tidy)" >&2
  exit 2
  ;;
esac

# The first of the candidates that is on PATH (or an executable path), else empty.
find_tool() {
  local t
  for t in "$@"; do
    if command -v "$t" >/dev/null 2>&1; then
      command -v "$t"
      return 0
    fi
  done
  return 1
}

# The existing .cpp/.h files git knows or would add (tracked, plus untracked but not ignored).
source_files() {
  git ls-files -z --cached --others --exclude-standard -- '*.cpp' '*.h' |
    while IFS= read -r -d '' f; do [[ -f $f ]] && printf '%s\0' "$f"; done
}

check_format() {
  local clang_format
  if ! clang_format=$(find_tool clang-format-14 clang-format); then
    echo "check-style: clang-format not found; install it: sudo apt-get install clang-format" \
      "(packaging/install-deps.sh does)" >&2
    return 2
  fi
  # Another major version formats some constructs differently: the tree is clean for 14.
  if ! "$clang_format" --version | grep -q 'version 14\.'; then
    echo "check-style: warning: $("$clang_format" --version) is not clang-format 14;" \
      "its verdict may differ from CI's" >&2
  fi
  local started=$SECONDS out
  out=$(source_files | xargs -0 -r -n 50 -P 2 "$clang_format" --dry-run --Werror 2>&1)
  local bad
  bad=$(grep -oE '^[^:]+\.(cpp|h):[0-9]+:[0-9]+: (error|warning): code should be clang-formatted' \
    <<<"$out" | cut -d: -f1 | sort -u)
  if [[ -n $bad ]]; then
    echo "check-style: format: these files are not clang-format clean:"
    while IFS= read -r f; do echo "  $f"; done <<<"$bad"
    echo "Fix them with:"
    echo "  $(basename "$clang_format") -i $(paste -sd' ' <<<"$bad")"
    return 1
  fi
  if [[ -n $out ]]; then
    # clang-format itself failed (unreadable file, bad .clang-format, ...).
    echo "check-style: format: clang-format failed:" >&2
    echo "$out" >&2
    return 2
  fi
  echo "check-style: format: $(source_files | tr -cd '\0' | wc -c) files clean ($((SECONDS - started)) s)"
  return 0
}

# The commit the changed lines are measured from (see the header).
tidy_base() {
  if [[ -n ${PERFLAB_STYLE_BASE:-} ]]; then
    if ! git rev-parse -q --verify "${PERFLAB_STYLE_BASE}^{commit}"; then
      echo "check-style: PERFLAB_STYLE_BASE=$PERFLAB_STYLE_BASE is not a commit" >&2
      return 2
    fi
    return 0
  fi
  local head mb
  head=$(git rev-parse HEAD) || return 2
  if git rev-parse -q --verify 'origin/main^{commit}' >/dev/null &&
    mb=$(git merge-base origin/main HEAD) && [[ $mb != "$head" ]]; then
    echo "$mb"
    return 0
  fi
  if git rev-parse -q --verify 'HEAD^1^{commit}'; then
    return 0
  fi
  if [[ $(git rev-parse --is-shallow-repository) == true ]]; then
    echo "check-style: HEAD's parent is missing from this shallow clone:" \
      "run 'git fetch --deepen=1', or set PERFLAB_STYLE_BASE" >&2
    return 2
  fi
  # The root commit: everything in it is new; compare with the empty tree.
  git hash-object -t tree /dev/null
}

check_tidy() {
  local clang_tidy tidy_diff build=${PERFLAB_STYLE_BUILD:-build/ci} jobs=${PERFLAB_STYLE_JOBS:-2}
  if ! clang_tidy=$(find_tool clang-tidy-14 clang-tidy); then
    echo "check-style: clang-tidy not found; install it: sudo apt-get install clang-tidy" \
      "(packaging/install-deps.sh does)" >&2
    return 2
  fi
  if ! tidy_diff=$(find_tool clang-tidy-diff-14.py clang-tidy-diff.py \
    /usr/lib/llvm-14/share/clang/clang-tidy-diff.py); then
    echo "check-style: clang-tidy-diff.py not found (Debian's clang-tidy package ships" \
      "clang-tidy-diff-14.py); install clang-tidy" >&2
    return 2
  fi
  if [[ ! -f $build/compile_commands.json ]]; then
    echo "check-style: $build/compile_commands.json is missing: configure and build first" \
      "(cmake --preset ci && cmake --build --preset ci)" >&2
    return 2
  fi
  local base
  base=$(tidy_base) || return 2

  # Changed lines of the working tree against the base (deleted files have none), then the new
  # files git does not know yet, as whole-file additions.
  local diff
  diff=$(git diff -U0 --no-color --no-ext-diff -M --diff-filter=d "$base" -- '*.cpp' '*.h' &&
    git ls-files -z --others --exclude-standard -- '*.cpp' '*.h' |
    while IFS= read -r -d '' f; do
      git diff -U0 --no-color --no-index -- /dev/null "$f"
    done) || [[ $? -eq 1 ]] || return 2
  local nfiles
  nfiles=$(grep -c '^+++ b/' <<<"$diff")
  local label
  label=$(git rev-parse --short "$base")
  if ((nfiles == 0)); then
    echo "check-style: tidy: no .cpp/.h lines changed since $label"
    return 0
  fi

  local started=$SECONDS out
  # A header that changed is checked on its own, as clangd does (with the flags of the nearest
  # source file in the compile database); '#pragma once' is then in a main file, which is fine.
  out=$(python3 "$tidy_diff" -p1 -path "$build" -j "$jobs" -quiet \
    -clang-tidy-binary "$clang_tidy" -regex '(engine|ui|app|tests)/.*\.(cpp|h)' \
    -extra-arg=-Wno-pragma-once-outside-header <<<"$diff" 2>&1)
  local status=$?
  if ((status != 0)); then
    echo "check-style: tidy: clang-tidy-diff failed (exit $status):" >&2
    echo "$out" >&2
    return 2
  fi
  local findings
  findings=$(grep -E '^[^ ].*:[0-9]+:[0-9]+: (warning|error): ' <<<"$out")
  if [[ -n $findings ]]; then
    echo "check-style: tidy: findings in lines changed since $label:"
    # The findings with clang-tidy's context (source line, caret, notes), without its chatter.
    grep -vE '^([0-9]+ warnings? (and [0-9]+ errors? )?generated\.|Suppressed [0-9]+ warnings|Use -header-filter|No relevant changes|Error while processing|Found compiler error|$)' \
      <<<"$out" | sed 's/^/  /'
    echo "check-style: tidy: $(wc -l <<<"$findings") finding(s) in $(cut -d: -f1 <<<"$findings" | sort -u | wc -l) file(s)."
    echo "Fix them (clang-tidy-14 -p $build --fix FILE applies the fixes a check offers), or, where a"
    echo "check is wrong about a line, silence it there with // NOLINT(check-name) and say why."
    return 1
  fi
  echo "check-style: tidy: $nfiles changed file(s) since $label clean ($((SECONDS - started)) s)"
  return 0
}

result=0
run() {
  "$@"
  local s=$?
  ((s > result)) && result=$s
  return 0
}
[[ $mode == all || $mode == format ]] && run check_format
[[ $mode == all || $mode == tidy ]] && run check_tidy
exit "$result"

#!/usr/bin/env bash
# The test command: set up, build, build the demo guest if it is not
# cached, then run the whole suite twice -- a plain build and an
# AddressSanitizer + UndefinedBehaviorSanitizer build -- and end with one
# line "N passed, N failed" (", N skipped" when any were skipped).
# Exits non-zero if any test failed or if no test ran.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

step() { printf '\n=== %s\n' "$*"; }

step "set-up: Debian packages"
bash tools/setup.sh

step "demo guest (built once, then cached)"
guest_dir=$(guests/build-demo-guest.sh | tail -n 1)
export KENNEL_DEMO_GUEST_DIR="$guest_dir"
echo "demo guest: $KENNEL_DEMO_GUEST_DIR"

configure() {
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@"
  fi
}

status=0
run_suite() {
  local dir=$1 label=$2
  step "tests ($label build)"
  # A failing test must not stop the other build's run; the summary counts it.
  meson test -C "$dir" --print-errorlogs --num-processes 2 || status=1
}

step "build (plain)"
configure build
meson compile -C build
run_suite build plain

step "build (AddressSanitizer + UBSan)"
configure build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized
meson compile -C build-asan
KENNEL_SANITIZED=1 run_suite build-asan sanitized

step "summary"
python3 tools/test-summary.py build/meson-logs/testlog.json build-asan/meson-logs/testlog.json || status=1
exit $status

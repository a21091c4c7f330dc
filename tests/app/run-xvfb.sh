#!/usr/bin/env bash
# Runs an app test in a fresh X server (Xvfb) with its own, empty XDG
# directories and in-memory settings, so that it touches nothing of the
# person running it.  The accessibility bus is off: without a session bus
# GTK's warning about it would be fatal in a GLib test.
#
#   run-xvfb.sh PROGRAM [ARGS...]
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{config,data,cache,runtime}
chmod 700 "$tmp/runtime"
export XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
export XDG_RUNTIME_DIR=$tmp/runtime
export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR=${KENNEL_BUILD_ROOT:?}/data
export GTK_A11Y=none NO_AT_BRIDGE=1 GDK_BACKEND=x11
# Sanitized builds: the process-long caches of fontconfig and Mesa are not our leaks.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp:print_suppressions=0}
# Mesa's software GL driver (swrast_dri.so) leaks too, but it is unloaded
# before LeakSanitizer reports, as "<unknown module>" that no suppression
# can name: sanitized builds draw without GL (GTK falls back to cairo).
if ldd "$1" 2>/dev/null | grep -q 'libasan'; then
	export GDK_DEBUG=${GDK_DEBUG:+$GDK_DEBUG,}gl-disable
fi
# The demo guest lives in the real cache; the tests look it up through this.
if [ -z "${KENNEL_DEMO_GUEST_DIR:-}" ] && [ -x "${KENNEL_SOURCE_ROOT:-}/guests/build-demo-guest.sh" ]; then
	KENNEL_DEMO_GUEST_DIR=$(HOME=$HOME XDG_CACHE_HOME= "$KENNEL_SOURCE_ROOT/guests/build-demo-guest.sh" --print-dir 2>/dev/null || true)
	export KENNEL_DEMO_GUEST_DIR
fi
exec xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' "$@"

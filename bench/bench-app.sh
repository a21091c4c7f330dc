#!/usr/bin/env bash
# The app's benchmarks, for GTK's GL renderer (Mesa llvmpipe under Xvfb:
# software GL, every frame rasterized on the CPU) and the cairo renderer:
#
#  1. App start to the first frame of the main window: the real `kennel`
#     binary, run N times with empty settings; it prints when its first
#     frame was painted (KENNEL_EXIT_AFTER_FIRST_FRAME) and quits. Median
#     wall time from exec to first frame, CPU time until then, peak RSS.
#  2. The yardstick: the RSS of a bare libadwaita window of the same size
#     (BUILD/tests/app/bench-app-baseline), i.e. what GTK, libadwaita and
#     the renderer cost before Kennel adds anything.
#  3. With the demo guest running (BUILD/tests/app/bench-app-guest, when
#     the demo guest is cached): the UI's RSS, and its CPU while the
#     guest's screen is idle, on the Display, Console and Details pages.
#
#   bench/bench-app.sh [BUILD_DIR] [N] [SECONDS]     (default: build, 7, 10)
#
# Mesa keeps compiled shaders in $XDG_CACHE_HOME/mesa_shader_cache. The
# first start on a machine fills it ("cold"); every later start reads it
# ("warm"), which is what a person sees from the second start on. The
# runs below share one cache: the first start-up run and the "cold" lines
# start from an empty one, everything else is warm.
#
# The wall time depends on the machine's load; CPU time and RSS much less.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
n=${2:-7}
seconds=${3:-10}
app=$build/src/ui/kennel
[ -x "$app" ] || { echo "no $app: build first" >&2; exit 1; }

if [ "${KENNEL_BENCH_INNER:-}" != 1 ]; then
	# The demo guest lives in the person's cache, looked up before the
	# XDG directories below point elsewhere.
	if "$top/guests/build-demo-guest.sh" --check 2>/dev/null; then
		KENNEL_DEMO_GUEST_DIR=$("$top/guests/build-demo-guest.sh" --print-dir)
		export KENNEL_DEMO_GUEST_DIR
	fi
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp/runtime" && chmod 700 "$tmp/runtime"
	export XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
	export XDG_RUNTIME_DIR=$tmp/runtime BENCH_TMP=$tmp
	export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$build/data GTK_A11Y=none NO_AT_BRIDGE=1
	export GDK_BACKEND=x11 KENNEL_BENCH_INNER=1
	export KENNEL_ENGINE=$build/src/engine/kennel-engine
	xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' "$0" "$build" "$n" "$seconds"
	printf "machine load: %s\n" "$(cut -d' ' -f1-3 /proc/loadavg)"
	exit 0
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# The number after "RSS" (or after WHO's "RSS") in a benchmark program's line.
rss_of() { sed -nE "s/.*${1:-}RSS ([0-9]+) MiB.*/\\1/p" | head -1; }

for renderer in gl cairo; do
	export GSK_RENDERER=$renderer
	echo "== $renderer renderer"

	results=()
	for ((i = 0; i < n; i++)); do
		t0=$(date +%s%6N)
		out=$(KENNEL_EXIT_AFTER_FIRST_FRAME=1 "$app" | grep 'first frame')
		# "kennel: first frame at T us, cpu C us, maxrss R KiB"
		read -r t c r < <(sed -E 's/.* at ([0-9]+) us, cpu ([0-9]+) us, maxrss ([0-9]+) KiB/\1 \2 \3/' <<<"$out")
		results+=("$(((t - t0) / 1000)) $((c / 1000)) $((r / 1024))")
	done
	wall=$(printf '%s\n' "${results[@]}" | cut -d' ' -f1 | median)
	cpu=$(printf '%s\n' "${results[@]}" | cut -d' ' -f2 | median)
	rss=$(printf '%s\n' "${results[@]}" | cut -d' ' -f3 | median)
	printf "app start to first frame (median of %d): %d ms wall, %d ms CPU, %d MiB peak RSS\n" \
		"$n" "$wall" "$cpu" "$rss"

	cold=$(MESA_SHADER_CACHE_DIR=$(mktemp -d -p "$BENCH_TMP") \
		"$build/tests/app/bench-app-baseline" | rss_of)
	base=$("$build/tests/app/bench-app-baseline" | rss_of)
	echo "bare libadwaita window: RSS $base MiB (cold shader cache: $cold MiB)"

	if [ -z "${KENNEL_DEMO_GUEST_DIR:-}" ]; then
		echo "(no cached demo guest: guests/build-demo-guest.sh builds it; skipping the running-guest figures)"
		continue
	fi
	out=$("$build/tests/app/bench-app-guest" "$seconds" 2>/dev/null | grep 'UI with')
	sed 's/^/  /' <<<"$out"
	ui=$(grep 'display page' <<<"$out" | rss_of 'UI ')
	echo "UI RSS with one running guest (Display page): $ui MiB, of which Kennel's own beyond the bare window: $((ui - base)) MiB"
done

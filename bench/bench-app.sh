#!/usr/bin/env bash
# App start to the first frame of the main window: the real `kennel`
# binary, run N times in a fresh Xvfb with empty settings; it prints when
# its first frame was painted (KENNEL_EXIT_AFTER_FIRST_FRAME) and quits.
# Prints the median wall time from exec to first frame, the CPU time the
# process used until then, and its peak RSS, for GTK's GL renderer (Mesa
# llvmpipe under Xvfb) and the cairo renderer.
#
#   bench/bench-app.sh [BUILD_DIR] [N]        (default: build, 7)
#
# The wall time depends on the machine's load; the CPU time much less.
# For the UI's RSS with a running guest and its CPU while the guest's
# screen is idle, see bench/bench-app-guest.c (built as
# BUILD/bench/bench-app-guest when the app has its guests).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
n=${2:-7}
app=$build/src/ui/kennel
[ -x "$app" ] || { echo "no $app: build first" >&2; exit 1; }

if [ "${KENNEL_BENCH_INNER:-}" != 1 ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	export XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_CACHE_HOME=$tmp/cache
	export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=$build/data GTK_A11Y=none NO_AT_BRIDGE=1
	export KENNEL_EXIT_AFTER_FIRST_FRAME=1 GDK_BACKEND=x11 KENNEL_BENCH_INNER=1
	xvfb-run -a -s '-screen 0 1280x800x24 -nolisten tcp' "$0" "$build" "$n"
	printf "machine load: %s\n" "$(cut -d' ' -f1-3 /proc/loadavg)"
	exit 0
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for renderer in gl cairo; do
	results=()
	for ((i = 0; i < n; i++)); do
		t0=$(date +%s%6N)
		out=$(GSK_RENDERER=$renderer "$app" | grep 'first frame')
		# "kennel: first frame at T us, cpu C us, maxrss R KiB"
		read -r t c r < <(sed -E 's/.* at ([0-9]+) us, cpu ([0-9]+) us, maxrss ([0-9]+) KiB/\1 \2 \3/' <<<"$out")
		results+=("$(((t - t0) / 1000)) $((c / 1000)) $((r / 1024))")
	done
	wall=$(printf '%s\n' "${results[@]}" | cut -d' ' -f1 | median)
	cpu=$(printf '%s\n' "${results[@]}" | cut -d' ' -f2 | median)
	rss=$(printf '%s\n' "${results[@]}" | cut -d' ' -f3 | median)
	printf "app start to first frame (%s renderer, median of %d): %d ms wall, %d ms CPU, %d MiB peak RSS\n" \
		"$renderer" "$n" "$wall" "$cpu" "$rss"
done

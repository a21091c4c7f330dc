#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Boots the demo guest (Linux + BusyBox) under kennel-engine and checks
# that it comes up, runs a command and powers off with status 0.  TAP.
#
# Usage: boot-demo.sh KENNEL_ENGINE MODE HARTS
#   MODE: direct | fw_jump | fw_dynamic
# The guest comes from $KENNEL_DEMO_GUEST_DIR, or else from
# "$KENNEL_SOURCE_ROOT"/guests/build-demo-guest.sh --print-dir.
set -u

engine=${1:?usage: boot-demo.sh KENNEL_ENGINE MODE HARTS}
mode=${2:?}
harts=${3:?}
limit=${KENNEL_BOOT_TIMEOUT:-110}
opensbi=/usr/lib/riscv64-linux-gnu/opensbi/generic

echo "TAP version 13"
echo "1..1"
name="demo guest, $mode boot, $harts hart(s)"

dir=${KENNEL_DEMO_GUEST_DIR:-}
if [ -z "$dir" ]; then
  dir=$(bash "${KENNEL_SOURCE_ROOT:?}/guests/build-demo-guest.sh" --print-dir 2>/dev/null || true)
fi
if [ -z "$dir" ] || [ ! -f "$dir/Image" ] || [ ! -f "$dir/initramfs.cpio.gz" ]; then
  echo "ok 1 - $name # SKIP the demo guest is not built (guests/build-demo-guest.sh)"
  exit 0
fi

run=(run --kernel "$dir/Image" --initrd "$dir/initramfs.cpio.gz" --cpus "$harts" --stats)
case "$mode" in
  direct) run+=(--append 'console=hvc0 kennel.run="echo hello world"') ;;
  fw_jump | fw_dynamic)
    if [ ! -f "$opensbi/$mode.bin" ]; then
      echo "ok 1 - $name # SKIP $opensbi/$mode.bin is missing (Debian: opensbi)"
      exit 0
    fi
    run+=(--firmware "$opensbi/$mode.bin" --append 'console=ttyS0 kennel.run="echo hello world"')
    ;;
  *)
    echo "Bail out! unknown mode $mode"
    exit 1
    ;;
esac

out=$(mktemp "${TMPDIR:-/tmp}/kennel-demo-XXXXXX")
err=$(mktemp "${TMPDIR:-/tmp}/kennel-demo-XXXXXX")
trap 'rm -f "$out" "$err"' EXIT

start=$(date +%s)
timeout --preserve-status -s TERM "$limit" "$engine" "${run[@]}" </dev/null >"$out" 2>"$err"
status=$?
took=$(($(date +%s) - start))

problems=()
[ "$status" -eq 0 ] || problems+=("exit status $status, expected 0")
grep -q "KENNEL-GUEST-READY" "$out" || problems+=("no KENNEL-GUEST-READY line")
grep -q "hello world" "$out" || problems+=("no 'hello world' from the command")
grep -q "KENNEL-RUN-EXIT=0" "$out" || problems+=("no KENNEL-RUN-EXIT=0 line")

if [ ${#problems[@]} -eq 0 ]; then
  echo "ok 1 - $name (${took}s)"
  exit 0
fi
echo "not ok 1 - $name (${took}s)"
for p in "${problems[@]}"; do echo "# $p"; done
echo "# last lines of the console:"
tail -n 25 "$out" | tr -d '\r' | sed 's/^/#   /'
echo "# stderr (statistics):"
sed 's/^/#   /' "$err"
exit 1

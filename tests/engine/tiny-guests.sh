#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kennel-engine running the tiny guests built from guest.S: direct boot
# (S-mode, the engine's SBI) and firmware boot (M-mode), UART and SBI
# console both ways, poweroff, failure codes, reboot and SIGTERM.  TAP.
#
# Usage: tiny-guests.sh KENNEL_ENGINE GUEST_BUILD_DIR
set -u

engine=${1:?usage: tiny-guests.sh KENNEL_ENGINE GUEST_DIR}
guests=${2:?usage: tiny-guests.sh KENNEL_ENGINE GUEST_DIR}
work=$(mktemp -d "${TMPDIR:-/tmp}/kennel-tiny-XXXXXX")
trap 'rm -rf "$work"' EXIT

count=0
failed=0

fail() {
  failed=$((failed + 1))
  echo "not ok $count - $1"
  shift
  for line in "$@"; do echo "# $line"; done
  echo "# stdout (last lines):"
  tail -n 10 "$work/out" | sed 's/^/#   /'
  echo "# stderr (last lines):"
  tail -n 20 "$work/err" | sed 's/^/#   /'
}

# check NAME STATUS INPUT "PHRASE..." -- ARGS...: runs the engine with INPUT on stdin,
# then checks the exit status and that stdout holds every phrase.
check() {
  local name=$1 status=$2 input=$3 phrases=$4
  shift 5
  count=$((count + 1))
  printf '%b' "$input" | timeout 60 "$engine" run "$@" >"$work/out" 2>"$work/err"
  local got=$?
  if [ "$got" -ne "$status" ]; then
    fail "$name" "exit status $got, expected $status"
    return
  fi
  local phrase
  while IFS= read -r phrase; do
    [ -z "$phrase" ] && continue
    if ! grep -qF -- "$phrase" "$work/out"; then
      fail "$name" "stdout lacks \"$phrase\""
      return
    fi
  done <<<"$phrases"
  echo "ok $count - $name"
}

echo "TAP version 13"

both=$'hello from the UART\nhello from the SBI console'
check "direct boot: UART and SBI console, poweroff" 0 "" "$both" \
  -- --kernel "$guests/guest-hello.elf"
check "direct boot with 4 harts" 0 "" "$both" \
  -- --kernel "$guests/guest-hello.elf" --cpus 4
check "direct boot, 1G of RAM" 0 "" "$both" \
  -- --kernel "$guests/guest-hello.elf" --mem 1G
check "sifive,test failure code becomes the exit status" 42 "" "hello from the UART" \
  -- --kernel "$guests/guest-exit42.elf"
if ! grep -qF "the guest reported failure (code 42)" "$work/err"; then
  fail "failure code message" "stderr lacks the failure message"
fi
check "stdin reaches the UART" 0 'ping\n' "got: ping" \
  -- --kernel "$guests/guest-echo-uart.elf"
check "stdin reaches the SBI console" 0 'pong\n' "got: pong" \
  -- --kernel "$guests/guest-echo-sbi.elf"
check "firmware boot: a flat M-mode binary, 2 harts" 0 "" "hello from the UART" \
  -- --firmware "$guests/guest-mmode.bin" --cpus 2
check "firmware boot: an M-mode ELF" 0 "" "hello from the UART" \
  -- --firmware "$guests/guest-mmode.elf"
# Debian's OpenSBI as the firmware, our tiny guest as its S-mode payload.
opensbi=/usr/lib/riscv64-linux-gnu/opensbi/generic
for fw in fw_jump fw_dynamic; do
  if [ -f "$opensbi/$fw.bin" ]; then
    check "OpenSBI $fw, then an S-mode kernel, 2 harts" 0 "" "$both" \
      -- --firmware "$opensbi/$fw.bin" --kernel "$guests/guest-hello.elf" --cpus 2
  else
    count=$((count + 1))
    echo "ok $count - OpenSBI $fw # SKIP $opensbi/$fw.bin is missing (Debian: opensbi)"
  fi
done
check "--stats prints the vCPU statistics" 0 "" "hello from the UART" \
  -- --kernel "$guests/guest-hello.elf" --stats
count=$((count + 1))
if grep -q "instructions retired" "$work/err" && grep -q "^vCPU 0:" "$work/err"; then
  echo "ok $count - --stats output"
else
  fail "--stats output" "stderr lacks the statistics"
fi

# A guest that reboots forever: it boots again and again until SIGTERM,
# which ends the engine cleanly with 128 + 15.
count=$((count + 1))
timeout --preserve-status -s TERM 3 "$engine" run --kernel "$guests/guest-reboot.elf" \
  </dev/null >"$work/out" 2>"$work/err"
status=$?
boots=$(grep -c "hello from the UART" "$work/out")
if [ "$status" -eq 143 ] && [ "$boots" -ge 2 ] && grep -qF "stopped by signal 15" "$work/err"; then
  echo "ok $count - reboot loads the guest again; SIGTERM stops it ($boots boots)"
else
  fail "reboot and SIGTERM" "status $status (want 143), $boots boots (want 2 or more)"
fi

echo "1..$count"
[ "$failed" -eq 0 ]

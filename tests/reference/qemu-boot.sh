#!/usr/bin/env bash
# Reference boot test: boots the demo guest in Debian's QEMU (virt machine,
# Debian's OpenSBI) to prove the recipe in guests/ independently of
# Kennel's own engine. Prints TAP. Later the baseline for benchmarks.
#
# Finds the guest in $KENNEL_DEMO_GUEST_DIR, else asks
# guests/build-demo-guest.sh --print-dir. It never builds the guest.
# KENNEL_QEMU_TIMEOUT (seconds, default 60) bounds each boot.

# meson runs this file with sh; the checks below need bash.
if [ -z "${BASH_VERSION:-}" ]; then exec bash "$0" "$@"; fi
set -euo pipefail

source_root=${KENNEL_SOURCE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
boot_timeout=${KENNEL_QEMU_TIMEOUT:-60}
qemu=${KENNEL_QEMU:-qemu-system-riscv64}

echo "1..22"
n=0
failures=0
last_boot=""
# check DESCRIPTION CONDITION...: one TAP line; CONDITION is a command.
check() {
  local what=$1
  shift
  n=$((n + 1))
  if "$@"; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what"
    failures=$((failures + 1))
    # What the guest said is what tells why.
    if [ -n "$last_boot" ] && [ -f "$tmp/$last_boot.log" ]; then
      echo "# console of boot '$last_boot' ends:"
      text "$last_boot" | tail -n 12 | sed 's/^/#   /'
    fi
  fi
}
bail() {
  echo "Bail out! $*"
  exit 1
}

# --- The guest and the tools ------------------------------------------------------

if [ -n "${KENNEL_DEMO_GUEST_DIR:-}" ]; then
  guest=$KENNEL_DEMO_GUEST_DIR
else
  guest=$("$source_root/guests/build-demo-guest.sh" --print-dir 2>/dev/null | tail -n1) ||
    guest=""
fi
reason=""
if [ -z "$guest" ]; then
  reason="guests/build-demo-guest.sh --print-dir named no directory"
elif [ ! -s "$guest/Image" ] || [ ! -s "$guest/initramfs.cpio.gz" ]; then
  reason="no Image and initramfs.cpio.gz in $guest: run guests/build-demo-guest.sh"
elif ! command -v "$qemu" >/dev/null 2>&1; then
  reason="$qemu not found: install qemu-system-misc"
elif ! command -v timeout >/dev/null 2>&1; then
  reason="timeout (coreutils) not found"
fi
n=1
if [ -n "$reason" ]; then
  echo "not ok 1 - demo guest is built # $reason"
  bail "demo guest not available: $reason"
fi
echo "ok 1 - demo guest is built ($guest)"

# Debian's OpenSBI, as the brief for the reference machine says; QEMU's own
# default firmware otherwise.
bios=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
[ -r "$bios" ] || bios=default

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kennel-qemu-boot.XXXXXX")
helpers=()
cleanup() {
  local p
  for p in "${helpers[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf -- "$tmp"
}
trap cleanup EXIT

# --- Booting --------------------------------------------------------------------

# The kernel's console; the QEMU reference uses the UART.
console_arg=console=ttyS0

# boot NAME SMP APPEND [QEMU ARGS...]: boots the guest in the background
# with the console on $tmp/NAME.log (and typed from the FIFO $tmp/NAME.in
# when there is one); sets qemu_pid and boot_start.
boot() {
  local name=$1 smp=$2 append=$3 input=/dev/null
  shift 3
  if [ -p "$tmp/$name.in" ]; then input="$tmp/$name.in"; fi
  last_boot=$name
  # Created here, not by the background job's redirection, so that
  # wait_for never looks before the file exists.
  : >"$tmp/$name.log"
  boot_start=$EPOCHREALTIME
  timeout -k 5 "$boot_timeout" "$qemu" -M virt -bios "$bios" \
    -kernel "$guest/Image" -initrd "$guest/initramfs.cpio.gz" \
    -append "$console_arg $append" -nographic -smp "$smp" -m 256M "$@" \
    <"$input" >"$tmp/$name.log" 2>&1 &
  qemu_pid=$!
}

# Console text with the serial line's CRs removed. The greps read all of
# it (no -q): an early exit would kill tr with SIGPIPE, and pipefail would
# turn a match into a failure.
text() { tr -d '\r' <"$tmp/$1.log"; }
has_line() { text "$1" | grep -xF -- "$2" >/dev/null; }
has_text() { text "$1" | grep -F -- "$2" >/dev/null; }

# wait_for FILE FIXED-STRING: polls until FILE has a line that is exactly
# the string; fails when QEMU exited, the kernel panicked, or on timeout.
# Sets found_at to the time it was seen.
wait_for() {
  local file=$1 want=$2 deadline=$((SECONDS + boot_timeout))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if tr -d '\r' <"$file" | grep -xF -- "$want" >/dev/null; then
      found_at=$EPOCHREALTIME
      return 0
    fi
    kill -0 "$qemu_pid" 2>/dev/null || return 1
    if grep -qF 'Kernel panic' "$file"; then return 1; fi
    sleep 0.02
  done
  return 1
}

# Waits for QEMU to end; qemu_status is its exit status (124: timed out).
finish() {
  qemu_status=0
  wait "$qemu_pid" || qemu_status=$?
}

# boot_and_wait NAME SMP APPEND [QEMU ARGS...]: one boot of the guest that
# runs a kennel.run command to the end. Reports the time to readiness.
boot_and_wait() {
  local name=$1
  boot "$@"
  ready_after=""
  if wait_for "$tmp/$name.log" KENNEL-GUEST-READY; then
    ready_after=$(awk -v a="$boot_start" -v b="$found_at" 'BEGIN { printf "%.2f", b - a }')
    echo "# $name: ready after $ready_after s"
  else
    echo "# $name: no KENNEL-GUEST-READY line"
  fi
  finish
  if [ "$qemu_status" -ne 0 ]; then
    echo "# $name: QEMU exit status $qemu_status (124: killed after ${boot_timeout} s); console log ends:"
    text "$name" | tail -n 25 | sed 's/^/#   /'
  fi
}
powered_off() { [ "$qemu_status" -eq 0 ] && ! has_text "$1" "Kernel panic"; }

# 1 hart, a command whose words are spaced and quoted as a whole.
boot_and_wait hello 1 'kennel.run="echo hello world"'
check "1 hart: KENNEL-GUEST-READY printed" has_line hello KENNEL-GUEST-READY
check "1 hart: kennel.run=\"echo hello world\" printed 'hello world'" has_line hello "hello world"
check "1 hart: KENNEL-RUN-EXIT=0 for a command that succeeds" has_line hello KENNEL-RUN-EXIT=0
check "1 hart: guest powered off, QEMU exited by itself" powered_off hello

# A failing command: its status comes back.
boot_and_wait fail 1 'kennel.run="exit 3"'
check "failing command: KENNEL-RUN-EXIT=3 reported" \
  eval 'has_line fail KENNEL-RUN-EXIT=3 && ! has_text fail KENNEL-RUN-EXIT=0'
check "failing command: guest powered off, QEMU exited by itself" powered_off fail

# The SBI console as the kernel's console, as in Kennel's direct boot:
# hvc0 and earlycon through the legacy SBI calls (OpenSBI prints them on
# the UART here).
console_arg="console=hvc0 earlycon=sbi"
boot_and_wait sbi 1 'kennel.run="echo via-sbi-$((6 * 7))"'
console_arg=console=ttyS0
check "SBI console (console=hvc0 earlycon=sbi): command output, KENNEL-RUN-EXIT=0, powered off" \
  eval 'has_line sbi via-sbi-42 && has_line sbi KENNEL-RUN-EXIT=0 && has_text sbi "earlycon: sbi0" && powered_off sbi'

# SMP: all four harts come up, each on its own QEMU thread as Kennel runs
# them. The kernel gives a starting hart one second; on a host whose cores
# are busy elsewhere a hart's thread once missed that (cpus "0,2-3"). That
# one symptom earns a second boot; a kernel that cannot start its harts
# fails both. (QEMU's single-thread TCG avoids it, but makes every remote
# TLB flush wait for a time slice: 7 s instead of 2 to the ready line.)
boot_and_wait smp4 4 'kennel.run="cat /sys/devices/system/cpu/online"'
if has_text smp4 "failed to come online"; then
  echo "# smp4: $(text smp4 | grep -m1 'failed to come online'); booting once more"
  boot_and_wait smp4 4 'kennel.run="cat /sys/devices/system/cpu/online"'
fi
check "4 harts: KENNEL-GUEST-READY and cpus 0-3 online" \
  eval 'has_line smp4 KENNEL-GUEST-READY && has_line smp4 0-3 && has_line smp4 KENNEL-RUN-EXIT=0'
check "4 harts: guest powered off, QEMU exited by itself" powered_off smp4

# virtio-mmio devices: rng, net (QEMU's user network answers DHCP with
# 10.0.2.15), blk with an ext2 file system, gpu, keyboard, console. QEMU's
# virtio-mmio is legacy (version 1) unless told otherwise, and gpu and
# input are modern-only devices: this boot uses version 2, the interactive
# one below keeps version 1, so both transports are exercised.
truncate -s 16M "$tmp/disk.img"
devices_cmd='for d in /dev/hwrng /dev/vda /dev/fb0 /dev/input/event0 /dev/hvc1;'
devices_cmd+=' do [ -e $d ] && echo have $d; done;'
devices_cmd+=' echo rng-bytes=$(head -c 64 /dev/hwrng | wc -c);'
devices_cmd+=' ip -4 addr show eth0;'
devices_cmd+=' mke2fs -q /dev/vda && mount -t ext2 /dev/vda /mnt && echo ext2-roundtrip > /mnt/f'
devices_cmd+=' && umount /mnt && mount -t ext2 -o ro /dev/vda /mnt && cat /mnt/f'
boot_and_wait devices 1 "kennel.run=\"$devices_cmd\"" \
  -global virtio-mmio.force-legacy=false \
  -device virtio-rng-device \
  -netdev user,id=n0 -device virtio-net-device,netdev=n0 \
  -drive "file=$tmp/disk.img,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0 \
  -device virtio-gpu-device -device virtio-keyboard-device \
  -chardev null,id=vc0 -device virtio-serial-device -device virtconsole,chardev=vc0
check "virtio-rng: /dev/hwrng gives bytes" \
  eval 'has_line devices "have /dev/hwrng" && has_line devices rng-bytes=64'
check "virtio-net: eth0 got 10.0.2.15 from udhcpc" \
  eval 'text devices | grep -E "^ +inet 10\.0\.2\.15/24 " >/dev/null'
check "virtio-blk: /dev/vda holds an ext2 file system (mke2fs, mount, write, remount, read)" \
  eval 'has_line devices "have /dev/vda" && has_line devices ext2-roundtrip'
check "virtio-gpu and virtio-input: /dev/fb0 and /dev/input/event0" \
  eval 'has_line devices "have /dev/fb0" && has_line devices "have /dev/input/event0"'
check "virtio-console: /dev/hvc1 (hvc0 is the SBI console)" has_line devices "have /dev/hvc1"
check "virtio devices: KENNEL-RUN-EXIT=0 and QEMU exited by itself" \
  eval 'has_line devices KENNEL-RUN-EXIT=0 && powered_off devices'

# Interactive: no kennel.run, a virtio console on a pair of FIFOs. The
# shell must be on hvc1, announce readiness there, and `poweroff` typed
# into it must end QEMU.
mkfifo "$tmp/vc.in" "$tmp/vc.out"
boot interactive 1 "" -device virtio-serial-device \
  -chardev "pipe,id=vc0,path=$tmp/vc" -device virtconsole,chardev=vc0
# Opened read-write, neither end blocks if QEMU never opens its side.
: >"$tmp/hvc1.log"
cat 0<>"$tmp/vc.out" >"$tmp/hvc1.log" &
helpers+=($!)
exec 7<>"$tmp/vc.in"
hvc_ready=1 hvc_shell=1 hvc_poweroff=1
if wait_for "$tmp/hvc1.log" KENNEL-GUEST-READY; then
  echo "# interactive: ready on hvc1 after $(awk -v a="$boot_start" -v b="$found_at" 'BEGIN { printf "%.2f", b - a }') s"
  hvc_ready=0
  # Arithmetic so that the answer differs from the echoed command line.
  printf 'echo via-hvc1-$((6 * 7))\n' >&7
  if wait_for "$tmp/hvc1.log" via-hvc1-42; then
    hvc_shell=0
    printf 'poweroff\n' >&7
  fi
fi
if [ "$hvc_shell" -ne 0 ]; then kill "$qemu_pid" 2>/dev/null || true; fi
finish
[ "$hvc_shell" -ne 0 ] || [ "$qemu_status" -ne 0 ] || hvc_poweroff=0
exec 7>&-
if [ "$hvc_poweroff" -ne 0 ]; then
  echo "# interactive: QEMU exit status $qemu_status; hvc1 shows:"
  tr -d '\r' <"$tmp/hvc1.log" | tail -n 15 | sed 's/^/#   /'
  echo "# console log ends:"
  text interactive | tail -n 15 | sed 's/^/#   /'
fi
check "interactive: KENNEL-GUEST-READY on the virtio console (hvc1)" test "$hvc_ready" -eq 0
check "interactive: a shell answers on hvc1" test "$hvc_shell" -eq 0
check "interactive: 'poweroff' in that shell ends QEMU" test "$hvc_poweroff" -eq 0
check "interactive: KENNEL-GUEST-READY on the console too" has_line interactive KENNEL-GUEST-READY

# Interactive without a virtio console: the shell goes to the console
# (ttyS0, typed into through QEMU's stdin), and no respawn line may name a
# terminal that is not there (hvc1's device node exists regardless).
mkfifo "$tmp/serial.in"
exec 6<>"$tmp/serial.in"
boot serial 1 ""
serial_shell=1 serial_poweroff=1
if wait_for "$tmp/serial.log" KENNEL-GUEST-READY; then
  sleep 1 # let init start the shell; typed-ahead text would be echoed early
  printf 'echo via-console-$((6 * 7))\n' >&6
  if wait_for "$tmp/serial.log" via-console-42; then
    serial_shell=0
    printf 'poweroff\n' >&6
  fi
fi
if [ "$serial_shell" -ne 0 ]; then kill "$qemu_pid" 2>/dev/null || true; fi
finish
[ "$serial_shell" -ne 0 ] || [ "$qemu_status" -ne 0 ] || serial_poweroff=0
exec 6>&-
if [ "$serial_poweroff" -ne 0 ]; then
  echo "# serial: QEMU exit status $qemu_status; console log ends:"
  text serial | tail -n 20 | sed 's/^/#   /'
fi
check "no virtio console: a shell answers on the console (ttyS0)" \
  eval '[ "$serial_shell" -eq 0 ] && ! has_text serial "can'"'"'t open"'
check "no virtio console: 'poweroff' in that shell ends QEMU" test "$serial_poweroff" -eq 0

[ "$n" -eq 22 ] || echo "# planned 22 tests, ran $n"
exit 0

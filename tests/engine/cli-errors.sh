#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kennel-engine's answers to bad command lines and bad files: each case
# checks the exit status and a phrase of the message on stderr.  TAP.
#
# Usage: cli-errors.sh KENNEL_ENGINE
set -u

engine=${1:?usage: cli-errors.sh KENNEL_ENGINE}
work=$(mktemp -d "${TMPDIR:-/tmp}/kennel-cli-XXXXXX")
trap 'rm -rf "$work"' EXIT

count=0
failed=0

# expect NAME STATUS PHRASE -- ARGS...
expect() {
  local name=$1 status=$2 phrase=$3
  shift 4
  local got out
  count=$((count + 1))
  out=$(timeout 20 "$engine" "$@" </dev/null 2>&1 >/dev/null)
  got=$?
  if [ "$got" -eq "$status" ] && grep -qF -- "$phrase" <<<"$out"; then
    echo "ok $count - $name"
  else
    failed=$((failed + 1))
    echo "not ok $count - $name"
    echo "# expected status $status and \"$phrase\""
    echo "# got status $got and:"
    sed 's/^/#   /' <<<"$out"
  fi
}

# expect_stdout NAME STATUS PHRASE -- ARGS...: the same for stdout (help, version).
expect_stdout() {
  local name=$1 status=$2 phrase=$3
  shift 4
  local got out
  count=$((count + 1))
  out=$(timeout 20 "$engine" "$@" </dev/null 2>/dev/null)
  got=$?
  if [ "$got" -eq "$status" ] && grep -qF -- "$phrase" <<<"$out"; then
    echo "ok $count - $name"
  else
    failed=$((failed + 1))
    echo "not ok $count - $name"
    echo "# expected status $status and \"$phrase\" on stdout, got status $got"
  fi
}

# A riscv64 Image header whose image_size claims `mib` MiB, on a tiny file.
make_image() {
  local path=$1 mib=$2
  python3 - "$path" "$mib" <<'PY'
import struct, sys
path, mib = sys.argv[1], int(sys.argv[2])
header = struct.pack('<IIQQQIIQ8s4sI', 0x6f, 0, 0x200000, mib << 20, 0, 2, 0, 0,
                     b'RISCV\0\0\0', b'RSC\x05', 0)
open(path, 'wb').write(header + bytes(4096 - len(header)))
PY
}

echo "TAP version 13"

printf 'not a kernel, just words\n' >"$work/notes.txt"
make_image "$work/Image" 13
head -c $((3 << 20)) /dev/zero >"$work/initrd"
head -c $((16 << 20)) /dev/zero >"$work/initrd-16M"

# Files.
expect "missing kernel file" 1 "cannot open kernel $work/nope: No such file or directory" \
  -- run --kernel "$work/nope"
expect "missing initrd file" 1 "cannot open initrd $work/nope" \
  -- run --kernel "$work/Image" --initrd "$work/nope"
expect "missing firmware file" 1 "cannot open firmware $work/nope" \
  -- run --firmware "$work/nope"
expect "x86-64 ELF as kernel" 1 "is an x86-64 ELF, not a riscv64 Image or ELF" \
  -- run --kernel /bin/true
expect "x86-64 ELF as firmware" 1 "firmware /bin/true is an x86-64 ELF" \
  -- run --firmware /bin/true
expect "text file as kernel" 1 "is not an Image or ELF (it looks like text)" \
  -- run --kernel "$work/notes.txt"
expect "directory as kernel" 1 "is not a regular file" -- run --kernel "$work"
touch "$work/empty"
expect "empty kernel" 1 "is empty" -- run --kernel "$work/empty"
expect "RAM too small for kernel + initrd" 1 "RAM too small: 16 MiB of RAM cannot hold the kernel" \
  -- run --kernel "$work/Image" --initrd "$work/initrd" --mem 16M

# The demo guest's Image, with an initrd that cannot fit beside it.
demo_dir=${KENNEL_DEMO_GUEST_DIR:-}
if [ -z "$demo_dir" ] && [ -n "${KENNEL_SOURCE_ROOT:-}" ]; then
  demo_dir=$(bash "$KENNEL_SOURCE_ROOT/guests/build-demo-guest.sh" --print-dir 2>/dev/null || true)
fi
count=$((count + 1))
if [ -n "$demo_dir" ] && [ -f "$demo_dir/Image" ] && [ -f "$demo_dir/initramfs.cpio.gz" ]; then
  count=$((count - 1))
  expect "--mem too small for the demo Image + initrd" 1 "RAM too small" \
    -- run --kernel "$demo_dir/Image" --initrd "$work/initrd-16M" --mem 16M
  cat "$demo_dir/initramfs.cpio.gz" "$work/initrd-16M" "$work/initrd-16M" >"$work/demo-initrd-big"
  expect "--mem 24M too small for the demo Image + a big initrd" 1 "the initrd (" \
    -- run --kernel "$demo_dir/Image" --initrd "$work/demo-initrd-big" --mem 24M
else
  echo "ok $count - --mem too small for the demo Image + initrd # SKIP demo guest not built"
fi

# vCPUs and memory.
expect "--cpus 0" 2 "--cpus 0 is impossible: a machine has 1 to 8 vCPUs" \
  -- run --kernel "$work/Image" --cpus 0
expect "--cpus 9" 2 "--cpus 9 is impossible" -- run --kernel "$work/Image" --cpus 9
expect "--cpus abc" 2 "--cpus 'abc' is not a number" -- run --kernel "$work/Image" --cpus abc
expect "--mem 1K" 2 "--mem 1K is too small: the least is 16 MiB" \
  -- run --kernel "$work/Image" --mem 1K
expect "--mem 99T" 2 "--mem 99T is too large: the most is 16 GiB" \
  -- run --kernel "$work/Image" --mem 99T
expect "--mem xyz" 2 "--mem 'xyz' is not a size" -- run --kernel "$work/Image" --mem xyz

# The command line itself.
expect "neither --kernel nor --firmware" 2 "nothing to boot: give --kernel FILE, --firmware FILE or both" \
  -- run
expect "--initrd without --kernel" 2 "--initrd needs --kernel" \
  -- run --firmware "$work/Image" --initrd "$work/initrd"
expect "unknown option" 2 "unknown option '--frobnicate'" -- run --kernel "$work/Image" --frobnicate
expect "option without its value" 2 "--kernel needs a value" -- run --kernel
expect "stray argument" 2 "unexpected argument 'Image2'" -- run --kernel "$work/Image" Image2
expect "--control-fd abc" 2 "--control-fd 'abc' is not a file descriptor number" \
  -- run --kernel "$work/Image" --control-fd abc
expect "--control-fd not open" 1 "--control-fd 99 is not open" \
  -- run --kernel "$work/Image" --control-fd 99
expect "--control-fd not a socket" 1 "--control-fd 0 is not a socket" \
  -- run --kernel "$work/Image" --control-fd 0
expect "unknown command" 2 "unknown command 'fly'" -- fly
expect "no command" 2 "Usage: kennel-engine COMMAND" --
expect_stdout "--help lists the commands" 0 "  run " -- --help
expect_stdout "run --help" 0 "--kernel FILE" -- run --help
expect_stdout "--version" 0 "kennel-engine " -- --version

echo "1..$count"
[ "$failed" -eq 0 ]

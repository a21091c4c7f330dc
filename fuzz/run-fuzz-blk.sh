#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds fuzz-blk (virtio-blk's request parsing, fuzz-blk.c) with clang's
# libFuzzer (plus ASan and UBSan) and runs it, as run-fuzz.sh does for
# fuzz-virtqueue.  Prints TAP, so that meson can run a bounded round as a test.
#
# Usage: run-fuzz-blk.sh OUT_DIR [libFuzzer options...]
#   e.g. run-fuzz-blk.sh /tmp/fuzz -runs=200000
#        run-fuzz-blk.sh /tmp/fuzz -max_total_time=3600 -jobs=4   (see fuzz/README.md)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$here/../src
out=${1:?usage: run-fuzz-blk.sh OUT_DIR [libFuzzer options...]}
shift
mkdir -p "$out/corpus"

echo "TAP version 13"
echo "1..1"
if ! command -v clang >/dev/null; then
  echo "ok 1 - fuzz-blk # SKIP clang is not installed"
  exit 0
fi
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
  clang -fsanitize=fuzzer -x c - -o "$out/probe" >/dev/null 2>&1; then
  echo "ok 1 - fuzz-blk # SKIP clang has no libFuzzer"
  exit 0
fi

common=(-std=gnu11 -D_GNU_SOURCE -g -O1 -I"$src" -I"$src/engine" -I"$src/hv" -w)
# The hv is the ground the target stands on, not the target: plain -O2.
hv_sources=("$src"/hv/hv.c "$src"/hv/riscv/*.c)
# What the fuzzer exercises, with the sanitizers.
engine_sources=("$src"/engine/virtio/*.c "$src"/engine/machine.c "$src"/engine/console.c
  "$src"/engine/fdt_writer.c "$here"/fuzz-blk.c)

objs=()
for f in "${hv_sources[@]}"; do
  o=$out/hv-$(basename "$f" .c).o
  clang "${common[@]}" -O2 -c "$f" -o "$o"
  objs+=("$o")
done
if ! clang "${common[@]}" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  "${engine_sources[@]}" "${objs[@]}" -lfdt -lpthread -lm -o "$out/fuzz-blk" 2>"$out/build.log"; then
  echo "not ok 1 - fuzz-blk does not build"
  sed 's/^/# /' "$out/build.log"
  exit 1
fi

# Well-formed requests to start from (kept in a directory of their own).
python3 "$here/blk-seeds.py" "$out/seeds"
if "$out/fuzz-blk" "$@" "$out/corpus" "$out/seeds" >"$out/fuzz.log" 2>&1; then
  echo "ok 1 - fuzz-blk $* ($(grep -c . "$out/fuzz.log") log lines, corpus $(ls "$out/corpus" | wc -l))"
  exit 0
fi
echo "not ok 1 - fuzz-blk found a crash (log in $out/fuzz.log)"
tail -n 40 "$out/fuzz.log" | sed 's/^/# /'
exit 1

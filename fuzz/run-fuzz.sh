#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Builds one libFuzzer target (fuzz-TARGET.c) with clang (plus ASan and
# UBSan) and runs it.  Prints TAP, so that meson can run a bounded round as
# a test.  A target with a seed generator (TARGET-seeds.py) starts from the
# well-formed inputs it writes.
#
# Usage: run-fuzz.sh TARGET OUT_DIR [libFuzzer options...]
#   e.g. run-fuzz.sh virtqueue /tmp/fuzz -runs=200000
#        run-fuzz.sh blk /tmp/fuzz-blk -max_total_time=3600 -jobs=4   (see fuzz/README.md)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$here/../src
usage="usage: run-fuzz.sh TARGET OUT_DIR [libFuzzer options...]"
target=${1:?$usage}
out=${2:?$usage}
shift 2
name=fuzz-$target
[ -f "$here/$name.c" ] || { echo "run-fuzz.sh: no target $here/$name.c" >&2; exit 2; }
mkdir -p "$out/corpus"

echo "TAP version 13"
echo "1..1"
if ! command -v clang >/dev/null; then
  echo "ok 1 - $name # SKIP clang is not installed"
  exit 0
fi
if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
  clang -fsanitize=fuzzer -x c - -o "$out/probe" >/dev/null 2>&1; then
  echo "ok 1 - $name # SKIP clang has no libFuzzer"
  exit 0
fi

common=(-std=gnu11 -D_GNU_SOURCE -g -O1 -I"$src" -I"$src/engine" -I"$src/hv" -w)
# The hv is the ground the target stands on, not the target: plain -O2.
hv_sources=("$src"/hv/hv.c "$src"/hv/riscv/*.c)
# What the fuzzer exercises, with the sanitizers.
engine_sources=("$src"/engine/virtio/*.c "$src"/engine/machine.c "$src"/engine/console.c
  "$src"/engine/net_slirp.c "$src"/engine/fdt_writer.c "$src"/engine/display.c "$here/$name.c")

objs=()
for f in "${hv_sources[@]}"; do
  o=$out/hv-$(basename "$f" .c).o
  clang "${common[@]}" -O2 -c "$f" -o "$o"
  objs+=("$o")
done
if ! clang "${common[@]}" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  $(pkg-config --cflags slirp) "${engine_sources[@]}" "${objs[@]}" $(pkg-config --libs slirp) \
  -lfdt -lpthread -lm -o "$out/$name" 2>"$out/build.log"; then
  echo "not ok 1 - $name does not build"
  sed 's/^/# /' "$out/build.log"
  exit 1
fi

corpora=("$out/corpus")
if [ -f "$here/$target-seeds.py" ]; then
  # Well-formed inputs to start from, kept in a directory of their own.
  python3 "$here/$target-seeds.py" "$out/seeds"
  corpora+=("$out/seeds")
fi
if "$out/$name" "$@" "${corpora[@]}" >"$out/fuzz.log" 2>&1; then
  echo "ok 1 - $name $* ($(grep -c . "$out/fuzz.log") log lines, corpus $(ls "$out/corpus" | wc -l))"
  exit 0
fi
echo "not ok 1 - $name found a crash (log in $out/fuzz.log)"
tail -n 40 "$out/fuzz.log" | sed 's/^/# /'
exit 1

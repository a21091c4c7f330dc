#!/usr/bin/env bash
# Every C file in the repository must match .clang-format.  Prints TAP.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.c' '*.h' 2>/dev/null || find src tests fuzz bench -name '*.[ch]')
if [ ${#files[@]} -eq 0 ]; then
  echo "1..0 # SKIP no C files found"
  exit 0
fi
echo "1..${#files[@]}"
n=0 bad=0
for f in "${files[@]}"; do
  n=$((n + 1))
  if clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "ok $n - $f"
  else
    echo "not ok $n - $f is not clang-formatted (run: clang-format -i $f)"
    bad=$((bad + 1))
  fi
done
[ "$bad" -eq 0 ]

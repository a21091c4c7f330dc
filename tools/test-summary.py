#!/usr/bin/env python3
"""Count meson test results from testlog.json files and print the closing
line "N passed, N failed" (", N skipped" when any were skipped).  Exits
non-zero when a test failed or when no test ran at all."""
import json
import sys

PASSED = {"OK", "EXPECTEDFAIL"}
SKIPPED = {"SKIP"}

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as log:
            for line in log:
                line = line.strip()
                if not line:
                    continue
                result = json.loads(line).get("result")
                if result in PASSED:
                    passed += 1
                elif result in SKIPPED:
                    skipped += 1
                else:
                    failed += 1
                    print(f"failed: {json.loads(line).get('name')} ({result}) in {path}")
    except FileNotFoundError:
        print(f"no test log at {path}: that build's tests did not run")
        failed += 1

line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed or passed == 0 else 0)

# SPDX-License-Identifier: GPL-2.0-or-later
"""What the demo-guest tests of the virtio devices share: finding the
demo guest, reporting as TAP, and reading a pty or pipe until a pattern.

The scripts beside this file import it (Python puts a script's own
directory first on the module path)."""
import os
import re
import select
import subprocess
import sys
import time


def guest_dir():
    """The demo guest's directory, from $KENNEL_DEMO_GUEST_DIR or the recipe; None if not built."""
    d = os.environ.get("KENNEL_DEMO_GUEST_DIR")
    if not d:
        root = os.environ.get("KENNEL_SOURCE_ROOT", "")
        try:
            d = subprocess.run(["bash", os.path.join(root, "guests/build-demo-guest.sh"),
                                "--print-dir"], capture_output=True, text=True,
                               timeout=60).stdout.strip().splitlines()[-1]
        except (OSError, IndexError, subprocess.SubprocessError):
            d = ""
    if d and os.path.isfile(os.path.join(d, "Image")) and \
            os.path.isfile(os.path.join(d, "initramfs.cpio.gz")):
        return d
    return None


class Tap:
    """TAP output.  With a total the plan comes first, else done() prints it last."""

    def __init__(self, total=None):
        self.n = 0
        self.failed = 0
        print("TAP version 13")
        if total is not None:
            print(f"1..{total}")
        sys.stdout.flush()

    def skip(self, name, why):
        self.n += 1
        print(f"ok {self.n} - {name} # SKIP {why}", flush=True)

    def check(self, name, problems, out="", err=""):
        """One test: ok without problems, else not ok with them and the end of the logs."""
        self.n += 1
        if not problems:
            print(f"ok {self.n} - {name}", flush=True)
            return
        self.failed += 1
        print(f"not ok {self.n} - {name}")
        for p in problems:
            print(f"# {p}")
        for line in out.replace("\r", "").splitlines()[-25:]:
            print(f"#   out: {line}")
        for line in err.splitlines()[-10:]:
            print(f"#   err: {line}")
        sys.stdout.flush()

    def done(self):
        print(f"1..{self.n}", flush=True)


def read_until(fd, pattern, deadline):
    """Bytes read from fd until they match pattern (bytes regex), EOF or the deadline."""
    got = b""
    while time.time() < deadline and not re.search(pattern, got):
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            got += chunk
    return got

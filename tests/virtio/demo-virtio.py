#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The virtio devices under the demo guest's Linux drivers, end to end.  TAP.

Usage: demo-virtio.py KENNEL_ENGINE

  1. rng: /dev/hwrng exists only if virtio-rng bound; 64 bytes come out.
  2. rng with --virtio-legacy (virtio-mmio version 1).
  3. console on stdio: output to /dev/hvc1 reaches stdout, stdin reaches
     the guest's read from /dev/hvc1, and stty size there is 24 80 (no
     terminal on the host: the default).
  4. console on a pty: what the guest printed before anyone attached is
     replayed to the first reader, and a TIOCSWINSZ on the pty shows up in
     the guest's `stty size`.

The guest comes from $KENNEL_DEMO_GUEST_DIR, or else from
"$KENNEL_SOURCE_ROOT"/guests/build-demo-guest.sh --print-dir.
"""
import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
import time

from demo_guest import guest_dir, read_until, Tap

LIMIT = int(os.environ.get("KENNEL_BOOT_TIMEOUT", "100"))


def engine_args(engine, d, run, *extra):
    return [engine, "run", "--kernel", os.path.join(d, "Image"),
            "--initrd", os.path.join(d, "initramfs.cpio.gz"), *extra,
            "--append", f'console=hvc0 kennel.run="{run}"']


def boot(engine, d, run, *extra, stdin=b""):
    p = subprocess.run(engine_args(engine, d, run, *extra), input=stdin,
                       capture_output=True, timeout=LIMIT)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def expect(out, status, *wanted):
    problems = [] if status == 0 else [f"exit status {status}, expected 0"]
    problems += [f"no {w!r} in the output" for w in wanted if w not in out]
    return problems


def test_rng(tap, engine, d, *extra):
    status, out, err = boot(engine, d, "head -c 64 /dev/hwrng | wc -c", *extra)
    tap.check("virtio-rng: 64 bytes from /dev/hwrng " + " ".join(extra),
              expect(out, status, "\n64", "KENNEL-RUN-EXIT=0"), out, err)


def test_console_stdio(tap, engine, d):
    # Input goes in once the guest reads: bytes that arrive while no one
    # has hvc1 open wait in Linux's driver until more come (docs/virtio.md).
    # Linux's hvc driver gives a freshly opened tty its size from a work
    # queue, so a stty right after the open may still see 0x0 (BusyBox then
    # prints just "stty: standard input"): ask again until a size is there.
    run = ("(sleep 1; echo hello-from-hvc$((0+1)) > /dev/hvc1) & read line < /dev/hvc1; "
           "echo got:$line; wait; for i in 1 2 3 4 5 6 7 8 9 10; do "
           "s=$(stty size < /dev/hvc1 2>/dev/null) && break; sleep 0.2; done; echo size:$s")
    p = subprocess.Popen(engine_args(engine, d, run), stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    problems = []
    seen = read_until(p.stdout.fileno(), rb"hello-from-hvc1\r?\n", time.time() + LIMIT)
    try:
        p.stdin.write(b"typed-on-stdin\n")
        p.stdin.flush()
        out, err = p.communicate(timeout=LIMIT)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        problems.append("timed out")
    out = seen.decode(errors="replace") + out.decode(errors="replace")
    tap.check("virtio-console on stdio: output, input and the default size",
              problems + expect(out, p.returncode, "hello-from-hvc1", "got:typed-on-stdin",
                                "size:24 80"), out, err.decode(errors="replace"))


def test_console_pty(tap, engine, d):
    # The guest prints before anyone can attach, then waits for the size
    # the host sets and reports it on the console.
    run = ("echo printed-before-attach > /dev/hvc1; "
           "i=0; while [ $i -lt 40 ]; do s=$(stty size < /dev/hvc1); "
           "case $s in '33 101') break;; esac; sleep 1; i=$((i+1)); done; "
           "echo size:$s > /dev/hvc1")
    p = subprocess.Popen(engine_args(engine, d, run, "--console", "pty"),
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    problems = []
    got = b""
    try:
        line = p.stderr.readline().decode()
        m = re.search(r"virtio console on (/dev/pts/\d+)", line)
        if not m:
            problems.append(f"no pty path on stderr: {line!r}")
        else:
            time.sleep(3)  # the guest boots and prints with nobody attached
            fd = os.open(m.group(1), os.O_RDWR | os.O_NOCTTY)
            deadline = time.time() + LIMIT
            got = read_until(fd, rb"printed-before-attach", deadline)
            fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 33, 101, 0, 0))
            got += read_until(fd, rb"size:[0-9 ]+\r?\n", deadline)
            os.close(fd)
        out, err = p.communicate(timeout=LIMIT)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        problems.append("timed out")
    text = got.decode(errors="replace")
    if "printed-before-attach" not in text:
        problems.append("what the guest printed before the attach was not replayed")
    if "size:33 101" not in text:
        problems.append("the guest's stty size did not follow TIOCSWINSZ")
    if p.returncode != 0:
        problems.append(f"exit status {p.returncode}")
    tap.check("virtio-console on a pty: scroll-back replay and resize", problems,
              text + "\n" + out.decode(errors="replace"), err.decode(errors="replace"))


def main():
    engine = sys.argv[1]
    d = guest_dir()
    if not d:
        print("1..0 # SKIP the demo guest is not built (guests/build-demo-guest.sh)")
        return 0
    tap = Tap(4)
    test_rng(tap, engine, d)
    test_rng(tap, engine, d, "--virtio-legacy")
    test_console_stdio(tap, engine, d)
    test_console_pty(tap, engine, d)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Benchmarks of the screen: virtio-gpu to the VNC client.

Usage: bench/bench-display.py [--engine PATH] [--probe PATH] [--guest DIR]
                              [--seconds N] [--boots N] [--qemu PATH|'']

  latency  the guest writes a 1024x16 band to /dev/fb0 every 200 ms; the
           engine logs each RESOURCE_FLUSH with its CLOCK_MONOTONIC time
           (KENNEL_GPU_TRACE=1) and vnc-probe, which always has an update
           request outstanding, notes when each update has arrived;
           latency = arrival - the flush before it (target < 30 ms)
  fps      the guest rewrites the whole 1024x768 /dev/fb0 in a loop (two
           colours, dd bs=1M: Linux flushes each 1 MiB write, 256 rows);
           whole screens per second flushed by the guest (flushed area /
           screen area), and received by the client
  idle     the guest idle at its tty1 shell with a client connected: the
           engine's CPU time over N seconds, with fbcon's cursor blink off
           (nothing changes: target about 0) and on (5 small flushes a
           second); and the same guest with --no-display for reference
  boot     seconds from start to KENNEL-GUEST-READY, with and without the
           display (median of --boots runs each)

With QEMU (qemu-system-riscv64, TCG, OpenSBI fw_jump, virtio-gpu-device
and its own VNC server on a unix socket), the fps and idle figures are
also taken for QEMU in the same run.

The engine and vnc-probe come from build/ unless given; the guest from
$KENNEL_DEMO_GUEST_DIR or guests/build-demo-guest.sh --print-dir.  Prints a
markdown table on stdout, progress on stderr.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICK = os.sysconf("SC_CLK_TCK")


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def guest_dir(arg):
    d = arg or os.environ.get("KENNEL_DEMO_GUEST_DIR")
    if not d:
        d = subprocess.run(["bash", os.path.join(ROOT, "guests/build-demo-guest.sh"),
                            "--print-dir"], capture_output=True, text=True
                           ).stdout.strip().splitlines()[-1]
    return d


class Engine:
    def __init__(self, args, env=None):
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=env)
        self.t0 = time.monotonic()
        self.out, self.err = b"", b""
        self.lock = threading.Lock()
        for f, name in ((self.p.stdout, "out"), (self.p.stderr, "err")):
            threading.Thread(target=self._read, args=(f, name), daemon=True).start()

    def _read(self, f, name):
        while True:
            chunk = os.read(f.fileno(), 65536)
            if not chunk:
                return
            with self.lock:
                setattr(self, name, getattr(self, name) + chunk)

    def text(self, name="out"):
        with self.lock:
            return getattr(self, name).decode(errors="replace")

    def wait_for(self, pattern, timeout=120, name="out"):
        end = time.time() + timeout
        while time.time() < end:
            if re.search(pattern, self.text(name)):
                return True
            if self.p.poll() is not None:
                return False
            time.sleep(0.02)
        return False

    def send(self, line):
        self.p.stdin.write(line.encode() + b"\n")
        self.p.stdin.flush()

    def cpu(self):
        with open(f"/proc/{self.p.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def stop(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()


class Probe:
    def __init__(self, path, where):
        self.p = subprocess.Popen([path, where], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  text=True)
        self.first = self.p.stdout.readline().strip()

    def cmd(self, line):
        try:
            self.p.stdin.write(line + "\n")
            self.p.stdin.flush()
            return self.p.stdout.readline().strip()
        except OSError:
            return ""  # the probe ended: the guest powered off

    def close(self):
        try:
            self.p.stdin.write("quit\n")
            self.p.stdin.close()
            self.p.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.p.kill()


BIOS = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"


def boot(args, d, tmp, run=None, display=True, trace=False, qemu=False):
    sock = os.path.join(tmp, "vnc.sock")
    if os.path.exists(sock):
        os.unlink(sock)
    console = "ttyS0" if qemu else "hvc0"
    append = f"console={console}" + (f' kennel.run="{run}"' if run else "")
    if qemu:
        # QEMU's virt machine with the same three virtio-mmio devices and
        # its own VNC server on a unix socket; OpenSBI as bench-core.sh.
        cmd = [args.qemu, "-M", "virt", "-bios", BIOS, "-m", "256M", "-nographic",
               "-global", "virtio-mmio.force-legacy=false",  # Linux's virtio-gpu needs 1.x
               "-kernel", os.path.join(d, "Image"),
               "-initrd", os.path.join(d, "initramfs.cpio.gz"), "-append", append]
        if display:
            cmd += ["-device", "virtio-gpu-device,xres=1024,yres=768",
                    "-device", "virtio-keyboard-device",
                    "-device", "virtio-tablet-device", "-vnc", f"unix:{sock}"]
    else:
        cmd = [args.engine, "run", "--kernel", os.path.join(d, "Image"),
               "--initrd", os.path.join(d, "initramfs.cpio.gz"), "--append", append]
        cmd += ["--vnc", f"unix:{sock}"] if display else ["--no-display"]
    env = dict(os.environ)
    if trace:
        env["KENNEL_GPU_TRACE"] = "1"
    e = Engine(cmd, env)
    if not e.wait_for(r"KENNEL-GUEST-READY"):
        e.stop()
        raise RuntimeError("the guest did not boot: " + e.text()[-500:] + e.text("err")[-500:])
    return e, sock


# 16 rows (64 KiB) of one colour, and the whole screen (3 MiB) in two colours.
MAKE_BAND = ("printf '\\100\\200\\300\\000' > /tmp/b; for i in 1 2 3 4 5 6 7 8 9 10 11 12 "
             "13 14; do cat /tmp/b /tmp/b > /tmp/b2; mv /tmp/b2 /tmp/b; done")
MAKE_FULL = ("for c in 1 2; do printf '\\0'$c'0\\0'$c'0\\1'$c'0\\000' > /tmp/f$c; "
             "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do "
             "cat /tmp/f$c /tmp/f$c > /tmp/g; mv /tmp/g /tmp/f$c; done; "
             "head -c 3145728 /tmp/f$c > /tmp/g; mv /tmp/g /tmp/f$c; done")


def flushes(e):
    return [(float(m.group(1)), m.group(2)) for m in
            re.finditer(r"flush at (\d+\.\d+): (\S+)", e.text("err"))]


def bench_latency(args, d, tmp):
    n = 40
    run = (f"{MAKE_BAND}; echo 0 > /sys/class/vtconsole/vtcon1/bind; sleep 1; "
           f"i=0; while [ $i -lt {n} ]; do "
           "dd if=/tmp/b of=/dev/fb0 bs=65536 seek=$((i % 40)) 2>/dev/null; "
           "sleep 0.2; i=$((i+1)); done")
    e, sock = boot(args, d, tmp, run=run, trace=True)
    probe = Probe(args.probe, f"unix:{sock}")
    probe.cmd("frame")
    arrivals = []
    while e.p.poll() is None:
        r = probe.cmd("update 2000")
        if r.startswith("update"):
            arrivals.append(float(r.split()[1]))
        elif not r:
            break
    e.p.wait(timeout=60)
    probe.close()
    fl = [t for t, rect in flushes(e) if rect.startswith("1024x16")]
    e.stop()
    lat = []
    for t in fl:
        after = [a for a in arrivals if a >= t]
        if after:
            lat.append((after[0] - t) * 1000)
    if not lat:
        raise RuntimeError("no flush was matched by an update")
    return {"flushes": len(fl), "updates": len(arrivals),
            "median": statistics.median(lat), "p90": sorted(lat)[int(len(lat) * 0.9) - 1],
            "max": max(lat)}


def bench_fps(args, d, tmp, qemu=False):
    secs = args.seconds
    run = (f"{MAKE_FULL}; echo 0 > /sys/class/vtconsole/vtcon1/bind; echo fps-start; "
           f"end=$(($(date +%s)+{secs + 2})); while [ $(date +%s) -lt $end ]; do "
           "dd if=/tmp/f1 of=/dev/fb0 bs=1M 2>/dev/null; "
           "dd if=/tmp/f2 of=/dev/fb0 bs=1M 2>/dev/null; done")
    e, sock = boot(args, d, tmp, run=run, trace=True, qemu=qemu)
    probe = Probe(args.probe, f"unix:{sock}")
    probe.cmd("frame")
    e.wait_for(r"fps-start", 120)
    time.sleep(1)
    t0 = time.monotonic()
    fl0 = len(flushes(e))
    c0 = e.cpu()
    r = probe.cmd(f"count {secs * 1000}")
    t1 = time.monotonic()
    c1 = e.cpu()
    area = 0
    for _, rect in flushes(e)[fl0:]:
        w, h = rect.split("+")[0].split("x")
        area += int(w) * int(h)
    probe.close()
    e.stop()
    span = t1 - t0
    screen = 1024 * 768
    return {"flush_fps": None if qemu else area / screen / span,
            "client_fps": float(r.split()[2]) / screen / span,
            "updates": int(r.split()[1]) / span, "cpu": (c1 - c0) / span * 100}


def bench_idle(args, d, tmp):
    secs = args.seconds
    result = {}
    cases = [("display, blink off", True, "0", False), ("display, blink on", True, "1", False),
             ("no display", False, None, False)]
    if args.qemu:
        cases += [("QEMU, display, blink off", True, "0", True),
                  ("QEMU, no display", False, None, True)]
    for label, display, blink, qemu in cases:
        e, sock = boot(args, d, tmp, display=display, trace=True, qemu=qemu)
        probe = None
        time.sleep(3)  # the hvc1 shell starts after the marker
        if blink is not None:
            e.send(f"echo {blink} > /sys/class/graphics/fbcon/cursor_blink")
            probe = Probe(args.probe, f"unix:{sock}")
            probe.cmd("frame")
        time.sleep(3)
        fl0 = len(flushes(e))
        c0 = e.cpu()
        t0 = time.monotonic()
        if probe:
            updates = int(probe.cmd(f"count {secs * 1000}").split()[1])
        else:
            time.sleep(secs)
            updates = 0
        c1 = e.cpu()
        span = time.monotonic() - t0
        result[label] = {"cpu": (c1 - c0) / span * 100, "flushes": len(flushes(e)) - fl0,
                         "updates": updates, "secs": span}
        if probe:
            probe.close()
        e.stop()
    return result


def bench_boot(args, d, tmp):
    """Wall time and the engine's CPU time from start to the readiness line."""
    times = {True: [], False: []}
    cpu = {True: [], False: []}
    for _ in range(args.boots):
        for display in (True, False):
            t0 = time.monotonic()
            e, _ = boot(args, d, tmp, run="sleep 1", display=display)
            times[display].append(time.monotonic() - t0)
            cpu[display].append(e.cpu())
            e.p.wait(timeout=60)
            e.stop()
    return {k: (statistics.median(times[k]), statistics.median(cpu[k])) for k in times}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", default=os.path.join(ROOT, "build/src/engine/kennel-engine"))
    ap.add_argument("--probe", default=os.path.join(ROOT, "build/tests/display/vnc-probe"))
    ap.add_argument("--guest")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--boots", type=int, default=5)
    ap.add_argument("--qemu", default=shutil.which(os.environ.get("KENNEL_QEMU",
                                                                  "qemu-system-riscv64")),
                    help="QEMU for the comparison (default qemu-system-riscv64; '' for none)")
    ap.add_argument("--only", choices=["latency", "fps", "idle", "boot"],
                    help="run one part and print its raw figures")
    args = ap.parse_args()
    d = guest_dir(args.guest)
    tmp = tempfile.mkdtemp(prefix="kennel-bench-display-")
    if args.only:
        parts = {"latency": bench_latency, "fps": bench_fps, "idle": bench_idle,
                 "boot": bench_boot}
        try:
            print(parts[args.only](args, d, tmp))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return 0
    try:
        log("latency: flush -> client update")
        lat = bench_latency(args, d, tmp)
        log(f"  {lat}")
        log("fps: full-screen redraw loop")
        fps = bench_fps(args, d, tmp)
        log(f"  {fps}")
        qfps = None
        if args.qemu:
            log("fps: the same loop under QEMU (virtio-gpu-device, its VNC server)")
            qfps = bench_fps(args, d, tmp, qemu=True)
            log(f"  {qfps}")
        log("idle: engine CPU with a client connected")
        idle = bench_idle(args, d, tmp)
        log(f"  {idle}")
        log("boot: to KENNEL-GUEST-READY with and without the display")
        bt = bench_boot(args, d, tmp)
        log(f"  {bt}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load = open("/proc/loadavg").read().split()[:3]
    print(f"Load average at the end: {' '.join(load)} ({os.cpu_count()} cores)\n")
    print("| measure | value |")
    print("| --- | --- |")
    print(f"| RESOURCE_FLUSH -> client update, median ({lat['flushes']} flushes) "
          f"| {lat['median']:.1f} ms |")
    print(f"| ... 90th percentile / max | {lat['p90']:.1f} / {lat['max']:.1f} ms |")
    print(f"| full-screen redraw: screens/s flushed by the guest | {fps['flush_fps']:.1f} |")
    print(f"| full-screen redraw: screens/s received by the client "
          f"({fps['updates']:.1f} updates/s) | {fps['client_fps']:.1f} |")
    print(f"| full-screen redraw: engine CPU | {fps['cpu']:.0f} % |")
    if qfps:
        print(f"| QEMU: screens/s received by the client ({qfps['updates']:.1f} updates/s) "
              f"| {qfps['client_fps']:.1f} (Kennel/QEMU "
              f"{fps['client_fps'] / max(qfps['client_fps'], 1e-9):.2f}) |")
        print(f"| QEMU: full-screen redraw CPU | {qfps['cpu']:.0f} % |")
    for label, r in idle.items():
        print(f"| idle {args.seconds} s, {label}: engine CPU | {r['cpu']:.2f} % "
              f"({r['flushes']} flushes, {r['updates']} updates sent) |")
    for k, label in ((True, "display"), (False, "--no-display")):
        print(f"| boot to ready, {label} (median of {args.boots}): wall, engine CPU "
              f"| {bt[k][0]:.2f} s, {bt[k][1]:.2f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

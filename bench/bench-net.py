#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""slirp TCP throughput, Kennel against QEMU, same guest, same run.

Usage: bench/bench-net.py [--size MIB] [--runs N] [--engine PATH] [--guest DIR]
                          [--qemu PATH] [--timeout SECS]

Both machines boot the demo guest (1 hart, 256 MiB) with user-mode
networking: Kennel with `--net user` (virtio-net on libslirp), QEMU with
`-netdev user -device virtio-net-device` (QEMU's own slirp, virtio-mmio).
Each run is one boot with one `kennel.run=` command:

  host -> guest  the guest runs `nc 10.0.2.2 PORT </dev/null >/dev/null`; a
                 host socket on 127.0.0.1:PORT sends SIZE bytes, shuts down
                 its side and waits for the guest's nc to close (it does
                 once it has read everything);
  guest -> host  the guest writes SIZE bytes of zeros to tmpfs first, then
                 runs `nc 10.0.2.2 PORT </tmp/z`; the host socket reads
                 SIZE bytes and closes.

Each transfer is timed twice: in the guest (/proc/uptime around nc, 10 ms
resolution) and on the host (from accept() to the last byte, or to the
guest's close after the last byte sent), and the host CPU time (utime +
stime, all threads, from /proc/PID/stat) the machine's process used over
that host-side span gives MB per CPU second, which hardly depends on the
host's load.  The figure is the median MB/s
(10^6 bytes per second) of the in-guest times over the runs; Kennel and
QEMU runs alternate so that a change in the host's load hits both.
Ratios are Kennel / QEMU (higher is better; target >= 0.8).

Kennel's link has a 64 KiB MTU (VIRTIO_NET_F_MTU); QEMU's default is 1500.
A third machine, QEMU with `host_mtu=65520` on its virtio-net device,
shows how much of the difference that makes (QEMU's slirp keeps its own
1500-byte MTU, so only the guest's transmissions get bigger).
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time

# QEMU as a user starts it, and QEMU with the same 64 KiB link MTU as Kennel.
MACHINES = ("kennel", "qemu", "qemu-mtu")
here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(here)


def note(msg):
    print(f"[bench-net] {msg}", file=sys.stderr, flush=True)


def guest_dir(arg):
    d = arg or os.environ.get("KENNEL_DEMO_GUEST_DIR")
    if not d:
        d = subprocess.run(["bash", os.path.join(top, "guests/build-demo-guest.sh"),
                            "--print-dir"], capture_output=True, text=True
                           ).stdout.strip().splitlines()[-1]
    for f in ("Image", "initramfs.cpio.gz"):
        if not os.path.isfile(os.path.join(d, f)):
            sys.exit(f"bench-net: no {f} in {d} (build the guest: guests/build-demo-guest.sh)")
    return d


CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_cpu_seconds(pid):
    """utime+stime of every thread of PID (clock-tick resolution), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except (OSError, TypeError):
        return None
    fields = data[data.rindex(b")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


class HostEnd:
    """One TCP connection on 127.0.0.1: sends or receives `size` bytes, timed."""

    def __init__(self, direction, size):
        self.direction = direction
        self.size = size
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.seconds = None
        self.cpu = None  # host CPU seconds the machine's process used meanwhile
        self.pid = None  # the machine's process, set once it runs
        self.bytes = 0
        self.error = None
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        try:
            conn, _ = self.sock.accept()
        except OSError as e:
            self.error = str(e)
            return
        with conn:
            start = time.monotonic()
            cpu0 = proc_cpu_seconds(self.pid)
            if self.direction == "h2g":
                block = b"\0" * (1 << 16)
                left = self.size
                while left > 0:
                    n = conn.send(block[:min(left, len(block))])
                    left -= n
                    self.bytes += n
                conn.shutdown(socket.SHUT_WR)
                while conn.recv(4096):  # the guest closes once it has it all
                    pass
            else:
                while self.bytes < self.size:
                    chunk = conn.recv(1 << 16)
                    if not chunk:
                        break
                    self.bytes += len(chunk)
            self.seconds = time.monotonic() - start
            cpu1 = proc_cpu_seconds(self.pid)
            if cpu0 is not None and cpu1 is not None:
                self.cpu = cpu1 - cpu0

    def close(self):
        self.sock.close()
        self.thread.join(5)


def guest_command(direction, port, size):
    t0 = "read a x </proc/uptime; "
    t1 = "read b x </proc/uptime; "
    if direction == "h2g":
        return (f"{t0}nc 10.0.2.2 {port} </dev/null >/dev/null; {t1}"
                f"echo KENNEL-BENCH $a $b {size}")
    return (f"dd if=/dev/zero of=/tmp/z bs=1M count={size >> 20} 2>/dev/null; "
            f"{t0}nc 10.0.2.2 {port} </tmp/z; {t1}echo KENNEL-BENCH $a $b {size}")


def machine_command(machine, args, d, run):
    image, initrd = os.path.join(d, "Image"), os.path.join(d, "initramfs.cpio.gz")
    if machine == "kennel":
        return [args.engine, "run", "--kernel", image, "--initrd", initrd, "--cpus", "1",
                "--mem", "256M", "--no-display", "--net", "user",
                "--append", f'console=hvc0 kennel.run="{run}"']
    return [args.qemu, "-M", "virt", "-bios", "default", "-smp", "1", "-m", "256M",
            "-display", "none", "-serial", "stdio", "-monitor", "none",
            "-kernel", image, "-initrd", initrd,
            "-netdev", "user,id=n0",
            "-device", "virtio-net-device,netdev=n0" + (",host_mtu=65520" if machine ==
                                                         "qemu-mtu" else ""),
            "-append", f'console=ttyS0 kennel.run="{run}"']


def one_run(machine, direction, args, d):
    host = HostEnd(direction, args.size)
    cmd = machine_command(machine, args, d, guest_command(direction, host.port, args.size))
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    host.pid = p.pid  # the guest takes seconds to boot before it connects
    try:
        out = p.communicate(timeout=args.timeout)[0].decode(errors="replace")
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        host.close()
        return None, "timed out"
    host.close()
    m = re.search(r"KENNEL-BENCH ([0-9.]+) ([0-9.]+) (\d+)", out)
    if not m:
        return None, "no KENNEL-BENCH line: " + out[-300:].replace("\n", " | ")
    a, b, n = float(m.group(1)), float(m.group(2)), int(m.group(3))
    if n != args.size or host.bytes != args.size or host.seconds is None:
        return None, f"the host moved {host.bytes} bytes, not {args.size}"
    guest_secs = max(b - a, 0.01)
    return {"guest": args.size / guest_secs / 1e6,
            "host": args.size / host.seconds / 1e6 if host.seconds else 0.0,
            "cpu": args.size / host.cpu / 1e6 if host.cpu else 0.0}, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=64, help="MiB per transfer (default 64)")
    ap.add_argument("--runs", type=int, default=3, help="runs per machine and direction")
    ap.add_argument("--engine", default=os.environ.get(
        "KENNEL_ENGINE", os.path.join(top, "build/src/engine/kennel-engine")))
    ap.add_argument("--guest")
    ap.add_argument("--qemu", default=os.environ.get("KENNEL_QEMU", "qemu-system-riscv64"))
    ap.add_argument("--timeout", type=int, default=300)
    args = ap.parse_args()
    args.size <<= 20
    d = guest_dir(args.guest)

    results = {}
    loads = []
    failed = 0
    for direction in ("h2g", "g2h"):
        for i in range(args.runs):
            for machine in MACHINES:
                loads.append(os.getloadavg()[0])
                r, err = one_run(machine, direction, args, d)
                if err:
                    failed += 1
                    note(f"{machine} {direction} run {i + 1}: FAILED: {err}")
                    continue
                note(f"{machine} {direction} run {i + 1}: {r['guest']:.2f} MB/s in the guest, "
                     f"{r['host']:.2f} MB/s on the host, {r['cpu']:.2f} MB per host CPU second")
                results.setdefault((machine, direction), []).append(r)

    names = {"h2g": "host -> guest", "g2h": "guest -> host"}
    print(f"slirp TCP throughput, {args.size >> 20} MiB per transfer, median of {args.runs}, "
          f"MB/s (in-guest time; host-side time in brackets); load average "
          f"{min(loads):.1f}-{max(loads):.1f}")
    print(f"{'direction':<15} {'Kennel':>18} {'QEMU':>18} {'ratio':>7} "
          f"{'QEMU host_mtu=65520':>20} {'ratio':>7}")
    for direction in ("h2g", "g2h"):
        cells = []
        med = {}
        for machine in MACHINES:
            rs = results.get((machine, direction), [])
            if rs:
                med[machine] = statistics.median(r["guest"] for r in rs)
                host = statistics.median(r["host"] for r in rs)
                cells.append(f"{med[machine]:7.2f} [{host:7.2f}]")
            else:
                cells.append(f"{'failed':>17}")
        ratios = [f"{med['kennel'] / med[q]:.2f}" if "kennel" in med and q in med else "-"
                  for q in ("qemu", "qemu-mtu")]
        print(f"{names[direction]:<15} {cells[0]:>18} {cells[1]:>18} {ratios[0]:>7} "
              f"{cells[2]:>20} {ratios[1]:>7}")
    print()
    print("host CPU efficiency: MB moved per CPU second the machine's process used during "
          "the transfer (all threads; hardly moves with the host's load)")
    print(f"{'direction':<15} {'Kennel':>10} {'QEMU':>10} {'ratio':>7} "
          f"{'QEMU host_mtu':>14} {'ratio':>7}")
    for direction in ("h2g", "g2h"):
        med = {m: statistics.median(r["cpu"] for r in results[(m, direction)])
               for m in MACHINES if results.get((m, direction))}
        cells = [f"{med[m]:.2f}" if m in med else "failed" for m in MACHINES]
        ratios = [f"{med['kennel'] / med[q]:.2f}" if "kennel" in med and med.get(q) else "-"
                  for q in ("qemu", "qemu-mtu")]
        print(f"{names[direction]:<15} {cells[0]:>10} {cells[1]:>10} {ratios[0]:>7} "
              f"{cells[2]:>14} {ratios[1]:>7}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

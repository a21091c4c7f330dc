#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""virtio-blk throughput: the demo guest under kennel-engine and under QEMU.

Usage: bench/bench-blk.py [--engine PATH] [--guest DIR] [--qemu PATH]
                          [--size-mib N] [--random-reads N] [--runs N] [--out FILE]

The same guest (Image, initramfs), the same RAM (256 MiB) and one hart on
both machines; the same sparse raw image (made afresh with `kennel-engine
disk create` before every run) as a virtio-blk disk: Kennel's --disk,
QEMU's `-drive if=none,format=raw -device virtio-blk-device` (its default
cache=writeback, like our host page cache).  Inside the guest, timed with
/proc/uptime (BusyBox date has no %N):

  write   dd if=/dev/zero of=DISK bs=1M count=N conv=fsync
  read    echo 3 > /proc/sys/vm/drop_caches; dd if=DISK of=/dev/null bs=1M count=N
  write, O_DIRECT   the same with oflag=direct: no guest page cache, so
                    less guest CPU and more of the device path in the figure
  read, O_DIRECT    the same with iflag=direct
  random  4 KiB O_DIRECT preads at random offsets in the written span,
          by bench/blk-randread.c (static riscv64, built here with
          riscv64-linux-gnu-gcc and handed to the guest on a small second,
          read-only disk), timed by the program itself

It prints MiB/s (random: IOPS) per machine, the median over the runs, and
the ratio Kennel/QEMU (higher is better for Kennel; the issue's target is
>= 0.8) two ways: of the medians, and the median of each run's own ratio
(each Kennel run is followed at once by a QEMU run, so on a host whose
load changes the paired ratio is the steadier figure).

The "per host CPU second" rows divide the same work by the host CPU time
the engine or QEMU process (all its threads) used for it, read from
/proc/PID/stat when the guest prints a mark before and the result after
each workload.  They hardly move with the host's load (see README.md, "On
a busy host"): on a busy machine they are the figures to trust.
"""
import argparse
import os
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
BIOS = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"
RAM_MIB = 256
DISK_MIB = 512


def log(msg):
    print(f"[bench-blk] {msg}", file=sys.stderr, flush=True)


def guest_dir(given):
    d = given or os.environ.get("KENNEL_DEMO_GUEST_DIR")
    if not d:
        d = subprocess.run(["bash", os.path.join(TOP, "guests/build-demo-guest.sh"),
                            "--print-dir"], capture_output=True, text=True
                           ).stdout.strip().splitlines()[-1]
    return d


def guest_script(size_mib, tool_bytes, reads):
    # One line for kennel.run=: no double quotes.  The data disk is the big
    # one, the tool disk the small one (device names differ between machines).
    return " ".join([
        "for b in /sys/block/vd*; do if [ $(cat $b/size) -gt 100000 ];"
        " then D=/dev/${b##*/}; else T=/dev/${b##*/}; fi; done;",
        f"head -c {tool_bytes} $T > /tmp/rr; chmod +x /tmp/rr;",
        "sync; echo 3 > /proc/sys/vm/drop_caches;",
        "echo KENNEL-BLK-MARK; read a x </proc/uptime;",
        f"dd if=/dev/zero of=$D bs=1M count={size_mib} conv=fsync 2>/dev/null;",
        "read b x </proc/uptime; echo KENNEL-BLK-WRITE $a $b;",
        "echo 3 > /proc/sys/vm/drop_caches;",
        "echo KENNEL-BLK-MARK; read a x </proc/uptime;",
        f"dd if=$D of=/dev/null bs=1M count={size_mib} 2>/dev/null;",
        "read b x </proc/uptime; echo KENNEL-BLK-READ $a $b;",
        "echo KENNEL-BLK-MARK; read a x </proc/uptime;",
        f"dd if=/dev/zero of=$D bs=1M count={size_mib} oflag=direct 2>/dev/null;",
        "read b x </proc/uptime; echo KENNEL-BLK-DWRITE $a $b;",
        "echo KENNEL-BLK-MARK; read a x </proc/uptime;",
        f"dd if=$D of=/dev/null bs=1M count={size_mib} iflag=direct 2>/dev/null;",
        "read b x </proc/uptime; echo KENNEL-BLK-DREAD $a $b;",
        f"echo KENNEL-BLK-MARK; /tmp/rr $D {size_mib << 20} {reads}",
    ])


def command(machine, a, img, tools, script):
    if machine == "kennel":
        return [a.engine, "run", "--kernel", os.path.join(a.guest, "Image"),
                "--initrd", os.path.join(a.guest, "initramfs.cpio.gz"),
                "--mem", f"{RAM_MIB}M", "--cpus", "1", "--no-display",
                "--disk", img, "--disk", tools + ",ro",
                "--append", f'console=hvc0 kennel.run="{script}"']
    return [a.qemu, "-M", "virt", "-bios", BIOS, "-kernel", os.path.join(a.guest, "Image"),
            "-initrd", os.path.join(a.guest, "initramfs.cpio.gz"),
            "-append", f'console=ttyS0 kennel.run="{script}"',
            "-nographic", "-m", f"{RAM_MIB}M", "-smp", "1",
            "-drive", f"file={img},if=none,format=raw,id=d0",
            "-device", "virtio-blk-device,drive=d0",
            "-drive", f"file={tools},if=none,format=raw,id=d1,readonly=on",
            "-device", "virtio-blk-device,drive=d1"]


def cpu_seconds(pid):
    """utime+stime of every thread of PID (see guestrun.py)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def watch(cmd, timeout, tmp):
    """Runs cmd, reading its console as it comes: the host CPU time the
    process used between each KENNEL-BLK-MARK line and the result line
    that follows it is that workload's CPU cost, whatever the load."""
    err = open(os.path.join(tmp, "stderr.log"), "wb")
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err)
    deadline = time.monotonic() + timeout
    buf, lines, cpu, mark = b"", [], {}, None
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            p.kill()
            break
        ready, _, _ = select.select([p.stdout], [], [], min(left, 1.0))
        if not ready:
            continue
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            break
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            text = line.decode(errors="replace").strip()
            lines.append(text)
            m = re.match(r"KENNEL-BLK-(MARK|WRITE|READ|DWRITE|DREAD|RANDREAD)\b", text)
            if m and m.group(1) == "MARK":
                mark = cpu_seconds(p.pid)
            elif m and mark is not None:
                now = cpu_seconds(p.pid)
                if now is not None and now > mark:
                    cpu[m.group(1)] = now - mark
                mark = None
    p.wait()
    err.close()
    return "\n".join(lines + [buf.decode(errors="replace")]), p.returncode, cpu


def run_once(machine, a, tmp, tool_bytes):
    img = os.path.join(tmp, "data.img")
    subprocess.run([a.engine, "disk", "create", "--force", img, f"{DISK_MIB}M"], check=True,
                   capture_output=True)
    cmd = command(machine, a, img, os.path.join(tmp, "tools.img"),
                  guest_script(a.size_mib, tool_bytes, a.random_reads))
    start = time.monotonic()
    out, status, cpu = watch(cmd, a.timeout, tmp)
    wall = time.monotonic() - start
    res = {}
    for name in ("WRITE", "READ", "DWRITE", "DREAD"):
        m = re.search(rf"KENNEL-BLK-{name} ([\d.]+) ([\d.]+)", out)
        if m:
            res[name.lower()] = a.size_mib / (float(m.group(2)) - float(m.group(1)))
        if name in cpu:
            res["cpu_" + name.lower()] = a.size_mib / cpu[name]
    m = re.search(r"KENNEL-BLK-RANDREAD (\d+) ([\d.]+)", out)
    if m:
        res["iops"] = int(m.group(1)) / float(m.group(2))
        if "RANDREAD" in cpu:
            res["cpu_iops"] = int(m.group(1)) / cpu["RANDREAD"]
    if len(res) != 10:
        log(f"{machine}: the run did not report everything (exit {status}); console end:")
        for line in out.replace("\r", "").splitlines()[-15:]:
            log(f"  {line}")
    log(f"{machine}: " + ", ".join(f"{k} {v:.1f}" for k, v in res.items()
                                   if not k.startswith("cpu_")) +
        f" (whole run {wall:.0f} s)")
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", default=os.environ.get(
        "KENNEL_ENGINE", os.path.join(TOP, "build/src/engine/kennel-engine")))
    ap.add_argument("--guest")
    ap.add_argument("--qemu", default=os.environ.get("KENNEL_QEMU", "qemu-system-riscv64"))
    ap.add_argument("--size-mib", type=int, default=256)
    ap.add_argument("--random-reads", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--machines", default="kennel,qemu")
    ap.add_argument("--out")
    a = ap.parse_args()
    a.guest = guest_dir(a.guest)
    if not shutil.which(a.qemu):
        sys.exit(f"bench-blk: {a.qemu} not found (qemu-system-misc)")
    if a.size_mib > DISK_MIB - 16:
        sys.exit(f"bench-blk: --size-mib at most {DISK_MIB - 16}")

    with tempfile.TemporaryDirectory(prefix="kennel-bench-blk-") as tmp:
        tool = os.path.join(tmp, "blk-randread")
        subprocess.run(["riscv64-linux-gnu-gcc", "-static", "-O2", "-o", tool,
                        os.path.join(HERE, "blk-randread.c")], check=True)
        data = open(tool, "rb").read()
        with open(os.path.join(tmp, "tools.img"), "wb") as f:
            f.write(data)
            f.truncate(1 << 20)
        load = os.getloadavg()
        log(f"engine {a.engine}; qemu {a.qemu}; guest {a.guest}; "
            f"{a.size_mib} MiB, {a.random_reads} random reads, {a.runs} run(s)")
        log(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        machines = a.machines.split(",")
        results = {m: [] for m in machines}
        for _ in range(a.runs):
            for m in machines:
                results[m].append(run_once(m, a, tmp, len(data)))
        load_after = os.getloadavg()

    def med(m, key):
        vals = [r[key] for r in results.get(m, []) if key in r]
        return statistics.median(vals) if vals else None

    rows = []
    for key, label, unit in [("write", f"sequential write ({a.size_mib} MiB, conv=fsync)",
                              "MiB/s"),
                             ("read", f"sequential read ({a.size_mib} MiB, cold cache)",
                              "MiB/s"),
                             ("dwrite", f"sequential write ({a.size_mib} MiB, O_DIRECT)",
                              "MiB/s"),
                             ("dread", f"sequential read ({a.size_mib} MiB, O_DIRECT)",
                              "MiB/s"),
                             ("iops", "4 KiB random reads (O_DIRECT)", "IOPS"),
                             ("cpu_write", "write (conv=fsync) per host CPU second", "MiB/s"),
                             ("cpu_read", "read (cold cache) per host CPU second", "MiB/s"),
                             ("cpu_dwrite", "write (O_DIRECT) per host CPU second", "MiB/s"),
                             ("cpu_dread", "read (O_DIRECT) per host CPU second", "MiB/s"),
                             ("cpu_iops", "random reads per host CPU second", "IOPS")]:
        k, q = med("kennel", key), med("qemu", key)
        ratio = f"{k / q:.2f}" if k and q else "—"
        pairs = [rk[key] / rq[key] for rk, rq in zip(results.get("kennel", []),
                                                       results.get("qemu", []))
                 if key in rk and key in rq]
        paired = statistics.median(pairs) if pairs else None
        verdict = "—" if paired is None else ("meets" if paired >= 0.8 else "below")
        rows.append((label, unit, k, q, ratio,
                     "—" if paired is None else f"{paired:.2f}", verdict))

    def fmt(v):
        return "failed" if v is None else f"{v:.1f}"

    lines = ["| workload | unit | Kennel | QEMU | Kennel/QEMU | paired ratio | target ≥ 0.8 |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for label, unit, k, q, ratio, paired, verdict in rows:
        lines.append(f"| {label} | {unit} | {fmt(k)} | {fmt(q)} | {ratio} | {paired} | "
                     f"{verdict} |")
    lines.append("")
    lines.append(f"Median of {a.runs} run(s); load average {load[0]:.2f} before, "
                 f"{load_after[0]:.2f} after; {os.cpu_count()} host CPUs.")
    text = "\n".join(lines)
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")
    return 0 if all(r[2] is not None and r[3] is not None for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

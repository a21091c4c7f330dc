#!/usr/bin/env python3
"""Run one guest (kennel-engine or QEMU) once and measure it from outside.

Used by bench-core.sh; one process per run. It starts CMD with its console
(stdout and stderr together) on a pipe, reads that pipe itself and notes
the monotonic time at which the line KENNEL-GUEST-READY arrives, so the
boot time is measured where the line appears, not by polling a log file.

Two modes:
  default        wait until the guest powers off (a kennel.run= guest does),
                 then report wall time, host CPU time (getrusage of the child:
                 all its threads) and the KENNEL-BENCH-TIME line, if any;
  --idle SECS    after the ready line and --settle SECS, sample the process's
                 utime+stime from /proc/PID/stat over SECS seconds, read its
                 memory figures from /proc/PID/status and /proc/PID/smaps,
                 then stop it (SIGTERM, SIGKILL after a grace period).

Results go to stdout as key=value lines for the shell; the whole console
goes to --log. Exit status 0 when the run went as asked; 1 otherwise, with
an error=... line that says what went wrong. A run that outlives --timeout
is killed together with its process group.
"""

import argparse
import os
import select
import signal
import subprocess
import sys
import time

READY = b"KENNEL-GUEST-READY"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def out(key, value):
    print(f"{key}={value}", flush=True)


def proc_cpu_seconds(pid):
    """utime+stime of every thread of PID, in seconds (clock-tick resolution)."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        data = f.read()
    # The command name may contain spaces and parentheses: split after the
    # last ')'. Fields from there start at field 3 (state); utime is 14 and
    # stime 15 in proc(5)'s numbering.
    fields = data[data.rindex(b")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_status_kib(pid):
    """The Vm*/Rss* lines of /proc/PID/status, in KiB."""
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key.startswith(("Vm", "Rss")) and rest.strip().endswith("kB"):
                values[key] = int(rest.split()[0])
    return values


def guest_ram_mapping(pid, ram_kib):
    """Size and Rss (KiB) of the anonymous mapping that holds guest RAM.

    Neither the engine nor QEMU reports how much guest RAM the guest has
    touched, but both keep it in one private anonymous mapping of (about)
    the RAM size, and that mapping's Rss is exactly the touched part. We
    pick the anonymous mapping whose size is at least the RAM size and
    closest to it (QEMU may round it up by an alignment of a few MiB).
    """
    best = None
    current = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            head = line.split()
            if not head:
                continue
            if "-" in head[0] and len(head) >= 5 and not head[0].endswith(":"):
                # A mapping header: "start-end perms offset dev inode [path]".
                path = " ".join(head[5:])
                anonymous = path == "" or path.startswith("[anon")
                current = {"anon": anonymous, "size": None, "rss": None}
            elif current is not None and head[0] == "Size:":
                current["size"] = int(head[1])
            elif current is not None and head[0] == "Rss:":
                current["rss"] = int(head[1])
                if current["anon"] and current["size"] is not None:
                    size = current["size"]
                    if ram_kib <= size <= ram_kib + 16 * 1024:
                        if best is None or size < best[0]:
                            best = (size, current["rss"])
    return best


class Run:
    def __init__(self, args):
        self.args = args
        self.proc = None
        self.log = open(args.log, "wb") if args.log else None
        self.buf = b""
        self.ready_at = None
        self.bench_line = None
        self.bench_seen = None
        self.work_start = None
        self.work_cpu0 = self.work_cpu1 = None
        self.run_exit = None
        self.eof = False
        # A panicked kernel never powers off: stop waiting at once.
        self.panic = None

    def feed(self, chunk, now):
        """Take console output: log it, find the lines we look for."""
        if self.log:
            self.log.write(chunk)
        self.buf += chunk
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            line = line.rstrip(b"\r").rstrip()
            # endswith, not ==: a kernel message may land on the same line.
            if self.ready_at is None and line.endswith(READY):
                self.ready_at = now
            elif line.startswith(b"[init] kennel.run: ") and self.work_start is None:
                # /init prints this just before it starts the command: with
                # the arrival of the result line it times the work from
                # outside, independently of the guest's clock.
                self.work_start = now
                self.work_cpu0 = self.cpu_now()
            elif line.startswith(b"KENNEL-BENCH-TIME "):
                self.bench_line = line.decode("utf-8", "replace")
                self.bench_seen = now
                self.work_cpu1 = self.cpu_now()
            elif b"Kernel panic - not syncing" in line and self.panic is None:
                self.panic = line.decode("utf-8", "replace").strip()
            elif line.startswith(b"KENNEL-RUN-EXIT="):
                self.run_exit = line.split(b"=", 1)[1].decode("utf-8", "replace")
        # Bound memory if the guest never ends a line.
        if len(self.buf) > 1 << 20:
            self.buf = self.buf[-4096:]

    def cpu_now(self):
        """The child's CPU time so far, None if it cannot be read."""
        try:
            return proc_cpu_seconds(self.proc.pid)
        except (OSError, ValueError):
            return None

    def pump(self, until):
        """Read console output until EOF, monotonic time UNTIL, or ready."""
        fd = self.proc.stdout.fileno()
        while not self.eof and self.panic is None:
            left = until - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([fd], [], [], min(left, 0.5))
            if r:
                chunk = os.read(fd, 65536)
                now = time.monotonic()
                if not chunk:
                    self.eof = True
                    return
                self.feed(chunk, now)

    def drain(self):
        """Read what is already in the pipe into the log (the rest of a
        panic, or what the process printed as it was stopped)."""
        fd = self.proc.stdout.fileno()
        while select.select([fd], [], [], 0)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                self.eof = True
                return
            self.feed(chunk, time.monotonic())

    def kill(self, grace=3.0):
        """SIGTERM the process group, SIGKILL it if it does not go."""
        if self.proc is None or self.proc.returncode is not None:
            return
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                if self.reap(block=False):
                    return
                time.sleep(0.05)

    def reap(self, block):
        """wait4 the child; store status and rusage. True once reaped."""
        if self.proc.returncode is not None:
            return True
        pid, status, usage = os.wait4(self.proc.pid, 0 if block else os.WNOHANG)
        if pid == 0:
            return False
        self.status = status
        self.usage = usage
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        return True


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--timeout", type=float, required=True,
                   help="seconds after which the run is killed")
    p.add_argument("--log", help="file that receives the whole console")
    p.add_argument("--idle", type=float, default=None,
                   help="sample idle CPU over this many seconds after readiness")
    p.add_argument("--settle", type=float, default=1.0,
                   help="seconds between readiness and the idle sample")
    p.add_argument("--ram-mib", type=int, default=256,
                   help="the guest's RAM size, to find its mapping")
    p.add_argument("--no-ready", action="store_true",
                   help="CMD is no guest: do not expect a ready line")
    p.add_argument("cmd", nargs=argparse.REMAINDER)
    args = p.parse_args()
    if args.cmd and args.cmd[0] == "--":
        args.cmd = args.cmd[1:]
    if not args.cmd:
        p.error("no command to run")

    run = Run(args)

    # If bench-core.sh is interrupted it signals us: take the guest along.
    def on_signal(signum, _frame):
        run.kill(grace=1.0)
        sys.exit(128 + signum)

    for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(s, on_signal)

    # An open pipe that nobody writes: the console of an idle terminal (EOF
    # on stdin could make a guest's shell exit and respawn).
    start = time.monotonic()
    try:
        run.proc = subprocess.Popen(
            args.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as e:
        out("error", f"cannot start {args.cmd[0]}: {e.strerror}")
        return 1
    deadline = start + args.timeout
    error = None

    if args.idle is None:
        run.pump(deadline)
        if run.panic:
            # Let the rest of the panic message reach the log, then stop.
            time.sleep(0.5)
            run.drain()
            error = f"the guest kernel panicked ({run.panic}), killed"
        elif not run.eof:
            error = f"still running after {args.timeout:g} s, killed"
    else:
        while (run.ready_at is None and not run.eof and not run.panic
               and time.monotonic() < deadline):
            run.pump(min(deadline, time.monotonic() + 0.2))
        if run.panic:
            time.sleep(0.5)
            run.drain()
            error = f"the guest kernel panicked ({run.panic}), killed before the idle sample"
        elif run.ready_at is None:
            error = ("exited before" if run.eof else
                     f"no {READY.decode()} line within {args.timeout:g} s, killed before")
            error += " the idle sample"
        else:
            run.pump(time.monotonic() + args.settle)
            try:
                c0, t0 = proc_cpu_seconds(run.proc.pid), time.monotonic()
                run.pump(t0 + args.idle)
                c1, t1 = proc_cpu_seconds(run.proc.pid), time.monotonic()
                mem = proc_status_kib(run.proc.pid)
                ram = guest_ram_mapping(run.proc.pid, args.ram_mib * 1024)
            except (OSError, ValueError) as e:
                error = f"the guest process ended during the idle sample ({e})"
            else:
                if run.panic:
                    run.drain()
                    error = f"the guest kernel panicked during the idle sample ({run.panic})"
                elif run.eof:
                    error = "the guest process closed its console during the idle sample"
                else:
                    out("idle_s", f"{t1 - t0:.3f}")
                    out("idle_cpu_s", f"{c1 - c0:.3f}")
                    out("idle_pct", f"{100.0 * (c1 - c0) / (t1 - t0):.2f}")
                    for key in ("VmRSS", "VmHWM", "RssAnon", "RssFile", "RssShmem"):
                        if key in mem:
                            out(key, mem[key])
                    if ram:
                        out("guest_ram_map_kib", ram[0])
                        out("guest_ram_rss_kib", ram[1])
        run.kill()

    # Reap (killing first if still alive), then report.
    if not run.reap(block=False):
        if args.idle is None and run.eof:
            # Console closed: the process is exiting; give it the time left.
            while time.monotonic() < deadline and not run.reap(block=False):
                time.sleep(0.02)
            if run.proc.returncode is None:
                error = error or f"closed its console but still running after {args.timeout:g} s, killed"
        run.kill()
        run.reap(block=True)
    end = time.monotonic()
    # The process is gone: whatever it wrote last is in the pipe already.
    run.drain()

    code = run.proc.returncode
    out("status", code)
    out("wall_s", f"{end - start:.3f}")
    if run.ready_at is not None:
        out("ready_s", f"{run.ready_at - start:.3f}")
    out("user_s", f"{run.usage.ru_utime:.3f}")
    out("sys_s", f"{run.usage.ru_stime:.3f}")
    if run.run_exit is not None:
        out("run_exit", run.run_exit)
    if run.bench_line is not None:
        out("bench", run.bench_line[len("KENNEL-BENCH-TIME "):])
        if run.work_start is not None:
            out("work_outside_s", f"{run.bench_seen - run.work_start:.3f}")
            # Host CPU spent by the machine on that span: unlike the times,
            # it hardly grows when other programs compete for the host.
            if run.work_cpu0 is not None and run.work_cpu1 is not None:
                out("work_cpu_s", f"{run.work_cpu1 - run.work_cpu0:.3f}")
    if error is None and args.idle is None and code != 0:
        error = f"exit status {code}" + (f" (signal {-code})" if code < 0 else "")
    if error is None and run.ready_at is None and not args.no_ready:
        error = f"no {READY.decode()} line on the console"
    if error:
        out("error", error)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

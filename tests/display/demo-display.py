#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The screen end to end: the demo guest's virtio-gpu, virtio-input and
fbcon drivers against the engine's devices and VNC server.  TAP.

Usage: demo-display.py KENNEL_ENGINE VNC_PROBE

One interactive boot (the guest's shell on hvc1 is the engine's stdin and
stdout; BusyBox init runs a second shell on tty1, the screen) with
--vnc unix:PATH, and vnc-probe connected to that socket:

  1. the engine listens on no TCP port; the client gets a full 1024x768 frame
  2. text the guest prints on tty1 shows up: that region is not uniform
  3. the guest paints /dev/fb0 in two colours; the client reads those pixels
  4. keyboard: the client types a command into the tty1 shell, with upper
     case and symbols; the file it writes holds exactly what was typed
  5. pointer: an absolute pointer event reaches /dev/input/eventN
  6. resize: the client asks for 800x600 (SetDesktopSize); the guest's
     connector mode follows and the client sees an 800x600 framebuffer
  7. the guest powers off cleanly
Another boot with --vnc tcp:127.0.0.1:PORT, a password from
$KENNEL_VNC_PASSWORD and --vnc-view-only:
  8. a wrong password is refused, the right one gets a frame, and keys
     typed by a view-only client never reach the guest's keyboard
And without booting:
  9. --vnc on a non-loopback address without a password is refused
"""
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

LIMIT = int(os.environ.get("KENNEL_BOOT_TIMEOUT", "100"))
HERE = os.path.dirname(os.path.abspath(__file__))
# Under AddressSanitizer: a leak inside libvncserver itself (lsan.supp).
os.environ["LSAN_OPTIONS"] = ":".join(
    filter(None, [os.environ.get("LSAN_OPTIONS"), f"suppressions={HERE}/lsan.supp"]))
sys.path.insert(0, os.path.join(HERE, "..", "virtio"))
from importlib import import_module  # noqa: E402

demo = import_module("demo-virtio")


class Engine:
    """The engine with its console on pipes; stdout gathered by a thread."""

    def __init__(self, args):
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE)
        self.out = b""
        self.err = b""
        self.lock = threading.Lock()
        threading.Thread(target=self._read, args=(self.p.stdout, "out"), daemon=True).start()
        threading.Thread(target=self._read, args=(self.p.stderr, "err"), daemon=True).start()

    def _read(self, f, name):
        while True:
            chunk = os.read(f.fileno(), 4096)
            if not chunk:
                return
            with self.lock:
                setattr(self, name, getattr(self, name) + chunk)

    def text(self):
        with self.lock:
            return self.out.decode(errors="replace")

    def wait_for(self, pattern, timeout=LIMIT, start=0):
        end = time.time() + timeout
        while time.time() < end:
            m = re.search(pattern, self.text()[start:])
            if m:
                return m
            if self.p.poll() is not None:
                return None
            time.sleep(0.05)
        return None

    def sh(self, cmd, timeout=LIMIT):
        """Runs cmd in the hvc1 shell; returns what it printed before its end marker."""
        Engine.n = getattr(Engine, "n", 0) + 1
        start = len(self.text())
        marker = f"END{Engine.n}"
        # The marker is built by the shell so that the echoed command line
        # does not match it.
        self.p.stdin.write(f"{cmd}; echo E\"\"ND{Engine.n}\n".encode())
        self.p.stdin.flush()
        m = self.wait_for(rf"\n(?:.*\n)*?{marker}\r?\n", timeout, start)
        if not m:
            return None
        text = self.text()[start:]
        body = text[:text.find(marker + "\r\n") if marker + "\r\n" in text
                    else text.find(marker + "\n")]
        # Drop the echoed command line.
        return body.split("\n", 1)[1] if "\n" in body else ""

    def stop(self):
        if self.p.poll() is None:
            self.p.kill()
        self.p.wait()


class Probe:
    def __init__(self, probe, where, *extra):
        self.p = subprocess.Popen([probe, where, *extra], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.first = self._line(30)

    def _line(self, timeout):
        ready, _, _ = select.select([self.p.stdout], [], [], timeout)
        if not ready:
            return "error probe timed out"
        return self.p.stdout.readline().strip() or "error probe ended"

    def cmd(self, line, timeout=70):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        return self._line(timeout)

    def close(self):
        try:
            self.p.stdin.write("quit\n")
            self.p.stdin.close()
            self.p.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.p.kill()


def tcp_listeners(pid):
    """The TCP sockets in LISTEN state that process pid holds."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        m = re.match(r"socket:\[(\d+)\]", link)
        if m:
            inodes.add(m.group(1))
    found = []
    for table in ("tcp", "tcp6"):
        try:
            with open(f"/proc/{pid}/net/{table}") as f:
                for line in f.readlines()[1:]:
                    fields = line.split()
                    if fields[3] == "0A" and fields[9] in inodes:
                        found.append(f"{table} {fields[1]}")
        except OSError:
            pass
    return found


# The command typed over VNC: upper case, digits and most US symbols.  It
# goes into single quotes in the shell, so no quote of its own.
TYPED = 'Kennel TYPED: A-Z a_z 0123456789 !@#$%^&*()+={}[]|\\:";<>?,./~`'


def paint_commands():
    # Two bands in XRGB8888 (bytes B, G, R, X): 256 rows of 906030, then
    # 256 rows of 2010c0.  Each band is one 4-byte pixel doubled 18 times.
    band = ("p={0}; printf '{1}' > $p; "
            "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18; do "
            "cat $p $p > $p.2; mv $p.2 $p; done")
    return "; ".join([
        "echo 0 > /sys/class/vtconsole/vtcon1/bind",
        band.format("/tmp/a", "\\060\\140\\220\\000"),
        band.format("/tmp/b", "\\300\\020\\040\\000"),
        # Whole blocks of many rows: Linux 6.1's fbdev emulation computes an
        # empty damage rectangle for a write() of exactly one full scanline
        # (drm_fb_helper_memory_range_to_clip), and so flushes nothing.
        "dd if=/tmp/a of=/dev/fb0 bs=65536 2>/dev/null",
        "dd if=/tmp/b of=/dev/fb0 bs=65536 seek=16 2>/dev/null",
    ])


def find_tablet_cmd():
    return ("for e in /sys/class/input/event*; do "
            "case $(cat $e/device/name) in *tablet*) echo tablet=${e##*/};; esac; done")


def parse_events(hexdump):
    """struct input_event on riscv64: 16 bytes of time, u16 type, u16 code, s32 value."""
    data = bytes.fromhex("".join(re.findall(r"\b[0-9a-f]{2}\b", hexdump)))
    events = []
    for i in range(0, len(data) - 23, 24):
        t = int.from_bytes(data[i + 16:i + 18], "little")
        c = int.from_bytes(data[i + 18:i + 20], "little")
        v = int.from_bytes(data[i + 20:i + 24], "little", signed=True)
        events.append((t, c, v))
    return events


def run(tap, engine_path, probe_path, d):
    tmp = tempfile.mkdtemp(prefix="kennel-display-")
    sock = os.path.join(tmp, "vnc.sock")
    e = Engine([engine_path, "run", "--kernel", os.path.join(d, "Image"),
                "--initrd", os.path.join(d, "initramfs.cpio.gz"), "--vnc", f"unix:{sock}",
                "--append", "console=hvc0"])
    probe = None
    try:
        ready = e.wait_for(r"KENNEL-GUEST-READY")
        # The hvc1 shell starts after the marker: poke it until it answers.
        for _ in range(10):
            if not ready or e.sh("true", timeout=10) is not None:
                break
        # 1. No TCP listener; a full frame.
        problems = []
        if not ready:
            problems.append("the guest did not boot")
        listeners = tcp_listeners(e.p.pid)
        if listeners:
            problems.append(f"TCP listeners: {listeners}")
        if not os.path.exists(sock):
            problems.append("no unix socket")
        else:
            probe = Probe(probe_path, f"unix:{sock}")
            if not probe.first.startswith("connected"):
                problems.append(f"probe: {probe.first}")
            else:
                r = probe.cmd("frame")
                if r != "frame 1024 768":
                    problems.append(f"full frame: {r}")
        tap.check("a client on the unix socket gets a full 1024x768 frame; no TCP port",
                  problems, e.text(), e.err.decode(errors="replace"))
        if problems:
            return

        # 2. Text on tty1.
        out = e.sh("cat /sys/class/drm/card0-Virtual-1/modes; "
                   "printf '\\033[H\\033[JKENNEL-SCREEN-READY\\n' > /dev/tty1")
        probe.cmd("update 3000")
        r = probe.cmd("uniform 0 0 200 16")
        tap.check("the guest's text on tty1 makes its screen region non-uniform",
                  [] if r.startswith("uniform 0") else [f"{r} (modes: {out!r})"], e.text())

        # 3. Exact pixels painted into /dev/fb0.
        out = e.sh(paint_commands(), timeout=120)
        problems = [] if out is not None else ["painting timed out"]
        want = {(10, 10): "906030", (1000, 250): "906030", (10, 300): "2010c0",
                (1023, 511): "2010c0"}
        got = {}
        for _ in range(40):
            probe.cmd("update 500")
            got = {xy: probe.cmd(f"pixel {xy[0]} {xy[1]}").split()[-1] for xy in want}
            if all(got[xy] == want[xy] for xy in want):
                break
        problems += [f"pixel {xy}: {got.get(xy)} (want {v})" for xy, v in want.items()
                     if got.get(xy) != v]
        tap.check("the colours the guest writes to /dev/fb0 arrive exactly over VNC",
                  problems, e.text(), e.err.decode(errors="replace"))
        e.sh("echo 1 > /sys/class/vtconsole/vtcon1/bind")

        # 4. Keyboard into the tty1 shell.
        probe.cmd(f"type echo '{TYPED}' > /tmp/typed\\n")
        out = ""
        for _ in range(60):
            out = e.sh("cat /tmp/typed 2>/dev/null") or ""
            if TYPED in out:
                break
            time.sleep(0.5)
        tap.check("keys typed over VNC reach the tty1 shell with the right characters",
                  [] if TYPED in out else [f"typed file holds {out!r}, want {TYPED!r}"],
                  e.text())

        # 5. Pointer.
        out = e.sh(find_tablet_cmd()) or ""
        m = re.search(r"tablet=(event\d+)", out)
        problems = []
        if not m:
            problems.append(f"no tablet in /sys/class/input: {out!r}")
        else:
            e.p.stdin.write(f"dd if=/dev/input/{m.group(1)} bs=24 count=3 2>/dev/null | "
                            "od -A n -t x1 -v > /tmp/ev &\n".encode())
            e.p.stdin.flush()
            time.sleep(2)
            probe.cmd("pointer 512 384 0")
            out = ""
            for _ in range(40):
                out = e.sh("cat /tmp/ev") or ""
                if len(parse_events(out)) >= 3:
                    break
                time.sleep(0.5)
            events = parse_events(out)
            want = [(3, 0, 512 * 32767 // 1023), (3, 1, 384 * 32767 // 767), (0, 0, 0)]
            if events[:3] != want:
                problems.append(f"events {events}, want {want}")
        tap.check("an absolute pointer event reaches the guest's tablet", problems, e.text())

        # 6. Resize.
        r = probe.cmd("resize 800 600")
        size = probe.cmd("wait-size 800 600 60000")
        out = e.sh("head -1 /sys/class/drm/card0-Virtual-1/modes; "
                   "cat /sys/class/graphics/fb0/virtual_size") or ""
        problems = []
        if r != "resize-sent":
            problems.append(f"resize: {r}")
        if size != "size 800 600":
            problems.append(f"client: {size}")
        if "800x600" not in out:
            problems.append(f"guest modes: {out!r}")
        tap.check("SetDesktopSize 800x600: the guest's mode and the client's framebuffer follow",
                  problems, e.text(), e.err.decode(errors="replace"))

        # 7. Power off.
        e.p.stdin.write(b"poweroff\n")
        e.p.stdin.flush()
        try:
            status = e.p.wait(timeout=LIMIT)
        except subprocess.TimeoutExpired:
            status = "timeout"
        tap.check("the guest powers off with the client still connected",
                  [] if status == 0 else [f"exit status {status}"], e.text(),
                  e.err.decode(errors="replace"))
    finally:
        if probe:
            probe.close()
        e.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_password_view_only(tap, engine_path, probe_path, d):
    port = free_port()
    env = dict(os.environ, KENNEL_VNC_PASSWORD="s3cret")
    run = "sleep 8; grep virtio3 /proc/interrupts; echo keyboard-check-done"
    p = subprocess.Popen([engine_path, "run", "--kernel", os.path.join(d, "Image"),
                          "--initrd", os.path.join(d, "initramfs.cpio.gz"),
                          "--vnc", f"tcp:127.0.0.1:{port}", "--vnc-view-only",
                          "--append", f'console=hvc0 kennel.run="{run}"'],
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env)
    problems = []
    try:
        time.sleep(1)
        bad = Probe(probe_path, f"tcp:127.0.0.1:{port}", "wrong")
        if bad.first.startswith("connected"):
            problems.append("a wrong password was accepted")
        bad.close()
        good = Probe(probe_path, f"tcp:127.0.0.1:{port}", "s3cret")
        if not good.first.startswith("connected"):
            problems.append(f"the right password: {good.first}")
        else:
            r = good.cmd("frame")
            if r != "frame 1024 768":
                problems.append(f"frame: {r}")
            good.cmd("type typed-by-a-viewer\\n")
        good.close()
        out, err = p.communicate(timeout=LIMIT)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        problems.append("timed out")
    out = out.decode(errors="replace")
    m = re.search(r"^\s*\d+:\s+(\d+)\s+.*virtio3\s*$", out, re.M)
    if not m or m.group(1) != "0":
        problems.append(f"the keyboard's interrupt count is not 0: {m.group(0) if m else None}")
    tap.check("tcp loopback with a password; a view-only client's keys never reach the guest",
              problems, out, err.decode(errors="replace"))


def test_refused(tap, engine_path, d):
    env = dict(os.environ)
    env.pop("KENNEL_VNC_PASSWORD", None)
    p = subprocess.run([engine_path, "run", "--kernel", os.path.join(d, "Image"),
                        "--vnc", "tcp:0.0.0.0:5999"], capture_output=True, text=True,
                       timeout=30, env=env)
    problems = []
    if p.returncode != 2:
        problems.append(f"exit status {p.returncode}, want 2")
    if "password" not in p.stderr or "0.0.0.0" not in p.stderr:
        problems.append(f"message: {p.stderr.strip()!r}")
    tap.check("--vnc tcp:0.0.0.0:PORT without a password is refused with a message", problems,
              p.stdout, p.stderr)


def main():
    engine_path, probe_path = sys.argv[1], sys.argv[2]
    d = demo.guest_dir()
    if not d:
        print("1..0 # SKIP the demo guest is not built (guests/build-demo-guest.sh)")
        return 0
    tap = demo.Tap(9)
    try:
        run(tap, engine_path, probe_path, d)
    finally:
        while tap.n < 7:
            tap.check("not reached (an earlier step failed)", ["skipped"])
    test_password_view_only(tap, engine_path, probe_path, d)
    test_refused(tap, engine_path, d)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""virtio-blk end to end: the demo guest's Linux driver against raw images.  TAP.

Usage: demo-blk.py KENNEL_ENGINE

Without a guest (always run):
  - `disk create` makes a sparse file of the right size, refuses to
    replace a file without --force, refuses bad sizes;
  - `run --disk` refuses a missing file, a directory, a size that is not
    whole sectors, an empty file, an unknown suboption, too many disks;
  - an image locked by another process (an OFD lock, as an engine takes)
    is refused with "is in use by another engine (locked)".
With the demo guest:
  1. the guest writes a known pattern to /dev/vda, syncs and powers off;
     the host checks every byte of the image;
  2. the host writes random bytes; the guest reads them back (through the
     page cache and with O_DIRECT), with a second disk and serial numbers;
  3. the guest writes, runs sync, prints a marker, and we SIGKILL the
     engine right then: the image holds the data;
  4. a read-only disk: writes fail in the guest, the image is unchanged;
  5. discard: blkdiscard punches holes (the image's blocks shrink) and the
     range reads as zeroes, the rest is intact;
  6. a second engine is refused an image the first one is using;
  7. the same disk under --virtio-legacy;
  8. a guest reboot with reads in flight: the disk works after it.

The guest comes from $KENNEL_DEMO_GUEST_DIR, or else from
"$KENNEL_SOURCE_ROOT"/guests/build-demo-guest.sh --print-dir.
"""
import fcntl
import hashlib
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import time

from demo_guest import guest_dir, read_until, Tap

LIMIT = int(os.environ.get("KENNEL_BOOT_TIMEOUT", "100"))
if os.environ.get("KENNEL_SANITIZED"):
    LIMIT *= 3  # the engine under ASan and UBSan is several times slower
MiB = 1 << 20
F_OFD_SETLK = 37  # <fcntl.h> on Linux


class Engine:
    def __init__(self, path, guest):
        self.path = path
        self.guest = guest

    def args(self, run, *extra):
        return [self.path, "run", "--kernel", os.path.join(self.guest, "Image"),
                "--initrd", os.path.join(self.guest, "initramfs.cpio.gz"), *extra,
                "--append", f'console=hvc0 kennel.run="{run}"']

    def boot(self, run, *extra):
        try:
            p = subprocess.run(self.args(run, *extra), stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=LIMIT)
        except subprocess.TimeoutExpired as e:
            return -1, (e.stdout or b"").decode(errors="replace"), "timed out"
        return p.returncode, p.stdout.decode(errors="replace"), \
            p.stderr.decode(errors="replace")


def pattern(length):
    """What `seq 100000 999999 | head -c LENGTH` prints: 7 bytes a line."""
    out = bytearray()
    i = 100000
    while len(out) < length:
        out += b"%d\n" % i
        i += 1
    return bytes(out[:length])


GUEST_PATTERN = "seq 100000 999999 | head -c {n} | dd of=/dev/vda bs=65536 seek={seek} " \
    "oflag=seek_bytes 2>/dev/null"


def expect_ok(status, out, *wanted):
    problems = [] if status == 0 else [f"exit status {status}, expected 0"]
    problems += [f"no {w!r} in the output" for w in wanted if w not in out]
    return problems


def make_image(tmp, name, size, data=None, offset=0):
    path = os.path.join(tmp, name)
    with open(path, "wb") as f:
        f.truncate(size)
        if data:
            f.seek(offset)
            f.write(data)
    return path


def read_image(path):
    with open(path, "rb") as f:
        return f.read()


def first_difference(a, b):
    for i in range(min(len(a), len(b))):
        if a[i] != b[i]:
            return i
    return min(len(a), len(b)) if len(a) != len(b) else -1


# ---- without a guest -------------------------------------------------------

def test_disk_create(tap, engine, tmp):
    problems = []
    path = os.path.join(tmp, "created.img")
    p = subprocess.run([engine, "disk", "create", path, "64M"], capture_output=True, text=True)
    if p.returncode != 0:
        problems.append(f"disk create failed: {p.returncode} {p.stderr.strip()}")
    else:
        st = os.stat(path)
        if st.st_size != 64 * MiB:
            problems.append(f"size {st.st_size}, expected {64 * MiB}")
        if st.st_blocks != 0:
            problems.append(f"{st.st_blocks} blocks allocated: not sparse")
    p = subprocess.run([engine, "disk", "create", path, "1G"], capture_output=True, text=True)
    if p.returncode != 1 or "already exists" not in p.stderr:
        problems.append(f"an existing file was not refused: {p.returncode} {p.stderr.strip()}")
    if os.path.getsize(path) != 64 * MiB:
        problems.append("the refused create changed the file")
    p = subprocess.run([engine, "disk", "create", "--force", path, "1G"], capture_output=True,
                       text=True)
    if p.returncode != 0 or os.path.getsize(path) != 1 << 30:
        problems.append(f"--force did not replace the file: {p.returncode} {p.stderr.strip()}")
    for size, words in [("1000B", "not a whole number of 512-byte sectors"),
                        ("lots", "is not a size"), ("0", "is zero"),
                        ("99999999999P", "too large")]:
        bad = os.path.join(tmp, "bad.img")
        p = subprocess.run([engine, "disk", "create", bad, size], capture_output=True,
                           text=True)
        if p.returncode != 2 or words not in p.stderr:
            problems.append(f"size {size}: status {p.returncode}, {p.stderr.strip()!r}")
        if os.path.exists(bad):
            problems.append(f"size {size} left a file behind")
    tap.check("disk create: sparse, exact size, no overwrite without --force, bad sizes",
              problems)


def run_expecting_error(engine, disk_args, status, words):
    args = [engine, "run", "--kernel", "/nonexistent-kernel"]
    for d in disk_args:
        args += ["--disk", d]
    p = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                       timeout=LIMIT)
    if p.returncode != status or words not in p.stderr:
        return [f"--disk {' '.join(disk_args)}: status {p.returncode} (expected {status}), "
                f"stderr {p.stderr.strip()!r} (expected {words!r})"]
    return []


def test_cli_errors(tap, engine, tmp):
    good = make_image(tmp, "good.img", MiB)
    odd = make_image(tmp, "odd.img", 1000)
    empty = make_image(tmp, "empty.img", 0)
    missing = os.path.join(tmp, "missing.img")
    problems = []
    problems += run_expecting_error(engine, [missing], 1, f"disk {missing} does not exist")
    problems += run_expecting_error(engine, [tmp], 1, f"disk {tmp} is a directory")
    problems += run_expecting_error(engine, [odd], 1,
                                    "is 1000 bytes, not a whole number of 512-byte sectors")
    problems += run_expecting_error(engine, [empty], 1, "is empty")
    problems += run_expecting_error(engine, [good + ",rw"], 2, "unknown suboption 'rw'")
    problems += run_expecting_error(engine, [good + ",serial="], 2, "is not 1 to 20")
    problems += run_expecting_error(engine, [good + ",serial=" + "x" * 21], 2, "is not 1 to 20")
    problems += run_expecting_error(engine, [",ro"], 2, "names no file")
    problems += run_expecting_error(engine, [good] * 9, 2, "too many --disk options")
    # The same image twice in one engine: the second open is another engine's, in effect.
    problems += run_expecting_error(engine, [good, good], 1,
                                    f"disk {good} is in use by another engine (locked)")
    p = subprocess.run([engine, "run", "--kernel", "k", "--no-virtio", "--disk", good],
                       capture_output=True, text=True)
    if p.returncode != 2 or "--disk needs virtio" not in p.stderr:
        problems.append(f"--no-virtio --disk: {p.returncode} {p.stderr.strip()!r}")
    tap.check("run --disk: missing, directory, odd size, empty, bad suboptions, too many",
              problems)


def ofd_lock(fd, kind):
    # struct flock: short l_type, short l_whence, off_t l_start, off_t l_len, pid_t l_pid
    fcntl.fcntl(fd, F_OFD_SETLK, struct.pack("hhqqi4x", kind, os.SEEK_SET, 0, 0, 0))


def test_lock_held_elsewhere(tap, engine, tmp):
    path = make_image(tmp, "locked.img", MiB)
    problems = []
    fd = os.open(path, os.O_RDWR)
    try:
        ofd_lock(fd, fcntl.F_RDLCK)
        problems += run_expecting_error(engine, [path], 1,
                                        f"disk {path} is in use by another engine (locked)")
        p = subprocess.run([engine, "disk", "create", "--force", path, "2M"],
                           capture_output=True, text=True)
        if p.returncode != 1 or "in use by another engine" not in p.stderr:
            problems.append(f"disk create --force on a locked image: {p.returncode} "
                            f"{p.stderr.strip()!r}")
        if os.path.getsize(path) != MiB:
            problems.append("disk create --force changed a locked image")
    finally:
        os.close(fd)
    tap.check("an image locked by someone else is refused (run and disk create --force)",
              problems)


# ---- with the guest --------------------------------------------------------

def test_pattern_write(tap, eng, tmp):
    size, seek, n = 4 * MiB, 512 * 1024 + 4096, 2 * MiB + 1234
    img = make_image(tmp, "pattern.img", size)
    status, out, err = eng.boot(GUEST_PATTERN.format(n=n, seek=seek) + "; sync",
                                "--disk", img, "--stats")
    problems = expect_ok(status, out, "KENNEL-RUN-EXIT=0")
    want = bytearray(size)
    want[seek:seek + n] = pattern(n)
    got = read_image(img)
    at = first_difference(got, bytes(want))
    if at >= 0:
        problems.append(f"the image differs from the pattern at byte {at}")
    m = re.search(r"virtio-blk \(slot 8\): .* (\d+) bytes written", err)
    if not m or int(m.group(1)) < n:
        problems.append("--stats does not count the bytes written")
    tap.check("the guest's pattern is on the host, every byte of the image", problems, out, err)


def test_read_back(tap, eng, tmp):
    data = os.urandom(3 * MiB)
    img = make_image(tmp, "random.img", 4 * MiB, data, MiB)
    img2 = make_image(tmp, "second disk.img", MiB, b"second-disk-bytes")
    want = hashlib.sha256(data).hexdigest()
    run = ("dd if=/dev/vda bs=1048576 skip=1 count=3 2>/dev/null | sha256sum; "
           "dd if=/dev/vda bs=65536 skip=16 count=48 iflag=direct 2>/dev/null | sha256sum; "
           "head -c 17 /dev/vdb; echo; cat /sys/block/vda/serial; echo; "
           "cat /sys/block/vdb/serial; echo; cat /sys/block/vda/size")
    status, out, err = eng.boot(run, "--disk", img + ",serial=KENNEL-SERIAL-1", "--disk", img2)
    problems = expect_ok(status, out, "second-disk-bytes", "KENNEL-SERIAL-1",
                         "second disk.img", "\n8192")
    if out.count(want) != 2:
        problems.append(f"the guest's sha256 of the data ({want}) is not there twice "
                        "(buffered and O_DIRECT)")
    tap.check("the guest reads what the host wrote (buffered, O_DIRECT), two disks, serials",
              problems, out, err)


def test_sigkill_after_sync(tap, eng, tmp):
    size, n = 4 * MiB, 3 * MiB
    img = make_image(tmp, "killed.img", size)
    # The marker is built by the shell: the kernel command line does not contain it.
    run = GUEST_PATTERN.format(n=n, seek=0) + "; sync; echo SYNC$((40+2))DONE; sleep 100"
    p = subprocess.Popen(eng.args(run, "--disk", img), stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    got = read_until(p.stdout.fileno(), rb"SYNC42DONE", time.time() + LIMIT)
    p.send_signal(signal.SIGKILL)
    out, err = p.communicate()
    text = (got + out).decode(errors="replace")
    problems = []
    if b"SYNC42DONE" not in got:
        problems.append("the guest never said it had synced")
    if p.returncode != -signal.SIGKILL:
        problems.append(f"the engine ended with {p.returncode}, not SIGKILL")
    want = pattern(n) + bytes(size - n)
    at = first_difference(read_image(img), want)
    if at >= 0:
        problems.append(f"after SIGKILL the image differs from what was synced at byte {at}")
    tap.check("SIGKILL right after the guest's sync: the image holds the data", problems, text,
              err.decode(errors="replace"))


def test_read_only(tap, eng, tmp):
    data = os.urandom(MiB)
    img = make_image(tmp, "ro.img", MiB, data)
    before = os.stat(img)
    run = ("cat /sys/block/vda/ro; "
           "dd if=/dev/zero of=/dev/vda bs=4096 count=1 oflag=direct; echo dd-direct=$?; "
           "dd if=/dev/zero of=/dev/vda bs=4096 count=4 conv=fsync; echo dd-buffered=$?; "
           "blkdiscard /dev/vda; echo discard=$?; "
           "dd if=/dev/vda bs=65536 2>/dev/null | sha256sum")
    status, out, err = eng.boot(run, "--disk", img + ",ro")
    problems = expect_ok(status, out, hashlib.sha256(data).hexdigest())
    if not re.search(r"(^|\n)1\r?\n", out):
        problems.append("/sys/block/vda/ro is not 1")
    for what in ["dd-direct", "dd-buffered", "discard"]:
        if re.search(what + r"=0\b", out) or not re.search(what + r"=\d", out):
            problems.append(f"{what}: the write did not fail in the guest")
    if read_image(img) != data or os.stat(img).st_mtime_ns != before.st_mtime_ns:
        problems.append("the read-only image changed")
    tap.check("a read-only disk refuses writes in the guest; the image is unchanged", problems,
              out, err)


def test_discard(tap, eng, tmp):
    size = 16 * MiB
    img = make_image(tmp, "discard.img", size)
    status, out, err = eng.boot("yes kennel-discard-test | head -c 16777216 > /dev/vda; sync; "
                                "echo filled", "--disk", img)
    problems = expect_ok(status, out, "KENNEL-RUN-EXIT=0")
    full = os.stat(img).st_blocks * 512
    if full < size:
        problems.append(f"after the fill only {full} bytes are allocated")
    filled = read_image(img)
    run = ("blkdiscard -o 4194304 -l 8388608 /dev/vda; echo discard=$?; "
           "dd if=/dev/vda bs=1048576 skip=4 count=8 2>/dev/null | tr -d '\\000' | wc -c")
    status, out2, err2 = eng.boot(run, "--disk", img)
    problems += expect_ok(status, out2, "discard=0")
    after = os.stat(img).st_blocks * 512
    if after > full - 8 * MiB:
        problems.append(f"allocated bytes went from {full} to {after}: expected 8 MiB less")
    got = read_image(img)
    want = filled[:4 * MiB] + bytes(8 * MiB) + filled[12 * MiB:]
    at = first_difference(got, want)
    if at >= 0:
        problems.append(f"after the discard the image differs at byte {at}")
    if not re.search(r"(^|\n)0\r?\n", out2):
        problems.append("the guest did not read zeroes from the discarded range")
    tap.check(f"blkdiscard punches holes: {full >> 20} MiB allocated, then {after >> 20} MiB",
              problems, out + out2, err + err2)


def test_locked_by_engine(tap, eng, tmp):
    img = make_image(tmp, "shared.img", MiB)
    p = subprocess.Popen(eng.args("echo LOCK$((1+1))HELD; sleep 100", "--disk", img),
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    problems = []
    try:
        got = read_until(p.stdout.fileno(), rb"LOCK2HELD", time.time() + LIMIT)
        if b"LOCK2HELD" not in got:
            problems.append("the first engine did not boot")
        problems += run_expecting_error(eng.path, [img], 1,
                                        f"kennel-engine: disk {img} is in use by another "
                                        "engine (locked)")
        problems += run_expecting_error(eng.path, [img + ",ro"], 1, "(locked)")
    finally:
        p.kill()
        p.communicate()
    tap.check("a second engine is refused a disk the first one uses", problems)


def test_legacy(tap, eng, tmp):
    data = os.urandom(MiB)
    img = make_image(tmp, "legacy.img", 2 * MiB, data)
    run = ("dd if=/dev/vda bs=65536 count=16 2>/dev/null | sha256sum; "
           "echo legacy > /dev/vda; sync")
    status, out, err = eng.boot(run, "--disk", img, "--virtio-legacy")
    problems = expect_ok(status, out, hashlib.sha256(data).hexdigest(),
                         "KENNEL-RUN-EXIT=0")
    if not read_image(img).startswith(b"legacy\n"):
        problems.append("the write did not reach the image")
    tap.check("virtio-blk under --virtio-legacy reads and writes", problems, out, err)


def test_reboot(tap, eng, tmp):
    # The first boot marks the disk and reboots with reads in flight; the
    # engine resets the device (waiting for its workers) and boots again;
    # the second boot finds the mark, reads the disk and powers off.
    data = os.urandom(2 * MiB)
    img = make_image(tmp, "reboot.img", 4 * MiB, data, 2 * MiB)
    run = ("if [ x$(head -c 6 /dev/vda) = xbooted ]; then "
           "echo SECOND$((1+1))BOOT; dd if=/dev/vda bs=65536 skip=32 2>/dev/null | sha256sum; "
           "else echo -n booted > /dev/vda; sync; "
           "dd if=/dev/vda of=/dev/null bs=65536 iflag=direct & sleep 0.1; reboot -f; fi")
    status, out, err = eng.boot(run, "--disk", img)
    problems = expect_ok(status, out, "SECOND2BOOT", hashlib.sha256(data).hexdigest())
    if not read_image(img).startswith(b"booted"):
        problems.append("the first boot's mark is not in the image")
    if out.count("KENNEL-GUEST-READY") != 2:
        problems.append(f"{out.count('KENNEL-GUEST-READY')} boots, expected 2")
    tap.check("a guest reboot with requests in flight: the disk works in the next boot",
              problems, out, err)


def main():
    engine = sys.argv[1]
    tap = Tap()
    with tempfile.TemporaryDirectory(prefix="kennel-blk-") as tmp:
        test_disk_create(tap, engine, tmp)
        test_cli_errors(tap, engine, tmp)
        test_lock_held_elsewhere(tap, engine, tmp)
        d = guest_dir()
        guest_tests = [test_pattern_write, test_read_back, test_sigkill_after_sync,
                       test_read_only, test_discard, test_locked_by_engine, test_legacy,
                       test_reboot]
        for t in guest_tests:
            if d:
                t(tap, Engine(engine, d), tmp)
            else:
                tap.skip(t.__name__, "the demo guest is not built (guests/build-demo-guest.sh)")
    tap.done()
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())

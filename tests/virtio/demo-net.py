#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""virtio-net on libslirp under the demo guest's Linux driver, end to end.  TAP.

Usage: demo-net.py KENNEL_ENGINE

  1. bad --net/--forward/--mac values are usage errors that name the bad
     part, and a forward whose host port is taken fails the setup;
  2. the guest gets 10.0.2.15, a default route via 10.0.2.2 and DNS
     10.0.2.3 from slirp's DHCP, and downloads a random 1-4 MiB file from
     an HTTP server on the host's loopback (as 10.0.2.2): same sha256;
     10.0.2.3 relays a DNS query to the host's resolver (skipped when the
     host's resolver does not answer), 10.0.2.2 answers a ping;
  3. the guest uploads 2 MiB to a host socket (as 10.0.2.2): same sha256;
  4. host forwards: --forward tcp:127.0.0.1:P-:8080 reaches BusyBox httpd
     in the guest, a default-address forward (tcp::P-:8081) reaches nc,
     and a udp forward carries a datagram;
  5. --net user,restrict: the download and DNS fail, the forwards work;
  6. without --net there is no eth0;
  7. a download over virtio-mmio version 1 (--virtio-legacy).

The guest comes from $KENNEL_DEMO_GUEST_DIR, or else from
"$KENNEL_SOURCE_ROOT"/guests/build-demo-guest.sh --print-dir.
"""
import hashlib
import http.server
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time

from demo_guest import guest_dir, read_until, Tap

LIMIT = int(os.environ.get("KENNEL_BOOT_TIMEOUT", "100"))
if os.environ.get("KENNEL_SANITIZED"):
    LIMIT *= 3  # the engine under ASan and UBSan is several times slower


def engine_args(engine, d, run, *extra):
    return [engine, "run", "--kernel", os.path.join(d, "Image"),
            "--initrd", os.path.join(d, "initramfs.cpio.gz"), *extra,
            "--append", f'console=hvc0 kennel.run="{run}"']


def boot(engine, d, run, *extra):
    try:
        p = subprocess.run(engine_args(engine, d, run, *extra), stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=LIMIT)
    except subprocess.TimeoutExpired as e:
        return -1, (e.stdout or b"").decode(errors="replace"), "timed out"
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def has_line(out, line):
    """Whether `line` is a whole line of out (the echoed kennel.run= command is not)."""
    return re.search(rf"^{re.escape(line)}\r?$", out, re.M) is not None


def expect(out, status, *wanted):
    problems = [] if status == 0 else [f"exit status {status}, expected 0"]
    problems += [f"no {w!r} in the output" for w in wanted if w not in out]
    return problems


def free_port(kind=socket.SOCK_STREAM):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FileServer:
    """An HTTP server on 127.0.0.1 (a random port) serving one file at /f."""

    def __init__(self, data):
        body = data

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path != "/f":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# ---- 1. the command line ----

def test_cli_errors(tap, engine, d):
    k = ["--kernel", os.path.join(d, "Image")] if d else ["--kernel", "/nonexistent"]
    cases = [
        (["--net", "tap"], "--net 'tap' is not none, user or user,restrict"),
        (["--net", "user,open"], "unknown option 'open'"),
        (["--net", "user", "--forward", "ftp:127.0.0.1:80-:80"], "the protocol 'ftp'"),
        (["--net", "user", "--forward", "tcp:127.0.0.1:8080"], "no '-'"),
        (["--net", "user", "--forward", "8080"], "does not start with tcp: or udp:"),
        (["--net", "user", "--forward", "tcp:127.0.0.1:99999-:80"], "the host port '99999'"),
        (["--net", "user", "--forward", "tcp:localhost:80-:80"],
         "the host address 'localhost'"),
        (["--net", "user", "--forward", "tcp:8080-:80"], "the host part '8080'"),
        (["--net", "user", "--forward", "tcp::8080-:0"], "the guest port '0'"),
        (["--net", "user", "--forward", "tcp::8080-80"], "the guest part '80'"),
        (["--net", "user", "--forward", "tcp::8080-192.168.1.5:80"],
         "the guest address '192.168.1.5' is not in the guest's network"),
        (["--net", "user", "--forward", "tcp::8080-:80", "--forward", "tcp:127.0.0.1:8080-:81"],
         "host tcp port 8080 is already forwarded"),
        (["--forward", "tcp::8080-:80"], "--forward needs a network"),
        (["--net", "user", "--mac", "52:54:00:12:34"], "--mac '52:54:00:12:34' is not a MAC"),
        (["--net", "user", "--mac", "01:00:5e:00:00:01"], "multicast"),
        (["--net", "user", "--no-virtio"], "drop --no-virtio"),
    ]
    problems = []
    for args, wanted in cases:
        p = subprocess.run([engine, "run", *k, *args], capture_output=True, text=True,
                           timeout=30)
        if p.returncode != 2 or wanted not in p.stderr:
            problems.append(f"{' '.join(args)}: status {p.returncode}, stderr "
                            f"{p.stderr.strip()!r}, expected 2 and {wanted!r}")
    tap.check("bad --net, --forward and --mac values name the bad part", problems)

    # A forward whose host port is taken: a setup error naming the forward.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        problems = []
        if d:
            p = subprocess.run([engine, "run", *k, "--initrd",
                                os.path.join(d, "initramfs.cpio.gz"), "--net", "user",
                                "--forward", f"tcp::{port}-:80"],
                               capture_output=True, text=True, timeout=30,
                               stdin=subprocess.DEVNULL)
            wanted = f"cannot forward tcp:127.0.0.1:{port}-10.0.2.15:80"
            if p.returncode != 1 or wanted not in p.stderr:
                problems.append(f"status {p.returncode}, stderr {p.stderr.strip()!r}, "
                                f"expected 1 and {wanted!r}")
        tap.check("a forward whose host port is taken fails the setup, naming it", problems)


# ---- 2, 3: DHCP, DNS, download, upload ----

DNS_NAME = "kennel-test.invalid"


def host_dns_answers():
    """Whether the host's own resolver answers a query (slirp relays the guest's to it)."""
    try:
        with open("/etc/resolv.conf") as f:
            servers = [line.split()[1] for line in f
                       if line.startswith("nameserver") and len(line.split()) > 1]
    except OSError:
        return False
    query = b"\x4b\x4e\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
    for label in DNS_NAME.split("."):
        query += bytes([len(label)]) + label.encode()
    query += b"\x00\x00\x01\x00\x01"
    for server in servers[:1]:
        try:
            family = socket.AF_INET6 if ":" in server else socket.AF_INET
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.settimeout(2)
                s.sendto(query, (server, 53))
                return s.recv(512)[:2] == query[:2]
        except OSError:
            return False
    return False


def test_download(tap, engine, d, *extra):
    data = os.urandom(random.randint(1 << 20, 4 << 20) if not extra else 1 << 18)
    want = hashlib.sha256(data).hexdigest()
    server = FileServer(data)
    run = ("ip link show eth0; ip -4 addr show eth0; ip route; cat /etc/resolv.conf; "
           f"wget -q -O - http://10.0.2.2:{server.port}/f | sha256sum; "
           f"nslookup {DNS_NAME} 10.0.2.3; ping -c 1 -W 5 10.0.2.2 >/dev/null && echo pinged")
    try:
        status, out, err = boot(engine, d, run, "--net", "user", *extra)
    finally:
        server.close()
    problems = expect(out, status, "inet 10.0.2.15/24", "default via 10.0.2.2",
                      "nameserver 10.0.2.3", "link/ether 52:54:00:12:34:56")
    if want not in out:
        problems.append(f"the guest's sha256 of the {len(data)}-byte file is not {want}")
    tap.check(f"DHCP lease, route, DNS server; {len(data)} bytes from host loopback "
              "arrive intact " + " ".join(extra), problems, out, err)
    if extra:
        return
    # DNS: any answer from 10.0.2.3 (NXDOMAIN for a .invalid name) shows the relay works.
    if not host_dns_answers():
        tap.skip("DNS relay through 10.0.2.3", "the host's own resolver does not answer")
    else:
        dns = [] if re.search(rf"can't find {DNS_NAME}|Name:\s+{DNS_NAME}", out) else \
            ["no answer from 10.0.2.3 (slirp's DNS relay)"]
        ping = [] if has_line(out, "pinged") else ["no ping answer from 10.0.2.2"]
        tap.check("DNS relay through 10.0.2.3 answers; ping 10.0.2.2", dns + ping, out, err)


def test_upload(tap, engine, d):
    size = 2 << 20
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(LIMIT)
    port = listener.getsockname()[1]
    got = {}

    def receive():
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        h = hashlib.sha256()
        n = 0
        with conn:
            conn.settimeout(LIMIT)
            while n < size:
                chunk = conn.recv(1 << 16)
                if not chunk:
                    break
                h.update(chunk)
                n += len(chunk)
        got["n"] = n
        got["sha"] = h.hexdigest()

    thread = threading.Thread(target=receive, daemon=True)
    thread.start()
    run = ("ip link show eth0; "
           f"dd if=/dev/urandom of=/tmp/u bs=64k count={size >> 16} 2>/dev/null; "
           f"sha256sum /tmp/u; nc 10.0.2.2 {port} < /tmp/u; echo nc-status=$?")
    status, out, err = boot(engine, d, run, "--net", "user", "--mac", "52:54:00:ab:cd:ef")
    thread.join(5)
    listener.close()
    problems = expect(out, status, "link/ether 52:54:00:ab:cd:ef")
    m = re.search(r"([0-9a-f]{64})\s+/tmp/u", out)
    if not m:
        problems.append("no sha256 from the guest")
    elif got.get("sha") != m.group(1):
        problems.append(f"the host got {got.get('n')} bytes with sha256 {got.get('sha')}, "
                        f"the guest sent {m.group(1)}")
    tap.check(f"{size} bytes from the guest to a host socket arrive intact (--mac)",
              problems, out, err)


# ---- 4, 5: forwards, restrict ----

def http_get(port, path, deadline):
    """GETs http://127.0.0.1:port/path, retrying until the guest's server answers."""
    last = ""
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(f"GET {path} HTTP/1.0\r\nHost: x\r\n\r\n".encode())
                body = b""
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    body += chunk
                if body:
                    return body.decode(errors="replace")
                last = "empty answer"
        except OSError as e:
            last = str(e)
        time.sleep(0.5)
    return f"(no answer: {last})"


def forward_session(engine, d, extra, before=""):
    """Boots a guest serving on 8080 (httpd), 8081 (nc) and udp 9000; talks to them."""
    token = f"kennel-forward-{random.randrange(1 << 30)}"
    hp, np, up = free_port(), free_port(), free_port(socket.SOCK_DGRAM)
    run = (f"{before}mkdir /tmp/w; echo {token} > /tmp/w/index.html; "
           "httpd -p 8080 -h /tmp/w; "
           "(nc -u -l -p 9000 | head -n 1 | sed s/^/udp:/) & "
           "echo servers-up; nc -l -p 8081 </dev/null | sed s/^/tcp:/")
    args = engine_args(engine, d, run, *extra, "--forward", f"tcp:127.0.0.1:{hp}-:8080",
                       "--forward", f"tcp::{np}-10.0.2.15:8081",
                       "--forward", f"udp:127.0.0.1:{up}-:9000")
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    problems = []
    deadline = time.time() + LIMIT
    seen = read_until(p.stdout.fileno(), rb"servers-up", deadline)
    page = http_get(hp, "/index.html", deadline)
    if token not in page:
        problems.append(f"the forwarded httpd answered {page[-200:]!r}, not the token")
    # UDP: send until the guest has printed it (the first may come before nc listens).
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        for _ in range(20):
            u.sendto(b"hello-udp\n", ("127.0.0.1", up))
            more = read_until(p.stdout.fileno(), rb"udp:hello-udp", time.time() + 0.5)
            seen += more
            if b"udp:hello-udp" in seen:
                break
    try:
        with socket.create_connection(("127.0.0.1", np), timeout=10) as s:
            s.sendall(b"hello-tcp\n")
    except OSError as e:
        problems.append(f"cannot connect to the nc forward: {e}")
    try:
        out, err = p.communicate(timeout=LIMIT)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        problems.append("timed out")
    out = seen.decode(errors="replace") + out.decode(errors="replace")
    problems += expect(out, p.returncode)
    problems += [f"no line {w!r} from the guest" for w in ("tcp:hello-tcp", "udp:hello-udp")
                 if not has_line(out, w)]
    return problems, out, err.decode(errors="replace")


def test_forwards(tap, engine, d):
    problems, out, err = forward_session(engine, d, ["--net", "user"])
    tap.check("forwards: tcp to httpd, tcp (default address) to nc, udp to nc -u",
              problems, out, err)


def test_restrict(tap, engine, d):
    data = os.urandom(1 << 16)
    server = FileServer(data)
    before = (f"if wget -T 5 -q -O /dev/null http://10.0.2.2:{server.port}/f; "
              "then echo download-worked; else echo download-blocked; fi; "
              f"timeout 5 nslookup {DNS_NAME} 10.0.2.3 | grep -q {DNS_NAME} "
              "&& echo dns-answered; ")
    try:
        problems, out, err = forward_session(engine, d, ["--net", "user,restrict"], before)
    finally:
        server.close()
    if not has_line(out, "download-blocked"):
        problems.append("the guest reached the host's loopback in restrict mode")
    if has_line(out, "dns-answered"):
        problems.append("the DNS relay answered in restrict mode")
    tap.check("restrict: the guest reaches nothing, the forwards still work", problems, out,
              err)


def test_no_net(tap, engine, d):
    status, out, err = boot(engine, d, "ls /sys/class/net")
    problems = expect(out, status)
    if "eth0" in out:
        problems.append("eth0 exists without --net")
    tap.check("without --net there is no network device", problems, out, err)


def main():
    engine = sys.argv[1]
    d = guest_dir()
    if not d:
        print("1..0 # SKIP the demo guest is not built (guests/build-demo-guest.sh)")
        return 0
    tap = Tap(9)
    test_cli_errors(tap, engine, d)
    test_download(tap, engine, d)
    test_download(tap, engine, d, "--virtio-legacy")
    test_upload(tap, engine, d)
    test_forwards(tap, engine, d)
    test_restrict(tap, engine, d)
    test_no_net(tap, engine, d)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())

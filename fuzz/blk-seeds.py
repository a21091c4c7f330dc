#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes seed inputs for fuzz-blk (layout: see fuzz-blk.c) into DIR.

Usage: blk-seeds.py DIR

Well-formed requests of every type, so that the fuzzer starts from chains
that reach the request parser and the host I/O rather than from nothing.
"""
import os
import struct
import sys

QSIZE = 8
DATA = 0x4000  # offset of the data area in the RAM window
T_IN, T_OUT, T_FLUSH, T_GET_ID, T_DISCARD, T_WRITE_ZEROES = 0, 1, 4, 8, 11, 13
F_NEXT, F_WRITE = 1, 2


def seed(requests, flags=0x1d, sectors=255):
    """requests: (type, sector, data_len, data_writable, payload)."""
    desc = bytearray(4096)
    data = bytearray(0x8000)
    heads = []
    d = 0
    off = 0
    for n, (rtype, sector, length, writable, payload) in enumerate(requests):
        hdr = off
        data[hdr:hdr + 16] = struct.pack("<IIQ", rtype, 0, sector)
        buf = hdr + 16
        data[buf:buf + len(payload)] = payload
        status = buf + length
        parts = [(hdr, 16, 0)]
        if length:
            parts.append((buf, length, F_WRITE if writable else 0))
        parts.append((status, 1, F_WRITE))
        heads.append(d)
        for i, (addr, ln, fl) in enumerate(parts):
            nxt = d + 1 if i + 1 < len(parts) else 0
            desc[16 * d:16 * d + 16] = struct.pack("<QIHH", DATA + addr, ln,
                                                   fl | (F_NEXT if nxt else 0), nxt)
            d += 1
        off = (status + 16) & ~15
    avail = struct.pack("<HH", 0, len(heads)) + b"".join(
        struct.pack("<H", h) for h in heads) + bytes(2 * (QSIZE - len(heads)) + 2)
    return bytes([QSIZE - 1, flags, sectors - 1]) + avail + bytes(desc) + bytes(data[:off])


def segments(*segs):
    return b"".join(struct.pack("<QII", s, n, f) for s, n, f in segs)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    seeds = {
        "read": seed([(T_IN, 1, 1024, True, b"")]),
        "write-flush": seed([(T_OUT, 2, 512, False, b"w" * 512), (T_FLUSH, 0, 0, False, b"")]),
        "get-id": seed([(T_GET_ID, 0, 20, True, b"")]),
        "discard": seed([(T_DISCARD, 0, 32, False, segments((8, 8, 0), (100, 16, 0)))]),
        "write-zeroes": seed([(T_WRITE_ZEROES, 0, 32, False,
                               segments((8, 8, 1), (40, 4, 0)))]),
        "mixed-ro": seed([(T_IN, 0, 512, True, b""), (T_OUT, 0, 512, False, b"x" * 512),
                          (T_DISCARD, 0, 16, False, segments((0, 8, 0)))], flags=0x1f),
    }
    for name, data in seeds.items():
        with open(os.path.join(out, "seed-" + name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()

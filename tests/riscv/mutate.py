#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Mutation run for the bare-metal RISC-V tests: are all the checks alive?

For every check code N of every program, build the program with -DMUTATE=N
(rvtest.h then inverts check N) and run it: a correct CPU must now fail
with exit status N.  A check that still passes, or fails with another code,
is dead or mis-numbered.

A check written as "FAIL N on the wrong path" (after a branch, or at a
timeout) is inverted through the RIGHT_PATH N marker on the right path;
one without that marker is listed, not run.

Run it through meson, which passes the compiler, flags and programs:
    ninja -C BUILD riscv-mutate
Programs registered for Kennel only are run under kennel-engine when it has
been built, and skipped otherwise.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

CHECK_MACROS = re.compile(
    r'^\s*(?:[\w.]+:\s*)?(CHECK\w*|EXPECT_\w+|ILLEGAL|TEST_\w+|BR_\w+|AMO_[WD]|'
    r'F(?:BIN|UN|TERN|CMP|TOX|RESULT)_[SD]|XTOF_[SD]|XRESULT)\s+(\d+)\s*(?:,|$)')
FAIL_ONLY = re.compile(r'^\s*(?:[\w.]+:\s*)?FAIL\s+(\d+)\s*$')
RIGHT_PATH = re.compile(r'^\s*(?:[\w.]+:\s*)?(?:RIGHT_PATH|WAIT_\w+|BARRIER)\s+(\d+)\s*(?:,|$)')
C_CHECKS = [re.compile(r'\bCHECK(?:_EQ)?\(.*,\s*(\d+)\);'),
            re.compile(r'\b(?:ok|fault|sfault)\((\d+),')]


def codes_of(sources):
    live, fail_only = set(), set()
    for path in sources:
        for line in open(path):
            stripped = line.lstrip()
            if stripped.startswith(('.macro', '#', '*', '/*')):
                continue
            m = CHECK_MACROS.match(line)
            if m:
                live.add(int(m.group(2)))
            m = FAIL_ONLY.match(line)
            if m:
                fail_only.add(int(m.group(1)))
            m = RIGHT_PATH.match(line)
            if m:
                live.add(int(m.group(1)))
            if path.endswith('.c'):
                for pattern in C_CHECKS:
                    for m in pattern.finditer(line):
                        live.add(int(m.group(1)))
    return live, fail_only - live


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cc', required=True)
    ap.add_argument('--qemu')
    ap.add_argument('--engine')
    ap.add_argument('--cflags', required=True, help='one string, split on spaces')
    ap.add_argument('--program', action='append', default=[],
                    help='name:harts:qemu(1/0):extra flags:sources (lists comma-separated)')
    ap.add_argument('--only', action='append', help='just these programs')
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix='riscv-mutate-')
    jobs, notes = [], []
    for spec in args.program:
        name, harts, qemu, extra, sources = spec.split(':', 4)
        if args.only and name not in args.only:
            continue
        sources = sources.split(',')
        extra = [f for f in extra.split(',') if f]
        if qemu == '1' and args.qemu:
            runner = [args.qemu, '-M', 'virt', '-bios', 'none', '-nographic',
                      '-smp', harts, '-m', '64M', '-kernel']
        elif args.engine and os.path.exists(args.engine):
            runner = [args.engine, 'run', '--cpus', harts, '--mem', '64M', '--firmware']
        else:
            notes.append(f'{name}: skipped (no runner)')
            continue
        live, fail_only = codes_of(sources)
        if fail_only:
            notes.append(f'{name}: wrong-path FAIL checks, not mutated: '
                         + ' '.join(map(str, sorted(fail_only))))
        for code in sorted(live):
            jobs.append((name, harts, extra, sources, runner, code))

    def run(job):
        name, harts, extra, sources, runner, code = job
        elf = os.path.join(tmp, f'{name}-{code}.elf')
        cc = [args.cc] + args.cflags.split() + [f'-DHARTS={harts}', f'-DMUTATE={code}'] \
            + extra + sources + ['-o', elf]
        built = subprocess.run(cc, capture_output=True, text=True)
        if built.returncode:
            return job, 'build failed: ' + built.stderr.strip()[:200]
        try:
            rc = subprocess.run(runner + [elf], stdin=subprocess.DEVNULL,
                                capture_output=True, timeout=30).returncode
        except subprocess.TimeoutExpired:
            rc = 'timeout'
        os.unlink(elf)
        return job, None if rc == code else f'exit status {rc}'

    bad = []
    done = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for job, problem in pool.map(run, jobs):
            done[job[0]] = done.get(job[0], 0) + 1
            if problem:
                bad.append(f'{job[0]}: check {job[5]} inverted, expected exit status '
                           f'{job[5]}, got {problem}')
    for name in sorted(done):
        print(f'{name}: {done[name]} checks mutated')
    for note in notes:
        print(note)
    for line in bad:
        print('SURVIVED ' + line)
    print(f'{len(jobs)} mutants, {len(jobs) - len(bad)} killed, {len(bad)} survived')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())

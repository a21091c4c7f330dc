#!/usr/bin/env python3
"""Validate flatpak/org.kennel.Kennel.json offline.  Prints TAP.

flatpak-builder cannot download the runtime or the sources here, so this
checks what can be checked without a network: the manifest is JSON,
flatpak-builder --show-manifest accepts it without a warning, every
third-party module builds from a pinned source (an archive or file with a
sha256, or a git commit), only the app itself builds from the local tree,
and the sandbox's permissions are no wider than the README says they need
to be.

    check-manifest.py SOURCE_ROOT
"""
import json
import os
import re
import shutil
import subprocess
import sys

root = sys.argv[1]
path = os.path.join(root, 'flatpak', 'org.kennel.Kennel.json')
results = []


def check(name, ok, detail=''):
    results.append((name, bool(ok), detail))


def main():
    try:
        with open(path) as f:
            manifest = json.load(f)
        check('the manifest is JSON', True)
    except (OSError, ValueError) as e:
        check('the manifest is JSON', False, str(e))
        return

    if shutil.which('flatpak-builder'):
        p = subprocess.run(['flatpak-builder', '--show-manifest', path],
                           capture_output=True, text=True)
        ok = p.returncode == 0 and p.stderr.strip() == ''
        shown = None
        if ok:
            try:
                shown = json.loads(p.stdout)
            except ValueError as e:
                ok, p.stderr = False, str(e)
        check('flatpak-builder --show-manifest accepts it without a warning', ok,
              p.stderr.strip())
        check('flatpak-builder reads the same modules',
              shown is not None and [m.get('name') for m in shown.get('modules', [])]
              == [m.get('name') for m in manifest['modules']])
    else:
        results.append(('flatpak-builder --show-manifest # SKIP flatpak-builder not installed',
                        True, ''))

    check('the app id is org.kennel.Kennel', manifest.get('id') == 'org.kennel.Kennel',
          manifest.get('id'))
    check('the command is kennel', manifest.get('command') == 'kennel')
    check('the runtime is org.gnome.Platform 45 or later',
          manifest.get('runtime') == 'org.gnome.Platform'
          and manifest.get('sdk') == 'org.gnome.Sdk'
          and str(manifest.get('runtime-version', '')).isdigit()
          and int(manifest['runtime-version']) >= 45,
          '%s %s' % (manifest.get('runtime'), manifest.get('runtime-version')))

    names = [m.get('name') for m in manifest['modules']]
    for need in ('libfdt', 'libslirp', 'libvncserver', 'vte', 'kennel'):
        check('a module builds %s' % need, need in names)
    check('the app is the last module', names and names[-1] == 'kennel')

    for module in manifest['modules']:
        name = module.get('name')
        sources = module.get('sources', [])
        problems = []
        if not sources:
            problems.append('no sources')
        for s in sources:
            kind = s.get('type')
            if name == 'kennel' and kind == 'dir':
                # The app itself: built from the tree this manifest is in.
                if s.get('path') != '..':
                    problems.append('the app is built from %r, not the source tree' % s.get('path'))
            elif kind in ('archive', 'file'):
                if not s.get('url', '').startswith('https://'):
                    problems.append('%s source without an https url' % kind)
                if not re.fullmatch(r'[0-9a-f]{64}', s.get('sha256', '')):
                    problems.append('%s source without a sha256' % kind)
            elif kind == 'git':
                if not re.fullmatch(r'[0-9a-f]{40}', s.get('commit', '')):
                    problems.append('git source not pinned to a commit')
            elif kind == 'patch':
                if 'path' not in s:
                    problems.append('patch without a path')
            else:
                problems.append('unpinned source type %r' % kind)
        check('module %s has pinned sources' % name, not problems, '; '.join(problems))

    args = manifest.get('finish-args', [])
    allowed = {
        '--socket=wayland',       # the window
        '--socket=fallback-x11',  # the window where there is no Wayland
        '--share=ipc',            # X11 shared memory (with fallback-x11 only)
        '--device=dri',           # GTK's GL renderer
        '--share=network',        # libslirp: the guests' user-mode network
    }
    extra = [a for a in args if a not in allowed]
    check('finish-args are no wider than needed', not extra, 'unexpected: %s' % extra)
    check('no --device=all, --filesystem=host or home, --socket=x11',
          not any(a in ('--device=all', '--filesystem=host', '--filesystem=home',
                        '--socket=x11', '--socket=session-bus', '--socket=system-bus')
                  for a in args))
    check('finish-args name each permission once', len(args) == len(set(args)))


main()
print('1..%d' % len(results))
bad = 0
for i, (name, ok, detail) in enumerate(results, 1):
    print('%s %d - %s' % ('ok' if ok else 'not ok', i, name))
    if not ok:
        bad += 1
        for line in str(detail).splitlines():
            print('# ' + line)
sys.exit(1 if bad else 0)

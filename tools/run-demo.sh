#!/usr/bin/env bash
# The main job: set up, build, build the demo guest if it is not cached,
# then start Kennel with the demo guest: the app, which creates the demo
# guest on a first start and boots it.  Where there is no display, boot the
# demo guest headless in kennel-engine with its console on this terminal
# (Ctrl-A x quits) and user-mode networking.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash tools/setup.sh
if [ -f build/build.ninja ]; then
  meson setup --reconfigure build >/dev/null
else
  meson setup build
fi
meson compile -C build
guest_dir=$(guests/build-demo-guest.sh | tail -n 1)

if { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; } && [ -x build/src/ui/kennel ]; then
  exec tools/run-app.sh build --demo
fi

echo "Booting the demo guest headless (console below; Ctrl-A x quits)."
exec build/src/engine/kennel-engine run \
  --kernel "$guest_dir/Image" --initrd "$guest_dir/initramfs.cpio.gz" \
  --cpus 2 --mem 256M --no-display --net user "$@"

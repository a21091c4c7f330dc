#!/usr/bin/env bash
# Installs every Debian package that Kennel's build, tests, demo guest and
# benchmarks need. A no-op when everything is present; as non-root it
# prints the exact command to run instead.
set -euo pipefail

packages=(
  # build
  build-essential meson ninja-build pkg-config clang-format
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libvte-2.91-gtk4-dev
  libadwaita-1-dev libvncserver-dev libslirp-dev libseccomp-dev libfdt-dev
  gettext desktop-file-utils appstream-util appstream flatpak-builder
  # sanitizers and fuzzing (clang's libFuzzer and runtimes)
  clang libclang-rt-14-dev
  # demo guest: kernel and BusyBox cross builds, initramfs
  linux-source-6.1 gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
  bc bison flex libssl-dev libelf-dev cpio xz-utils dpkg-dev rsync
  # reference machine and firmware
  qemu-system-misc opensbi
  # tests: display, D-Bus session, HTTP peer, device-tree decompiler
  xvfb xauth dbus python3 device-tree-compiler xdotool imagemagick
  # benchmarks
  hyperfine time valgrind
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: run as root:  $cmd" >&2
  exit 1
fi

echo "setup: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Builds Kennel's riscv64 demo guest from Debian packages only:
#   - a Linux kernel Image from linux-source-6.1 (tinyconfig + kernel.config),
#   - a static BusyBox from Debian's busybox source package,
#   - a gzip'd initramfs around it, made without root by gen_init_cpio.
#
# The result is cached in $XDG_CACHE_HOME/kennel/guests/demo-<hash>/, where
# <hash> covers the recipe files in this directory and the versions of the
# Debian packages the guest is built from. A later run with the same hash
# only prints the directory. See docs/demo-guest.md.
#
# Usage: build-demo-guest.sh [-v|--verbose]   build if needed; the last line
#                                             of stdout is the directory
#        build-demo-guest.sh --print-dir      print the directory, never build
#        build-demo-guest.sh --check          exit 0 iff the entry is complete
set -euo pipefail

recipe_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Absolute, because the fetch step changes directory.
self="$recipe_dir/$(basename "${BASH_SOURCE[0]}")"
readonly recipe_dir self
readonly cache_root="${XDG_CACHE_HOME:-${HOME:?neither XDG_CACHE_HOME nor HOME is set}/.cache}/kennel"
readonly build_root="$cache_root/build"
readonly apt_root="$cache_root/apt"
readonly cross=riscv64-linux-gnu-
readonly linux_tarball=/usr/src/linux-source-6.1.tar.xz
readonly debian_mirror="${KENNEL_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
readonly debian_suite=bookworm
# The files every complete cache entry holds.
readonly entry_files=(Image initramfs.cpio.gz config manifest)

log() { printf '[guest] %s\n' "$*" >&2; }
die() {
  printf '[guest] error: %s\n' "$*" >&2
  exit 1
}

usage() {
  cat >&2 <<'EOF'
Usage: build-demo-guest.sh [-v|--verbose]  build if needed; the last line of
                                           stdout is the guest's directory
       build-demo-guest.sh --print-dir     print the directory, never build
       build-demo-guest.sh --check         exit 0 iff the entry is complete
EOF
}

mode=build
verbose=0
for arg in "$@"; do
  case "$arg" in
    --print-dir) mode=print-dir ;;
    --check) mode=check ;;
    -v | --verbose) verbose=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *)
      usage
      die "unknown argument: $arg"
      ;;
  esac
done

# Installed version of a Debian package, or "none".
pkg_version() {
  local v
  v=$(dpkg-query -W -f='${Version}' "$1" 2>/dev/null) || v=""
  printf '%s\n' "${v:-none}"
}

# The Debian source version of BusyBox is pinned in busybox.version so that
# the hash, and with it --print-dir and --check, needs no network.
busybox_version=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$recipe_dir/busybox.version" | grep -v '^$' | head -n1) || true
[ -n "$busybox_version" ] || die "$recipe_dir/busybox.version names no version"
readonly busybox_version
readonly busybox_upstream_version="${busybox_version#*:}" # no epoch
readonly busybox_dsc="busybox_${busybox_upstream_version}.dsc"

linux_version=$(pkg_version linux-source-6.1)
gcc_version=$(pkg_version gcc-riscv64-linux-gnu)
libc_version=$(pkg_version libc6-dev-riscv64-cross)
readonly linux_version gcc_version libc_version

# Recipe files: everything under guests/ except documentation. The
# executable bit matters too (it becomes the file mode in the initramfs).
recipe_digest() {
  local f
  (cd "$recipe_dir" && find . -type f ! -name '*.md' ! -name '*~' ! -name '.*' | LC_ALL=C sort) |
    while IFS= read -r f; do
      if [ -x "$recipe_dir/$f" ]; then x=x; else x=-; fi
      printf '%s %s %s\n' "$(sha256sum <"$recipe_dir/$f" | cut -d' ' -f1)" "$x" "$f"
    done
  printf 'linux-source-6.1 %s\n' "$linux_version"
  printf 'busybox-source %s\n' "$busybox_version"
  printf 'gcc-riscv64-linux-gnu %s\n' "$gcc_version"
  printf 'libc6-dev-riscv64-cross %s\n' "$libc_version"
}
guest_hash=$(recipe_digest | sha256sum | cut -c1-12)
readonly guest_hash
readonly entry_dir="$cache_root/guests/demo-$guest_hash"

entry_complete() {
  local f
  [ -d "$entry_dir" ] || return 1
  for f in "${entry_files[@]}"; do
    [ -s "$entry_dir/$f" ] || return 1
  done
}

case "$mode" in
  print-dir)
    printf '%s\n' "$entry_dir"
    exit 0
    ;;
  check)
    if entry_complete; then exit 0; fi
    log "not built (or incomplete): $entry_dir"
    exit 1
    ;;
esac

if entry_complete; then
  log "up to date: nothing to build"
  printf '%s\n' "$entry_dir"
  exit 0
fi

# --- Preconditions -----------------------------------------------------------

need_cmd() { # command package
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found: install the Debian package $2 (tools/setup.sh installs everything)"
}
need_cmd "${cross}gcc" gcc-riscv64-linux-gnu
need_cmd "${cross}readelf" binutils-riscv64-linux-gnu
need_cmd gcc build-essential
need_cmd make build-essential
need_cmd bc bc
need_cmd bison bison
need_cmd flex flex
need_cmd xz xz-utils
need_cmd dpkg-source dpkg-dev
need_cmd apt-get apt
need_cmd flock util-linux
need_cmd gzip gzip
[ -r "$linux_tarball" ] || die "$linux_tarball not found: install the Debian package linux-source-6.1"
[ "$libc_version" != none ] || die "riscv64 C library missing: install the Debian package libc6-dev-riscv64-cross"
[ -f /usr/riscv64-linux-gnu/lib/libc.a ] || die "/usr/riscv64-linux-gnu/lib/libc.a missing: install libc6-dev-riscv64-cross"

mkdir -p "$build_root/logs" "$cache_root/guests"

# One build at a time per cache: the kernel and BusyBox work trees under
# build/ are shared by every entry.
exec 9>"$cache_root/build.lock"
if ! flock -n 9; then
  log "another build holds $cache_root/build.lock; waiting for it"
  flock 9
fi
if entry_complete; then # the other build may have made our entry
  log "up to date: built by a concurrent run"
  printf '%s\n' "$entry_dir"
  exit 0
fi

# --- Step bookkeeping and cleanup -----------------------------------------------

current_step=""
step_started=0
build_started=$SECONDS
staging=""
# Temporary trees of the step in progress (a half-unpacked kernel is
# 1.3 GB): removed when the build ends early, cancelled or failed.
scratch=()

on_exit() {
  local status=$? dir
  if [ -n "$staging" ] && [ -d "$staging" ]; then
    rm -rf -- "$staging"
  fi
  for dir in "${scratch[@]}"; do
    rm -rf -- "$dir"
  done
  if [ "$status" -ne 0 ] && [ -n "$current_step" ]; then
    log "FAILED at step '$current_step' (no cache entry was written)"
  fi
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step() {
  if [ -n "$current_step" ]; then
    log "  done in $((SECONDS - step_started)) s"
  fi
  current_step=$1
  step_started=$SECONDS
  log "step $current_step"
}

# run LOGNAME CMD...: runs a noisy command with its output in a log file;
# on failure shows the end of the log.
run() {
  local logfile="$build_root/logs/$1.log"
  shift
  printf '+ %s\n' "$*" >>"$logfile"
  if [ "$verbose" -eq 1 ]; then
    "$@" 2>&1 | tee -a "$logfile" >&2 && return 0
  elif "$@" >>"$logfile" 2>&1; then
    return 0
  fi
  tail -n 40 "$logfile" >&2
  die "step '$current_step': '$*' failed (full log: $logfile)"
}

: >"$build_root/logs/kernel.log"
: >"$build_root/logs/busybox.log"
: >"$build_root/logs/apt.log"
: >"$build_root/logs/initramfs.log"
log "building demo guest $guest_hash into $entry_dir ($(nproc) jobs)"

staging=$(mktemp -d "$cache_root/guests/.demo-$guest_hash.tmp.XXXXXX")

# --- Kernel ------------------------------------------------------------------------

readonly ksrc="$build_root/linux-source-6.1"
kmake() {
  run kernel make -C "$ksrc" ARCH=riscv CROSS_COMPILE="$cross" \
    KBUILD_BUILD_USER=kennel KBUILD_BUILD_HOST=kennel "$@"
}

step "unpack linux-source-6.1 $linux_version"
# The tree is kept between builds so that a recipe change recompiles only
# what changed; a new linux-source package replaces it.
if [ "$(cat "$ksrc/.kennel-source-version" 2>/dev/null)" != "$linux_version" ]; then
  rm -rf -- "$ksrc"
  ktmp=$(mktemp -d "$build_root/.linux-unpack.XXXXXX")
  scratch=("$ktmp")
  run kernel tar -xJf "$linux_tarball" -C "$ktmp"
  [ -d "$ktmp/linux-source-6.1" ] || die "$linux_tarball did not unpack into linux-source-6.1/"
  printf '%s\n' "$linux_version" >"$ktmp/linux-source-6.1/.kennel-source-version"
  mv -T "$ktmp/linux-source-6.1" "$ksrc"
  rmdir "$ktmp"
  scratch=()
else
  log "  reusing $ksrc"
fi

configure_kernel() {
  kmake tinyconfig
  run kernel env ARCH=riscv CROSS_COMPILE="$cross" \
    "$ksrc/scripts/kconfig/merge_config.sh" -m -O "$ksrc" "$ksrc/.config" "$recipe_dir/kernel.config"
  kmake olddefconfig
  # tinyconfig and olddefconfig drop, without a word, options whose
  # dependencies are not met: insist on every line of the fragment.
  local line sym missing=()
  while IFS= read -r line; do
    case "$line" in
      CONFIG_*=*)
        grep -qxF -- "$line" "$ksrc/.config" ||
          missing+=("$line (have: $(grep -E "^(# )?${line%%=*}[= ]" "$ksrc/.config" || echo absent))")
        ;;
      "# CONFIG_"*" is not set")
        sym=${line#\# }
        sym=${sym%% *}
        ! grep -qE "^$sym=" "$ksrc/.config" ||
          missing+=("$line (have: $(grep -E "^$sym=" "$ksrc/.config"))")
        ;;
    esac
  done <"$recipe_dir/kernel.config"
  if [ ${#missing[@]} -gt 0 ]; then
    printf '[guest]   not in the final kernel .config: %s\n' "${missing[@]}" >&2
    die "kernel.config asks for ${#missing[@]} option(s) that the kernel's Kconfig dropped (a missing dependency or a typo)"
  fi
}

# What the Image depends on. When it matches the last build in this tree,
# configure and make are skipped: even a make with nothing to do spends a
# minute re-probing the compiler on a busy machine.
kernel_inputs=$(
  sha256sum <"$recipe_dir/kernel.config"
  sha256sum <"$self"
  echo "$linux_version $gcc_version"
)
if [ -s "$ksrc/arch/riscv/boot/Image" ] &&
  [ "$(cat "$ksrc/.kennel-built-inputs" 2>/dev/null)" = "$kernel_inputs" ]; then
  step "kernel Image: inputs unchanged since the last build, reusing it"
else
  rm -f "$ksrc/.kennel-built-inputs"
  step "configure kernel (tinyconfig + kernel.config)"
  configure_kernel
  step "build kernel Image (make -j$(nproc) Image)"
  kmake -j"$(nproc)" Image
  printf '%s\n' "$kernel_inputs" >"$ksrc/.kennel-built-inputs"
fi
kernel_release=$(cat "$ksrc/include/config/kernel.release")
cp "$ksrc/arch/riscv/boot/Image" "$staging/Image"
cp "$ksrc/.config" "$staging/config"

step "gen_init_cpio"
# The kernel build makes usr/gen_init_cpio whenever it builds usr/; if it
# did not, it is a single host C file.
gen_init_cpio="$ksrc/usr/gen_init_cpio"
if [ ! -x "$gen_init_cpio" ]; then
  gen_init_cpio="$build_root/gen_init_cpio"
  run kernel gcc -O2 -o "$gen_init_cpio" "$ksrc/usr/gen_init_cpio.c"
fi

# --- BusyBox ---------------------------------------------------------------------

# A private apt configuration: its own sources.list, lists and cache, so
# that the system's apt sources and lists stay as they are. It is read
# after the system configuration (-c), so proxy settings still apply.
readonly apt_conf="$apt_root/apt.conf"
apt_private() {
  mkdir -p "$apt_root/sources.list.d" "$apt_root/lists/partial" "$apt_root/cache/archives/partial"
  printf 'deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
    "$debian_mirror" "$debian_suite" >"$apt_root/sources.list"
  {
    printf 'Dir::Etc::SourceList "%s";\n' "$apt_root/sources.list"
    printf 'Dir::Etc::SourceParts "%s";\n' "$apt_root/sources.list.d"
    printf 'Dir::State::Lists "%s";\n' "$apt_root/lists"
    printf 'Dir::Cache "%s";\n' "$apt_root/cache"
    printf 'Acquire::Languages "none";\n'
    # The system's update hooks (appstream, packagekit, ...) are about the
    # system's lists, not ours.
    printf '#clear APT::Update::Post-Invoke;\n'
    printf '#clear APT::Update::Post-Invoke-Success;\n'
    # As root apt would fetch as _apt, which cannot enter a private cache
    # in root's home.
    if [ "$(id -u)" -eq 0 ]; then printf 'APT::Sandbox::User "root";\n'; fi
  } >"$apt_conf"
}
busybox_versions_known() {
  apt-cache -c "$apt_conf" showsrc busybox 2>/dev/null | sed -n 's/^Version: //p' | sort -u
}

readonly bb_dl="$build_root/busybox-source"
step "fetch busybox source $busybox_version"
if [ -f "$bb_dl/$busybox_dsc" ]; then
  log "  reusing $bb_dl/$busybox_dsc"
else
  apt_private
  if ! busybox_versions_known | grep -qxF -- "$busybox_version"; then
    run apt apt-get -c "$apt_conf" update
  fi
  known=$(busybox_versions_known | tr '\n' ' ')
  if [ -z "$known" ]; then
    tail -n 10 "$build_root/logs/apt.log" >&2
    die "could not read busybox from the source index of $debian_mirror $debian_suite (apt-get update failed? log: $build_root/logs/apt.log)"
  fi
  case " $known" in
    *" $busybox_version "*) ;;
    *) die "the archive ($debian_mirror $debian_suite) no longer has busybox source $busybox_version, only: $known- put that version in guests/busybox.version" ;;
  esac
  dltmp=$(mktemp -d "$build_root/.busybox-download.XXXXXX")
  scratch=("$dltmp")
  # apt-get source downloads into the current directory.
  cd "$dltmp"
  run apt apt-get -c "$apt_conf" source --download-only "busybox=$busybox_version"
  cd "$recipe_dir"
  [ -f "$dltmp/$busybox_dsc" ] || die "apt-get source did not produce $busybox_dsc"
  rm -rf -- "$bb_dl"
  mv -T "$dltmp" "$bb_dl"
  scratch=()
fi

readonly bbsrc="$build_root/busybox-$busybox_upstream_version"
step "unpack busybox source (dpkg-source -x)"
if [ ! -f "$bbsrc/.kennel-unpacked" ]; then
  rm -rf -- "$bbsrc" "$bbsrc.tmp"
  scratch=("$bbsrc.tmp")
  # dpkg-source checks the files against the .dsc's checksums (apt already
  # checked the .dsc against the signed index) and applies Debian's patches.
  # --no-copy: no copy of the upstream tarball beside the tree.
  run busybox dpkg-source --no-copy -x "$bb_dl/$busybox_dsc" "$bbsrc.tmp"
  touch "$bbsrc.tmp/.kennel-unpacked"
  mv -T "$bbsrc.tmp" "$bbsrc"
  scratch=()
else
  log "  reusing $bbsrc"
fi

bbmake() {
  run busybox make -C "$bbsrc" CROSS_COMPILE="$cross" "$@"
}
configure_busybox() {
  local line sym missing=()
  # BusyBox rebuilds everything when .config is newer than its build: keep
  # the old file, timestamp and all, when the new one says the same.
  if [ -f "$bbsrc/.config" ]; then cp -p "$bbsrc/.config" "$bbsrc/.config.kennel-old"; fi
  bbmake defconfig
  # Set each fragment line: drop the symbol's old line, append the new one.
  while IFS= read -r line; do
    case "$line" in
      CONFIG_*=*) sym=${line%%=*} ;;
      "# CONFIG_"*" is not set")
        sym=${line#\# }
        sym=${sym%% *}
        ;;
      *) continue ;;
    esac
    sed -i -E "/^(# )?$sym[= ]/d" "$bbsrc/.config"
    printf '%s\n' "$line" >>"$bbsrc/.config"
  done <"$recipe_dir/busybox.config"
  # Let BusyBox's Kconfig settle dependencies without asking questions.
  bbmake oldconfig </dev/null
  while IFS= read -r line; do
    case "$line" in
      CONFIG_*=*) grep -qxF -- "$line" "$bbsrc/.config" || missing+=("$line") ;;
    esac
  done <"$recipe_dir/busybox.config"
  [ ${#missing[@]} -eq 0 ] || die "busybox.config options not in the final BusyBox .config: ${missing[*]}"
  if [ -f "$bbsrc/.config.kennel-old" ]; then
    if cmp -s "$bbsrc/.config" "$bbsrc/.config.kennel-old"; then
      mv -f "$bbsrc/.config.kennel-old" "$bbsrc/.config"
    else
      rm -f "$bbsrc/.config.kennel-old"
    fi
  fi
}

# As for the kernel: skip configure and make when nothing they use changed.
busybox_inputs=$(
  sha256sum <"$recipe_dir/busybox.config"
  sha256sum <"$self"
  echo "$busybox_version $gcc_version $libc_version"
)
if [ -s "$bbsrc/busybox" ] && [ -s "$bbsrc/busybox.links" ] &&
  [ "$(cat "$bbsrc/.kennel-built-inputs" 2>/dev/null)" = "$busybox_inputs" ]; then
  step "busybox: inputs unchanged since the last build, reusing it"
else
  rm -f "$bbsrc/.kennel-built-inputs"
  step "configure busybox (defconfig + busybox.config)"
  configure_busybox
  step "build busybox (static, make -j$(nproc))"
  bbmake -j"$(nproc)" busybox busybox.links
  # A dynamic binary would boot to "not found" for /init's interpreter.
  if "${cross}readelf" -l "$bbsrc/busybox" | grep -q 'INTERP'; then
    die "$bbsrc/busybox is dynamically linked: CONFIG_STATIC did not take"
  fi
  printf '%s\n' "$busybox_inputs" >"$bbsrc/.kennel-built-inputs"
fi

# --- Initramfs ---------------------------------------------------------------------

step "initramfs (gen_init_cpio | gzip)"
cpio_list="$staging/initramfs.list"
{
  echo "# generated by build-demo-guest.sh"
  base_dirs=" /bin /sbin /usr /usr/bin /usr/sbin /usr/share /etc /root /proc /sys /dev /tmp /run /mnt /var "
  for d in $base_dirs; do
    echo "dir $d 0755 0 0"
  done
  echo "slink /var/run /run 0777 0 0"
  echo "slink /var/tmp /tmp 0777 0 0"
  # The kernel opens /dev/console for /init before anything is mounted.
  echo "nod /dev/console 0600 0 0 c 5 1"
  echo "file /bin/busybox $bbsrc/busybox 0755 0 0"
  while IFS= read -r link; do
    case "$link" in
      /bin/busybox | /linuxrc | "") ;;
      *) echo "slink $link /bin/busybox 0777 0 0" ;;
    esac
  done <"$bbsrc/busybox.links"
  echo "file /init $recipe_dir/init 0755 0 0"
  # rootfs/ is copied as it is; executables get 0755, the rest 0644.
  (cd "$recipe_dir/rootfs" && find . -mindepth 1 | LC_ALL=C sort) | while IFS= read -r p; do
    p=${p#.}
    if [ -d "$recipe_dir/rootfs$p" ]; then
      case "$base_dirs" in
        *" $p "*) ;;
        *) echo "dir $p 0755 0 0" ;;
      esac
    elif [ -x "$recipe_dir/rootfs$p" ]; then
      echo "file $p $recipe_dir/rootfs$p 0755 0 0"
    else
      echo "file $p $recipe_dir/rootfs$p 0644 0 0"
    fi
  done
} >"$cpio_list"
# A fixed timestamp keeps the archive the same from one build to the next.
"$gen_init_cpio" -t 0 "$cpio_list" 2>>"$build_root/logs/initramfs.log" | gzip -9 -n >"$staging/initramfs.cpio.gz" ||
  die "step '$current_step': gen_init_cpio failed (log: $build_root/logs/initramfs.log)"
rm -f "$cpio_list"

step "manifest"
{
  echo "Kennel demo guest $guest_hash"
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "kernel: $kernel_release (linux-source-6.1 $linux_version)"
  echo "busybox: busybox source $busybox_version, static"
  echo "compiler: gcc-riscv64-linux-gnu $gcc_version ($("${cross}gcc" -dumpfullversion))"
  echo "libc: libc6-dev-riscv64-cross $libc_version"
  echo "files:"
  (cd "$staging" && sha256sum Image initramfs.cpio.gz config)
} >"$staging/manifest"

step "install into cache"
# A rename is atomic: readers see no entry or a complete one.
rm -rf -- "$entry_dir"
mv -T "$staging" "$entry_dir"
staging=""
log "  done in $((SECONDS - step_started)) s"
current_step=""
log "built in $((SECONDS - build_started)) s: $entry_dir"
printf '%s\n' "$entry_dir"

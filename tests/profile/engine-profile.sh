#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `kennel-engine run --profile FILE`: the demo guest boots from a profile
# (with relative paths resolved against $XDG_DATA_HOME/kennel), options on
# the command line override the profile's, and bad profiles are refused
# with a message that names the key.  TAP.
#
# Usage: engine-profile.sh KENNEL_ENGINE
# The guest comes from $KENNEL_DEMO_GUEST_DIR, or else from
# "$KENNEL_SOURCE_ROOT"/guests/build-demo-guest.sh --print-dir.
set -u

engine=${1:?usage: engine-profile.sh KENNEL_ENGINE}
limit=${KENNEL_BOOT_TIMEOUT:-100}
work=$(mktemp -d "${TMPDIR:-/tmp}/kennel-engine-profile-XXXXXX")
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data"
mkdir -p "$XDG_DATA_HOME/kennel/guests"

echo "TAP version 13"
echo "1..12"
count=0
failed=0
ok() {
  count=$((count + 1))
  echo "ok $count - $1"
}
not_ok() {
  count=$((count + 1))
  failed=$((failed + 1))
  echo "not ok $count - $1"
}
skip() {
  count=$((count + 1))
  echo "ok $count - $1 # SKIP $2"
}

# expect NAME STATUS PHRASE PROFILE-TEXT [ARGS...]: run with that profile
# (no file at all for an empty text), check the exit status and a phrase of
# stderr, where the profile's path reads FILE.
expect() {
  local name=$1 status=$2 phrase=$3 text=$4
  shift 4
  local file="$work/bad.ini" got err
  rm -f "$file"
  [ -z "$text" ] || printf '%s' "$text" >"$file"
  err=$(timeout 20 "$engine" run --profile "$file" "$@" </dev/null 2>&1 >/dev/null)
  got=$?
  if [ "$got" -eq "$status" ] && grep -qF -- "$phrase" <<<"${err//"$file"/FILE}"; then
    ok "$name"
  else
    not_ok "$name"
    echo "# expected status $status and \"$phrase\"; got status $got and:"
    sed 's/^/#   /' <<<"$err"
  fi
}

head='[Guest]
id=bad
name=Bad
'
boot='[Boot]
kernel=/nonexistent/Image
'
expect "a wrong type names file, group and key" 1 "FILE: [Guest] memory: 'lots' is not a size" \
  "${head}memory=lots
${boot}"
expect "kvm is refused for now" 1 "FILE: [Guest] accelerator: kvm is not available yet" \
  "${head}accelerator=kvm
${boot}"
expect "a missing kernel key" 1 "FILE: [Boot] kernel: missing" "${head}[Boot]
method=direct
"
expect "a missing kernel file names the key" 1 "FILE: [Boot] kernel: /nonexistent/Image: No such file" \
  "${head}${boot}"
expect "files given on the command line are the engine's to check" 1 "/nonexistent/other" \
  "${head}${boot}" --kernel /nonexistent/other
expect "an unreadable profile" 1 "FILE: cannot read it" ""
expect "--profile twice" 2 "--profile is given twice" "${head}${boot}" --profile "$work/bad.ini"

err=$(timeout 20 "$engine" run --profile </dev/null 2>&1 >/dev/null)
status=$?
if [ "$status" -eq 2 ] && grep -qF -- "--profile needs a value" <<<"$err"; then
  ok "--profile without a value"
else
  not_ok "--profile without a value (status $status: $err)"
fi

dir=${KENNEL_DEMO_GUEST_DIR:-}
if [ -z "$dir" ]; then
  dir=$(bash "${KENNEL_SOURCE_ROOT:?}/guests/build-demo-guest.sh" --print-dir 2>/dev/null || true)
fi
if [ -z "$dir" ] || [ ! -f "$dir/Image" ] || [ ! -f "$dir/initramfs.cpio.gz" ]; then
  for name in "boot from a profile" "the command line overrides the profile" "unknown keys warn" \
    "the profile's disks, and one more from the command line"; do
    skip "$name" "the demo guest is not built (guests/build-demo-guest.sh)"
  done
  exit $((failed > 0))
fi

# Relative paths are resolved against $XDG_DATA_HOME/kennel.
ln -s "$dir/Image" "$XDG_DATA_HOME/kennel/guests/Image"
ln -s "$dir/initramfs.cpio.gz" "$XDG_DATA_HOME/kennel/guests/initramfs.cpio.gz"
profile="$work/demo.ini"
cat >"$profile" <<'INI'
[Guest]
version=1
id=demo
name=Demo Linux (riscv64)
vcpus=2
memory=256M
console=pty
future-key=kept
[Boot]
method=direct
kernel=guests/Image
initrd=guests/initramfs.cpio.gz
cmdline=console=hvc0 kennel.run="echo cpus=$(nproc); grep MemTotal /proc/meminfo"
[Network]
mode=none
INI

# boot ARGS...: boots the profile; sets out, err, status, took.
boot() {
  out=$(mktemp "$work/out-XXXXXX")
  err=$(mktemp "$work/err-XXXXXX")
  local start
  start=$(date +%s)
  timeout --preserve-status -s TERM "$limit" "$engine" run --profile "$profile" "$@" \
    </dev/null >"$out" 2>"$err"
  status=$?
  took=$(($(date +%s) - start))
}

mem_kib() { tr -d '\r' <"$out" | sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p'; }

report() {
  echo "# exit status $status; last lines of the console:"
  tail -n 15 "$out" | tr -d '\r' | sed 's/^/#   /'
  sed 's/^/#   stderr: /' "$err"
}

boot
kib=$(mem_kib)
if [ "$status" -eq 0 ] && grep -q "KENNEL-RUN-EXIT=0" "$out" && grep -q "cpus=2" "$out" &&
  [ -n "$kib" ] && [ "$kib" -gt 200000 ] && [ "$kib" -le 262144 ]; then
  ok "boot from a profile: 2 vCPUs and 256M as it says (${took}s, MemTotal $kib kB)"
else
  not_ok "boot from a profile (MemTotal '${kib}' kB)"
  report
fi

boot --mem 128M --append 'console=hvc0 kennel.run="echo cpus=$(nproc) overridden; grep MemTotal /proc/meminfo"'
kib=$(mem_kib)
if [ "$status" -eq 0 ] && grep -q "cpus=2 overridden" "$out" &&
  [ -n "$kib" ] && [ "$kib" -gt 90000 ] && [ "$kib" -le 131072 ]; then
  ok "the command line overrides the profile: --mem 128M and --append win (${took}s, MemTotal $kib kB)"
else
  not_ok "the command line overrides the profile (MemTotal '${kib}' kB)"
  report
fi

if grep -qF "warning: $profile: [Guest] future-key: unknown key" "$err"; then
  ok "unknown keys warn"
else
  not_ok "unknown keys warn"
  sed 's/^/#   stderr: /' "$err"
fi
# Disks: the profile's (relative path, read-only, a serial) come first,
# a --disk on the command line adds one more.  The network becomes
# restricted user networking with a port forward, which the engine takes.
mkdir -p "$XDG_DATA_HOME/kennel/disks"
truncate -s 64M "$XDG_DATA_HOME/kennel/disks/demo-0.img"
truncate -s 32M "$work/extra.img"
cat >>"$profile" <<'INI'
[Disk 0]
file=disks/demo-0.img
read-only=true
serial=KENNEL-D0
INI
port=$((20000 + RANDOM % 20000))
sed -i "s/^mode=none\$/mode=restrict\nforwards=tcp:127.0.0.1:$port-:80;/" "$profile"
boot --disk "$work/extra.img" \
  --append 'console=hvc0 kennel.run="echo vda $(cat /sys/block/vda/size /sys/block/vda/ro /sys/block/vda/serial) vdb $(cat /sys/block/vdb/size /sys/block/vdb/ro); ip -4 addr show eth0"'
if [ "$status" -eq 0 ] && tr -d '\r' <"$out" | grep -q "^vda 131072 1 KENNEL-D0 vdb 65536 0$" &&
  grep -q "inet 10.0.2.15/" "$out"; then
  ok "the profile's disks, and one more from the command line; its network and forward (${took}s)"
else
  not_ok "the profile's disks, and one more from the command line"
  report
fi
exit $((failed > 0))

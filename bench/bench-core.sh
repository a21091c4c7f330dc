#!/usr/bin/env bash
# Hypervisor-core benchmarks: the demo guest under kennel-engine and under
# Debian's QEMU (TCG), in the same run, on the same Image and initramfs,
# with the same RAM and number of harts. What each figure means and how to
# read the ratios: bench/README.md.
#
#   bench/bench-core.sh [--quick] [--out FILE] [--engine PATH] [--guest DIR] ...
#
# Every run of a guest goes through bench/guestrun.py, which reads the
# console pipe itself (timestamps at the moment a line arrives), takes the
# child's rusage, and kills a run that outlives its timeout.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
prog=${0##*/}

die() {
  echo "$prog: $*" >&2
  exit 2
}
warn() { echo "$prog: warning: $*" >&2; }
note() { echo "[bench] $*" >&2; }

usage() {
  cat <<EOF
Usage: $prog [OPTION...]

Boots the demo guest under kennel-engine and qemu-system-riscv64 and
compares: time to KENNEL-GUEST-READY, two in-guest CPU workloads, the host
CPU an idle guest uses, the engine's memory beyond guest RAM, and the same
workloads run natively on the host.

  --quick             one run of everything (a smoke check)
  --out FILE          also write the results as a markdown table to FILE
  --engine PATH       kennel-engine binary (default: \$KENNEL_ENGINE, else
                      $top/build/src/engine/kennel-engine)
  --guest DIR         demo guest directory with Image and initramfs.cpio.gz
                      (default: \$KENNEL_DEMO_GUEST_DIR, else
                      guests/build-demo-guest.sh --print-dir)
  --qemu PATH         QEMU binary (default: \$KENNEL_QEMU, else qemu-system-riscv64)
  --boot-runs N       boots per machine for the boot time (default 5)
  --work-runs N       runs per machine of each workload (default 3)
  --idle-secs N       length of the idle sample in seconds (default 10)
  --work-timeout N    seconds before a workload run is killed (default 300)
  --keep-logs DIR     copy every console log to DIR (created if needed)
  -h, --help          this help
EOF
}

# --- Options -------------------------------------------------------------------

engine=${KENNEL_ENGINE:-$top/build/src/engine/kennel-engine}
guest=${KENNEL_DEMO_GUEST_DIR:-}
qemu=${KENNEL_QEMU:-qemu-system-riscv64}
bios=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin
out_file=""
keep_logs=""
boot_runs=5
work_runs=3
idle_secs=10
work_timeout=300
quick=0
# Both machines get the same RAM and harts, so that neither has an edge.
ram_mib=256
harts=1
# A boot to the ready line takes seconds; a minute means it is stuck.
boot_timeout=60

need_arg() { [ "$#" -ge 2 ] && [ -n "$2" ] || die "$1 needs a value (see --help)"; }
need_count() {
  [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 $2: expected a whole number of at least 1"
}
while [ "$#" -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --out) need_arg "$@"; out_file=$2; shift ;;
    --engine) need_arg "$@"; engine=$2; shift ;;
    --guest) need_arg "$@"; guest=$2; shift ;;
    --qemu) need_arg "$@"; qemu=$2; shift ;;
    --boot-runs) need_arg "$@"; need_count "$1" "$2"; boot_runs=$2; shift ;;
    --work-runs) need_arg "$@"; need_count "$1" "$2"; work_runs=$2; shift ;;
    --idle-secs) need_arg "$@"; need_count "$1" "$2"; idle_secs=$2; shift ;;
    --work-timeout) need_arg "$@"; need_count "$1" "$2"; work_timeout=$2; shift ;;
    --keep-logs) need_arg "$@"; keep_logs=$2; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
  shift
done
if [ "$quick" = 1 ]; then
  boot_runs=1
  work_runs=1
fi

# --- What we need --------------------------------------------------------------

command -v python3 >/dev/null 2>&1 || die "python3 not found: bench/guestrun.py needs it"
[ -r "$here/guestrun.py" ] || die "$here/guestrun.py is missing"
[ -x "$engine" ] ||
  die "kennel-engine not found at $engine: build it (meson setup build && ninja -C build) or pass --engine PATH"
qemu_path=$(command -v "$qemu" 2>/dev/null) ||
  die "$qemu not found: install qemu-system-misc (or pass --qemu PATH)"
[ -r "$bios" ] || die "$bios not found: install opensbi (QEMU's reference firmware)"
if [ -z "$guest" ]; then
  guest=$("$top/guests/build-demo-guest.sh" --print-dir 2>/dev/null | tail -n 1) ||
    die "guests/build-demo-guest.sh --print-dir failed; pass --guest DIR"
fi
for f in Image initramfs.cpio.gz; do
  [ -s "$guest/$f" ] ||
    die "no $f in $guest: build the demo guest first (guests/build-demo-guest.sh), or pass --guest DIR"
done
if [ -n "$out_file" ]; then
  : >"$out_file" 2>/dev/null || die "cannot write --out file $out_file"
fi
if [ -n "$keep_logs" ]; then
  mkdir -p -- "$keep_logs" || die "cannot create --keep-logs directory $keep_logs"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kennel-bench.XXXXXX")
helper_pid=""
cleanup() {
  # guestrun.py takes its guest along when it is signalled.
  if [ -n "$helper_pid" ]; then kill "$helper_pid" 2>/dev/null || true; fi
  if [ -n "$keep_logs" ] && [ -d "$tmp" ]; then
    cp -- "$tmp"/*.log "$keep_logs"/ 2>/dev/null || true
  fi
  rm -rf -- "$tmp"
}
trap cleanup EXIT
interrupted() {
  echo "$prog: interrupted; stopping the guest and removing $tmp" >&2
  exit "$1"
}
trap 'interrupted 130' INT
trap 'interrupted 143' TERM
trap 'interrupted 129' HUP

# Private copies of the guest's files: every run boots the very same bytes
# even if the cache entry is rebuilt or removed while we run (it can be:
# the cache is shared by everyone working on this machine).
guest_src=$guest
mkdir "$tmp/guest"
for f in Image initramfs.cpio.gz; do
  cp -- "$guest_src/$f" "$tmp/guest/$f" || die "cannot copy $guest_src/$f"
done
guest=$tmp/guest
guest_sums=$(cd "$guest" && sha256sum Image initramfs.cpio.gz | awk '{ printf "%s%s %s", sep, $2, substr($1, 1, 12); sep = ", " }')

# --- Running one guest ---------------------------------------------------------

# The in-guest workloads. Each is one shell command for kennel.run= (and,
# unchanged, for sh on the host). /init runs it with sh -c; it may hold no
# double quote (the kernel's command line has no escape for one). `read`
# is a shell builtin, so taking the time costs no extra process. The
# result line carries both /proc/uptime readings and the digest.
timed() {
  echo "read a x </proc/uptime; d=\$($1); read b x </proc/uptime; echo KENNEL-BENCH-TIME \$a \$b \$d"
}
work_sha=$(timed 'dd if=/dev/zero bs=1M count=64 2>/dev/null | sha256sum')
work_gzip=$(timed 'dd if=/dev/zero bs=1M count=32 2>/dev/null | gzip -c | sha256sum')
# sha256 of 64 MiB of zeros (the host run below must agree).
sha_zero64=3b6a07d0d404fab4e23b6d34bc6696a6a312dd92821332385e5af7c01c421351

# machine_cmd MACHINE APPEND: the command line that boots the guest (into
# the array cmd). Kennel boots directly (the engine answers SBI); QEMU
# goes through Debian's OpenSBI, as a QEMU user would. Both machines get
# the same devices: QEMU's virt has no screen here, so Kennel runs with
# --no-display (its virtio-gpu and input devices would add the guest's
# DRM and fbcon set-up to the boot; bench-display.py measures that).
machine_cmd() {
  case $1 in
    kennel)
      cmd=("$engine" run --kernel "$guest/Image" --initrd "$guest/initramfs.cpio.gz"
        --mem "${ram_mib}M" --cpus "$harts" --no-display --append "console=hvc0${2:+ $2}") ;;
    kennel_fw)
      # The engine on QEMU's path: Debian's OpenSBI in M-mode, the UART as
      # console. Shows how much of the boot figure is the boot method.
      cmd=("$engine" run --firmware "$bios" --kernel "$guest/Image"
        --initrd "$guest/initramfs.cpio.gz" --mem "${ram_mib}M" --cpus "$harts" --no-display
        --append "console=ttyS0${2:+ $2}") ;;
    qemu)
      cmd=("$qemu_path" -M virt -bios "$bios" -kernel "$guest/Image"
        -initrd "$guest/initramfs.cpio.gz" -append "console=ttyS0${2:+ $2}"
        -nographic -m "${ram_mib}M" -smp "$harts") ;;
  esac
}

# run_once NAME TIMEOUT [GUESTRUN OPTIONS...] -- CMD...: one run through
# guestrun.py; its key=value results go to $tmp/NAME.out, the console to
# $tmp/NAME.log. On failure says why, shows the console's end, returns 1.
run_once() {
  local name=$1 timeout=$2 status=0
  shift 2
  python3 "$here/guestrun.py" --timeout "$timeout" --ram-mib "$ram_mib" \
    --log "$tmp/$name.log" "$@" >"$tmp/$name.out" &
  helper_pid=$!
  wait "$helper_pid" || status=$?
  helper_pid=""
  if [ "$status" -ne 0 ]; then
    echo "$prog: run $name failed: $(val "$name" error || echo "guestrun.py exit status $status")" >&2
    if [ -s "$tmp/$name.log" ]; then
      echo "$prog: the end of its console ($tmp/$name.log):" >&2
      tail -n 15 "$tmp/$name.log" | tr -d '\r' | sed 's/^/    /' >&2
    fi
    return 1
  fi
}

# val NAME KEY: a value from run NAME's results; fails if it is absent.
val() {
  local line
  line=$(grep -m1 "^$2=" "$tmp/$1.out" 2>/dev/null) || return 1
  echo "${line#*=}"
}

# median: the median of the numbers on stdin (mean of the middle two for an
# even count); prints nothing for no input.
median() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) exit
    if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2]
    else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# Host load while we run: one 1-minute load-average sample per run.
load_samples=()
sample_load() { load_samples+=("$(cut -d' ' -f1 /proc/loadavg)"); }
# Busy fraction of all host CPUs between two /proc/stat readings.
cpu_stat() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat; }

failed=0
declare -A res # res[metric.machine] = figure

# --- Host and build facts ------------------------------------------------------

cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
build_dir=$(dirname "$(dirname "$(dirname "$engine")")")
# The engine's build type and source tree, from its meson build directory
# (when it has one): the figures depend on both.
build_info=$(python3 - "$build_dir" 2>/dev/null <<'EOF' || true
import json, sys
d = sys.argv[1] + "/meson-info/"
bt = [o["value"] for o in json.load(open(d + "intro-buildoptions.json")) if o["name"] == "buildtype"]
src = json.load(open(d + "meson-info.json"))["directories"]["source"]
print(bt[0] if bt else "unknown", src)
EOF
)
read -r buildtype engine_src <<<"$build_info" || true
if [ -n "${engine_src:-}" ] && commit=$(git -C "$engine_src" rev-parse --short HEAD 2>/dev/null); then
  if [ -n "$(git -C "$engine_src" status --porcelain -- src 2>/dev/null)" ]; then
    commit="$commit + uncommitted changes in src/"
  fi
elif [ -n "${engine_src:-}" ]; then
  commit="$engine_src, not a git checkout"
else
  commit="unknown (no meson build directory around the engine)"
fi
started=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
stat0=$(cpu_stat)
t_start=$SECONDS

note "engine $engine (${buildtype:-buildtype unknown}; source $commit)"
note "qemu   $qemu_path ($("$qemu_path" --version | head -n1))"
note "guest  $guest_src ($guest_sums)"
note "host   $(nproc) CPUs, $cpu_model; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# --- 5. Native: the same workloads on the host ----------------------------------
# First, so that a broken pipeline fails before minutes of guest runs.

for w in sha gzip; do
  var=work_$w
  for i in $(seq 1 5); do
    if run_once "native.$w.$i" 120 --no-ready -- sh -c "${!var}"; then
      set -- $(val "native.$w.$i" bench || true)
      if [ "$w" = sha ] && [ "${3:-}" != "$sha_zero64" ]; then
        die "the host's sha256sum of 64 MiB of zeros is ${3:-missing}, not $sha_zero64"
      fi
    else
      failed=1
    fi
  done
  res[native_$w.wall]=$(for i in $(seq 1 5); do val "native.$w.$i" wall_s || true; done | median)
  res[native_$w.cpu]=$(for i in $(seq 1 5); do
    u=$(val "native.$w.$i" user_s) && s=$(val "native.$w.$i" sys_s) && calc %.3f "$u + $s"
  done | median)
done
note "native: sha256 ${res[native_sha.wall]} s, gzip ${res[native_gzip.wall]} s (median of 5)"

# --- 1. Boot time ----------------------------------------------------------------
# kennel.run=true: the guest prints the ready line, runs `true` and powers
# off by itself, so every boot ends cleanly with exit status 0. Kennel and
# QEMU alternate so that a change in host load hits both alike.

for i in $(seq 1 "$boot_runs"); do
  for m in kennel qemu kennel_fw; do
    machine_cmd "$m" 'kennel.run=true'
    sample_load
    run_once "boot.$m.$i" "$boot_timeout" -- "${cmd[@]}" || failed=1
  done
done
for m in kennel qemu kennel_fw; do
  res[boot.$m]=$(for i in $(seq 1 "$boot_runs"); do val "boot.$m.$i" ready_s || true; done | median)
  res[boot_all.$m]=$(for i in $(seq 1 "$boot_runs"); do val "boot.$m.$i" ready_s || true; done |
    sort -g | tr '\n' ' ')
done
note "boot: kennel ${res[boot.kennel]:-failed} s, qemu ${res[boot.qemu]:-failed} s, kennel under OpenSBI ${res[boot.kennel_fw]:-failed} s (median of $boot_runs)"

# --- 2. In-guest workloads ---------------------------------------------------------

declare -A digest
for w in sha gzip; do
  var=work_$w
  for i in $(seq 1 "$work_runs"); do
    for m in kennel qemu; do
      name=$w.$m.$i
      machine_cmd "$m" "kennel.run=\"${!var}\""
      sample_load
      note "$w run $i/$work_runs on $m"
      run_once "$name" "$work_timeout" -- "${cmd[@]}" || { failed=1; continue; }
      if [ "$(val "$name" run_exit || true)" != 0 ]; then
        echo "$prog: run $name: the workload did not print KENNEL-RUN-EXIT=0" >&2
        failed=1
        continue
      fi
      set -- $(val "$name" bench || true)
      if [ "$#" -lt 3 ]; then
        echo "$prog: run $name: no KENNEL-BENCH-TIME line with two times and a digest" >&2
        failed=1
        continue
      fi
      guest_s=$(calc %.3f "$2 - $1")
      echo "guest_s=$guest_s" >>"$tmp/$name.out"
      echo "cpu_s=$(calc %.3f "$(val "$name" user_s) + $(val "$name" sys_s)")" >>"$tmp/$name.out"
      # The digest must be right: a fast wrong answer is no result.
      # sha256: known. gzip: BusyBox's output is deterministic, so both
      # machines must produce the same stream (the first one seen sets it).
      want=${digest[$w]:-}
      [ "$w" = sha ] && want=$sha_zero64
      if [ -z "$want" ]; then
        digest[$w]=$3
      elif [ "$3" != "$want" ]; then
        echo "$prog: run $name: WRONG RESULT: digest $3, expected $want" >&2
        echo "wrong=1" >>"$tmp/$name.out"
        failed=1
      fi
      # The guest's clock against ours: /proc/uptime must tick at real
      # speed, else the in-guest times mean nothing. The outside figure
      # (from /init's "kennel.run:" line to the result line) includes the
      # shell's start and the console, so it may be a little longer.
      outside=$(val "$name" work_outside_s || echo "")
      if [ -n "$outside" ] && awk -v g="$guest_s" -v o="$outside" \
        'BEGIN { exit !(g > o * 1.05 + 0.1 || g < o * 0.9 - 0.3) }'; then
        warn "run $name: in-guest time $guest_s s but $outside s seen from outside: is the guest clock right?"
      fi
    done
  done
  for m in kennel qemu; do
    for k in guest_s wall_s cpu_s work_outside_s work_cpu_s; do
      res[$w.$k.$m]=$(for i in $(seq 1 "$work_runs"); do
        grep -q '^wrong=' "$tmp/$w.$m.$i.out" 2>/dev/null && continue
        val "$w.$m.$i" "$k" || true
      done | median)
    done
  done
  for m in kennel qemu; do
    res[$w.all.$m]=$(for i in $(seq 1 "$work_runs"); do val "$w.$m.$i" guest_s || true; done |
      sort -g | tr '\n' ' ')
  done
  note "$w: in-guest kennel ${res[$w.guest_s.kennel]:-failed} s, qemu ${res[$w.guest_s.qemu]:-failed} s"
done

# --- 3. and 4. Idle guest: host CPU and memory ------------------------------------
# Interactive boot (no kennel.run), as the app starts a guest. Then a guest
# whose only process sleeps (kennel.run=sleep): the engine's own idle cost,
# whatever the guest's init does in the background.

for v in shell sleep; do
  for m in kennel qemu; do
    if [ "$v" = shell ]; then machine_cmd "$m" ""; else machine_cmd "$m" 'kennel.run="sleep 3600"'; fi
    sample_load
    note "idle ($v) on $m: ${idle_secs} s sample"
    run_once "idle.$v.$m" $((boot_timeout + idle_secs + 10)) --idle "$idle_secs" -- "${cmd[@]}" ||
      failed=1
  done
done

stat1=$(cpu_stat)
elapsed=$((SECONDS - t_start))
read -r busy0 idle0 <<<"$stat0"
read -r busy1 idle1 <<<"$stat1"
host_busy=$(calc %.0f "100 * ($busy1 - $busy0) / (($busy1 - $busy0) + ($idle1 - $idle0) + 1e-9)")
load_range=$(printf '%s\n' "${load_samples[@]}" | sort -g | sed -n '1p;$p' | paste -sd- -)

# --- Report --------------------------------------------------------------------------

# Rows: metric | Kennel | QEMU | ratio | target | verdict. "—" for none.
rows=()
row() { rows+=("$1|$2|$3|$4|$5|$6"); }
fmt() { if [ -n "${1:-}" ]; then calc "${2:-%.2f}" "$1"; else echo failed; fi; }
# ratio KIND K Q: "time ratio" = K/Q (lower is better for Kennel), "speed
# ratio" = Q/K for times (higher is better for Kennel).
ratio() {
  if [ -z "${2:-}" ] || [ -z "${3:-}" ]; then echo "—"; return; fi
  case $1 in
    time) calc %.2f "$2 / $3" ;;
    speed) calc %.2f "$3 / $2" ;;
  esac
}
# verdict VALUE OP LIMIT
verdict() {
  if ! [[ ${1:-} =~ ^[0-9.]+$ ]]; then echo "no figure"; return; fi
  if awk -v v="$1" -v l="$3" "BEGIN { exit !(v $2 l) }"; then echo met; else echo "NOT met"; fi
}

r=$(ratio time "${res[boot.kennel]:-}" "${res[boot.qemu]:-}")
row "Boot to KENNEL-GUEST-READY, s (median of $boot_runs)" "$(fmt "${res[boot.kennel]:-}")" \
  "$(fmt "${res[boot.qemu]:-}")" "time $r" "time ≤ 1.5" "$(verdict "$r" '<=' 1.5)"
r=$(ratio time "${res[boot.kennel_fw]:-}" "${res[boot.qemu]:-}")
row "Boot, Kennel also via OpenSBI fw_jump and ttyS0 as QEMU, s" "$(fmt "${res[boot.kennel_fw]:-}")" \
  "$(fmt "${res[boot.qemu]:-}")" "time $r" "—" "—"

for w in sha gzip; do
  case $w in
    sha) label="sha256 of 64 MiB" ;;
    gzip) label="gzip of 32 MiB" ;;
  esac
  r=$(ratio speed "${res[$w.guest_s.kennel]:-}" "${res[$w.guest_s.qemu]:-}")
  row "$label, in-guest time, s (median of $work_runs)" "$(fmt "${res[$w.guest_s.kennel]:-}")" \
    "$(fmt "${res[$w.guest_s.qemu]:-}")" "speed $r" "speed ≥ 0.5" "$(verdict "$r" '>=' 0.5)"
  r=$(ratio speed "${res[$w.work_outside_s.kennel]:-}" "${res[$w.work_outside_s.qemu]:-}")
  row "$label, same work timed from outside, s" "$(fmt "${res[$w.work_outside_s.kennel]:-}")" \
    "$(fmt "${res[$w.work_outside_s.qemu]:-}")" "speed $r" "—" "—"
  r=$(ratio speed "${res[$w.work_cpu_s.kennel]:-}" "${res[$w.work_cpu_s.qemu]:-}")
  row "$label, host CPU user+sys during the work, s" "$(fmt "${res[$w.work_cpu_s.kennel]:-}")" \
    "$(fmt "${res[$w.work_cpu_s.qemu]:-}")" "speed $r" "speed ≥ 0.5" "$(verdict "$r" '>=' 0.5)"
  r=$(ratio time "${res[$w.wall_s.kennel]:-}" "${res[$w.wall_s.qemu]:-}")
  row "$label, whole run (boot+work+poweroff) wall, s" "$(fmt "${res[$w.wall_s.kennel]:-}")" \
    "$(fmt "${res[$w.wall_s.qemu]:-}")" "time $r" "—" "—"
  r=$(ratio time "${res[$w.cpu_s.kennel]:-}" "${res[$w.cpu_s.qemu]:-}")
  row "$label, whole run host CPU user+sys, s" "$(fmt "${res[$w.cpu_s.kennel]:-}")" \
    "$(fmt "${res[$w.cpu_s.qemu]:-}")" "time $r" "—" "—"
  # How far each machine is from the host itself doing the same work.
  nat=${res[native_$w.wall]:-}
  k=${res[$w.guest_s.kennel]:-}
  q=${res[$w.guest_s.qemu]:-}
  row "$label, native on the host, s (median of 5)" "$(fmt "$nat" %.3f)" "$(fmt "$nat" %.3f)" \
    "slowdown vs native: Kennel $(if [ -n "$k" ] && [ -n "$nat" ]; then calc %.0f "$k / $nat"; else echo —; fi)×, QEMU $(if [ -n "$q" ] && [ -n "$nat" ]; then calc %.0f "$q / $nat"; else echo —; fi)×" \
    "—" "—"
done

for v in shell sleep; do
  case $v in
    shell) label="Idle guest (interactive boot), host CPU, % of one core" ;;
    sleep) label="Idle guest (kennel.run=sleep), host CPU, % of one core" ;;
  esac
  k=$(val "idle.$v.kennel" idle_pct || true)
  q=$(val "idle.$v.qemu" idle_pct || true)
  row "$label over ${idle_secs} s" "$(fmt "$k")" "$(fmt "$q")" "CPU use $(ratio time "$k" "$q")" \
    "Kennel < 2" "$(verdict "$k" '<' 2)"
done

# Memory, from the interactive idle run. KiB from /proc; shown in MiB.
mib() { if [ -n "${1:-}" ]; then calc %.1f "$1 / 1024"; else echo "n/a"; fi; }
declare -A over
for m in kennel qemu; do
  rss=$(val "idle.shell.$m" VmRSS || true)
  hwm=$(val "idle.shell.$m" VmHWM || true)
  g=$(val "idle.shell.$m" guest_ram_rss_kib || true)
  res[rss.$m]=$rss
  res[hwm.$m]=$hwm
  res[touched.$m]=$g
  if [ -n "$rss" ] && [ -n "$g" ]; then over[$m]=$((rss - g)); else over[$m]=""; fi
  if [ -n "$hwm" ] && [ -n "$g" ]; then over[hwm.$m]=$((hwm - g)); else over[hwm.$m]=""; fi
done
row "Guest RAM size, MiB" "$ram_mib" "$ram_mib" "—" "—" "—"
row "Process VmRSS while idle, MiB" "$(mib "${res[rss.kennel]}")" "$(mib "${res[rss.qemu]}")" "—" "—" "—"
row "Process VmHWM (peak RSS), MiB" "$(mib "${res[hwm.kennel]}")" "$(mib "${res[hwm.qemu]}")" "—" "—" "—"
row "Guest RAM touched (Rss of the RAM mapping), MiB" "$(mib "${res[touched.kennel]}")" \
  "$(mib "${res[touched.qemu]}")" "—" "—" "—"
k=$(mib "${over[kennel]}")
row "Overhead: VmRSS − guest RAM touched, MiB" "$k" "$(mib "${over[qemu]}")" \
  "—" "Kennel ≤ 20" "$(verdict "$k" '<=' 20)"
row "Peak overhead: VmHWM − guest RAM touched, MiB" "$(mib "${over[hwm.kennel]}")" \
  "$(mib "${over[hwm.qemu]}")" "—" "—" "—"

# The table, aligned for a terminal, then optionally as markdown.
header="Metric|Kennel|QEMU|Ratio Kennel/QEMU|Target|Verdict"
context="$started; $(nproc) CPUs ($cpu_model); load average ${load_range:-?} during the runs; host CPUs ${host_busy}% busy on average over ${elapsed} s (this benchmark's guest is about one CPU's worth)"
{
  echo
  echo "Kennel vs QEMU — $context"
  echo "time ratio = Kennel time / QEMU time (lower is better for Kennel); speed ratio = QEMU time / Kennel time (higher is better)."
  echo
  printf '%s\n' "$header" "${rows[@]}" | column -t -s '|' -o '  '
}
if [ -n "$out_file" ]; then
  {
    echo "## Kennel vs QEMU"
    echo
    echo "- When: $started; whole run ${elapsed} s"
    echo "- Host: $(nproc) CPUs, $cpu_model; load average ${load_range:-?} (1-min, min-max over the runs); host CPUs ${host_busy}% busy on average"
    echo "- Engine: \`$engine\` (${buildtype:-buildtype unknown}; source $commit)"
    echo "- QEMU: $("$qemu_path" --version | head -n1), TCG, \`-M virt\`, OpenSBI fw_jump"
    echo "- Guest: \`$guest_src\` (sha256 $guest_sums), ${ram_mib} MiB, $harts hart(s)"
    echo "- Boot times of each run (s): Kennel ${res[boot_all.kennel]:-}; QEMU ${res[boot_all.qemu]:-}; Kennel via OpenSBI ${res[boot_all.kennel_fw]:-}"
    echo "- In-guest sha256 times (s): Kennel ${res[sha.all.kennel]:-}; QEMU ${res[sha.all.qemu]:-}"
    echo "- In-guest gzip times (s): Kennel ${res[gzip.all.kennel]:-}; QEMU ${res[gzip.all.qemu]:-}"
    echo
    echo "time ratio = Kennel time / QEMU time (lower is better for Kennel); speed ratio = QEMU time / Kennel time (higher is better)."
    echo
    echo "| ${header//|/ | } |"
    echo "| --- | ---: | ---: | --- | --- | --- |"
    for r in "${rows[@]}"; do echo "| ${r//|/ | } |"; done
  } >"$out_file"
  note "markdown table written to $out_file"
fi

if [ "$failed" != 0 ]; then
  echo "$prog: some runs failed (see the messages above); their figures are missing or from fewer runs" >&2
  exit 1
fi

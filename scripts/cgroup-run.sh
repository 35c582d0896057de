#!/usr/bin/env bash
# cgroup-run.sh: runs a command inside a fresh memory cgroup, as a container would limit it, and says how much
# memory it took. For the measurements of issue #16 (an analysis inside 0.2 x the dump's size).
#   scripts/cgroup-run.sh LIMIT [--uncache FILE]... -- COMMAND [ARGS...]
#   scripts/cgroup-run.sh 6g --uncache big.hprof -- ./refkit analyze big.hprof
# LIMIT is bytes with an optional k, m, g or t (powers of 1024; 1.5g is fine). Needs root. The cgroup is
# /sys/fs/cgroup/memory/refkit-XXXX (cgroup v1: memory.limit_in_bytes, and memory.memsw.limit_in_bytes when the
# machine has swap, so that swap does not stretch the limit) or /sys/fs/cgroup/refkit-XXXX when the machine has
# cgroup v2 (/sys/fs/cgroup/cgroup.controllers: memory.max, memory.swap.max 0). The page cache is charged to
# the cgroup and reclaimed under its limit, as in a container: mapped pages may come and go, anonymous memory
# must fit. Pages of a file already in the page cache stay charged to whoever read them first, so the cgroup
# would not count them: --uncache FILE drops that file's pages first (dd iflag=nocache, that file only), so that
# the command reads it as it would on a fresh machine. The command runs under /usr/bin/time -v (the package
# `time` is installed with apt-get when absent). After it, on stderr: exit code, wall time, maximum RSS
# (time -v: resident pages of mapped files count), the cgroup's peak usage (page cache included), how often it
# hit the limit, and the OOM kills in it. The cgroup is removed afterwards (processes the command left in it are
# killed first). The exit code is the command's (128 + N when a signal N ended it).
set -euo pipefail

say() { echo "cgroup-run: $*" >&2; }
die() { say "$*"; exit 2; }

usage="usage: cgroup-run.sh LIMIT [--uncache FILE]... -- COMMAND [ARGS...]"
[ $# -ge 2 ] || die "$usage"
limit_text=$1; shift
uncache=()
while [ "${1:-}" = "--uncache" ]; do
  [ $# -ge 2 ] || die "--uncache needs a file; $usage"
  [ -f "$2" ] || die "--uncache $2: no such file"
  uncache+=("$2"); shift 2
done
[ "${1:-}" = "--" ] && shift
[ $# -ge 1 ] || die "no command; $usage"
[ "$(id -u)" -eq 0 ] || die "needs root, to make a cgroup (run with sudo)"

limit=$(awk -v t="$limit_text" 'BEGIN {
  t = tolower(t); u = substr(t, length(t)); m = 1
  if (u == "k") m = 2^10; else if (u == "m") m = 2^20; else if (u == "g") m = 2^30; else if (u == "t") m = 2^40
  if (m > 1) t = substr(t, 1, length(t) - 1)
  if (t !~ /^[0-9]+(\.[0-9]+)?$/) exit 1
  printf "%.0f", t * m }') || die "LIMIT '$limit_text' is not a size such as 6g, 200m or 1073741824"
[ "$limit" -ge $((4 << 20)) ] || die "LIMIT '$limit_text' is below 4 MiB; nothing runs in that"

if [ ! -x /usr/bin/time ]; then
  say "installing the package 'time' for /usr/bin/time"
  install_time() { apt-get install -y -qq time >/dev/null 2>&1; }
  install_time || { apt-get update -qq >/dev/null 2>&1 && install_time; } \
    || die "could not install the package 'time' (apt-get install time)"
fi

if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  version=2
  parent=/sys/fs/cgroup
  grep -qw memory "$parent/cgroup.controllers" || die "cgroup v2 without the memory controller at $parent"
  grep -qw memory "$parent/cgroup.subtree_control" || echo +memory > "$parent/cgroup.subtree_control" \
    || die "cannot enable the memory controller for the children of $parent"
else
  version=1
  parent=/sys/fs/cgroup/memory
  [ -f "$parent/memory.limit_in_bytes" ] || die "no cgroup v1 memory controller at $parent, nor cgroup v2"
fi
cg=$(mktemp -d "$parent/refkit-XXXX") || die "cannot make a cgroup under $parent"
report=$(mktemp)

cleanup() {
  if [ -d "$cg" ]; then
    local pids pid tries=0
    while pids=$(cat "$cg/cgroup.procs" 2>/dev/null) && [ -n "$pids" ] && [ $tries -lt 50 ]; do
      [ $tries -eq 0 ] && say "killing what the command left in the cgroup: $(echo $pids)"
      for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
      sleep 0.1; tries=$((tries + 1))
    done
    rmdir "$cg" 2>/dev/null || say "could not remove $cg"
  fi
  rm -f "$report"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ $version = 1 ]; then
  echo "$limit" > "$cg/memory.limit_in_bytes"
  # only with swap: without it the limit is not needed, and setting it stops memory.failcnt counting (kernel 6.18)
  swap=$(awk '$1 == "SwapTotal:" {print $2}' /proc/meminfo)
  if [ -f "$cg/memory.memsw.limit_in_bytes" ] && [ "${swap:-0}" -gt 0 ]; then
    echo "$limit" > "$cg/memory.memsw.limit_in_bytes"
  fi
else
  echo "$limit" > "$cg/memory.max"
  if [ -f "$cg/memory.swap.max" ]; then echo 0 > "$cg/memory.swap.max"; fi
fi
for f in ${uncache[@]+"${uncache[@]}"}; do
  dd if="$f" iflag=nocache count=0 status=none || say "could not drop the cached pages of $f"
done
say "$cg (cgroup v$version), limit $limit_text = $limit bytes: $*"

set +e
# the subshell moves itself into the cgroup, then becomes /usr/bin/time, which starts the command there
( echo "$BASHPID" > "$cg/cgroup.procs" && exec /usr/bin/time -v -o "$report" -- "$@" )
status=$?
set -e

field() { sed -n "s/^[[:space:]]*$1: *//p" "$report" | head -1; }
signal=$(sed -n 's/^Command terminated by signal \([0-9]*\).*/\1/p' "$report" | head -1)
exit_code=$(field "Exit status")
if [ -n "$signal" ]; then exit_code=$((128 + signal)); elif [ -z "$exit_code" ]; then exit_code=$status; fi
wall=$(field "Elapsed (wall clock) time (h:mm:ss or m:ss)")
rss_kb=$(field "Maximum resident set size (kbytes)")
if [ $version = 1 ]; then
  peak=$(cat "$cg/memory.max_usage_in_bytes"); peak_from=memory.max_usage_in_bytes
  limit_hits=$(cat "$cg/memory.failcnt"); hits_from=memory.failcnt
  if [ -f "$cg/memory.memsw.failcnt" ]; then
    limit_hits=$((limit_hits + $(cat "$cg/memory.memsw.failcnt"))); hits_from="memory.failcnt + memory.memsw.failcnt"
  fi
  oom_kills=$(awk '$1 == "oom_kill" {print $2}' "$cg/memory.oom_control"); oom_from=memory.oom_control
else
  if [ -f "$cg/memory.peak" ]; then peak=$(cat "$cg/memory.peak"); else peak="?"; fi; peak_from=memory.peak
  limit_hits=$(awk '$1 == "max" {print $2}' "$cg/memory.events"); hits_from="memory.events max"
  oom_kills=$(awk '$1 == "oom_kill" {print $2}' "$cg/memory.events"); oom_from="memory.events oom_kill"
fi
mib() { awk -v b="$1" 'BEGIN { if (b ~ /^[0-9]+$/) printf "%.1f MiB", b / 2^20; else printf "?" }'; }

say "exit code     ${exit_code}${signal:+ (signal $signal)}"
say "wall time     ${wall:-?}"
say "max RSS       ${rss_kb:-?} KB = $(mib $(( ${rss_kb:-0} * 1024 ))) (time -v; resident mapped pages count)"
say "cgroup peak   ${peak} bytes = $(mib "$peak") ($peak_from; page cache included)"
say "limit hits    ${limit_hits:-?} ($hits_from)"
say "OOM kills     ${oom_kills:-?} ($oom_from)"
exit "$exit_code"

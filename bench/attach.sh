#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark of the attach scan: HOLDERS processes each attach PER of NSEG
# segments; time `shmtool list` with and without the PIDS column, and lsof
# finding the same attachments. Medians of RUNS runs, and ratios.
#
#   bench/attach.sh [-n NSEG] [-p HOLDERS] [-a PER] [-r RUNS]
#
# Needs root (a private IPC namespace; by default PID and mount namespaces
# too, so every tool sees the same processes: set BENCH_HOST_PROC=1 to keep
# the machine's /proc), a built tree (shmtool and tests/shm-helper) and
# lsof. With BENCH_CSV set, appends its medians there (bench/lib.sh's
# bench_csv: bench attach, n = HOLDERS).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

NSEG=10000 HOLDERS=200 PER=50 RUNS=7
while getopts n:p:a:r:h opt; do
	case $opt in
	n) NSEG=$OPTARG ;;
	p) HOLDERS=$OPTARG ;;
	a) PER=$OPTARG ;;
	r) RUNS=$OPTARG ;;
	*) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 2 ;;
	esac
done

top=$(cd "$(dirname "$0")/.." && pwd)
SHMTOOL=${SHMTOOL:-$top/shmtool}
SHM_HELPER=${SHM_HELPER:-$top/tests/shm-helper}

if [ -z "${BENCH_IN_NS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "bench/attach.sh: needs root" >&2; exit 1; }
	[ -x "$SHMTOOL" ] || { echo "bench/attach.sh: build shmtool first" >&2; exit 1; }
	[ -x "$SHM_HELPER" ] || make -C "$top" tests/shm-helper >/dev/null
	command -v lsof >/dev/null || { echo "bench/attach.sh: lsof is needed (apt-get install lsof)" >&2; exit 1; }
	export BENCH_IN_NS=1 SHMTOOL SHM_HELPER
	if [ -n "${BENCH_HOST_PROC:-}" ]; then
		exec unshare --ipc "$BASH" "$0" "$@"
	fi
	exec unshare --ipc --pid --fork --mount-proc "$BASH" "$0" "$@"
fi

work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

ms() { echo $(( $(date +%s%N) / 1000000 )); }

# the median of RUNS timings of a command, in milliseconds (started by
# bench_spawn: posix_spawn from shm-helper; lsof's exit status 1 for
# what it cannot read is not a failure here)
median_ms() {
	local t=() i
	for ((i = 0; i < RUNS; i++)); do
		bench_spawn "$@" 2>/dev/null || true
		t+=("$BENCH_WALL")
	done
	printf '%s\n' "${t[@]}" | sort -g | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f\n", m * 1000 }'
}

sysctl -qw kernel.shmmni=32768
t0=$(ms)
"$SHM_HELPER" many "$NSEG" 4096
mapfile -t ids < <(awk 'NR > 1 { print $2 }' /proc/sysvipc/shm)
[ "${#ids[@]}" -eq "$NSEG" ] || { echo "created ${#ids[@]} segments, not $NSEG" >&2; exit 1; }
for ((h = 0; h < HOLDERS; h++)); do
	args=()
	for ((j = 0; j < PER; j++)); do
		args+=("${ids[$(( (h * 131 + j * 997) % NSEG ))]}")
	done
	fifo=$work/fifo.$h
	mkfifo "$fifo"
	"$SHM_HELPER" hold "${args[@]}" >"$fifo" &
	pids+=($!)
	read -r line <"$fifo"
	[ "$line" = ready ] || { echo "holder $h did not attach" >&2; exit 1; }
done
echo "setup: $NSEG segments, $HOLDERS processes x $PER attaches in $(( $(ms) - t0 )) ms"
procs=(/proc/[0-9]*)
echo "processes visible: ${#procs[@]}"

# the same answer from both: (pid, shmid) pairs
"$SHMTOOL" list -J -o ID,PIDS | jq -r '.shm[] | select(.pids != null) | .id as $i |
	.pids[] | select(. != null) | "\(.) \($i)"' | sort -u >"$work/shmtool.pairs"
lsof -n -P -w 2>/dev/null | awk '$4 == "DEL" && $NF ~ /^\/SYSV/ { print $2, $(NF - 1) }' |
	sort -u >"$work/lsof.pairs"
want=$(( HOLDERS * PER ))
echo "attachments (pid, shmid): shmtool $(wc -l <"$work/shmtool.pairs"), lsof $(wc -l <"$work/lsof.pairs"), expected $want (less when a holder's picks repeat)"
if cmp -s "$work/shmtool.pairs" "$work/lsof.pairs"; then
	echo "shmtool and lsof agree"
else
	# lsof knows no IPC namespaces: it joins other namespaces' ids too
	self_ns=$(readlink /proc/self/ns/ipc)
	comm -13 "$work/shmtool.pairs" "$work/lsof.pairs" | while read -r pid id; do
		ns=$(readlink "/proc/$pid/ns/ipc" 2>/dev/null || echo gone)
		[ "$ns" = "$self_ns" ] && why="SAME namespace: shmtool misses it" || why="another IPC namespace ($ns): not ours"
		echo "  only lsof: pid $pid shmid $id, $why"
	done
	comm -23 "$work/shmtool.pairs" "$work/lsof.pairs" | sed 's/^/  only shmtool: /'
fi

list=$(median_ms "$SHMTOOL" list)
pidsc=$(median_ms "$SHMTOOL" list -o +PIDS)
attached=$(median_ms "$SHMTOOL" list -o ID,NPROCS,ATTACHED)
idonly=$(median_ms "$SHMTOOL" list -o ID)
idnprocs=$(median_ms "$SHMTOOL" list -o ID,NPROCS)
lsofm=$(median_ms lsof -n -P -w)
echo
echo "median of $RUNS runs, milliseconds:"
printf '  %-40s %8s\n' "shmtool list" "$list" \
	"shmtool list -o +PIDS" "$pidsc" \
	"shmtool list -o ID,NPROCS,ATTACHED" "$attached" \
	"shmtool list -o ID" "$idonly" \
	"shmtool list -o ID,NPROCS (the scan alone)" "$idnprocs" \
	"lsof -n -P -w" "$lsofm"
for row in "list|shmtool list|$list" "pids|shmtool list -o +PIDS|$pidsc" \
	"pids|shmtool list -o ID,NPROCS,ATTACHED|$attached" "scan|shmtool list -o ID|$idonly" \
	"scan|shmtool list -o ID,NPROCS|$idnprocs" "pids|lsof -n -P -w|$lsofm"; do
	IFS='|' read -r case tool ms <<<"$row"
	bench_csv attach "$case" "$HOLDERS" "$tool" "$(awk -v m="$ms" 'BEGIN { printf "%.4f", m / 1000 }')" NA
done
awk -v a="$list" -v b="$pidsc" -v c="$lsofm" -v d="$idonly" -v e="$idnprocs" 'BEGIN {
	printf "  list -o +PIDS / list:  %.2fx (target: within 3x)\n", b / a
	printf "  list -o ID,NPROCS / list -o ID:  %.2fx (the scan costs %.1f ms)\n", e / d, e - d
	printf "  lsof / list -o +PIDS:  %.2fx\n", c / b }'

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/allns.sh - time `shmtool list -A` (every IPC namespace of a node
# in one run) against what it replaces: `shmtool --ipc-ns PID list` run
# once per namespace.
#
#   bash bench/allns.sh        (as root)
#
# Runs in private IPC, mount and PID namespaces: the script's own IPC
# namespace and BENCH_NS - 1 more, each held by one process, each with
# BENCH_SEGS segments of 4 KiB (one of them attached). In each round,
# `list -A` runs once and `--ipc-ns PID list` once per namespace, in
# turn (which goes first alternates); every run is started and measured
# by `shm-helper spawn` (posix_spawn, wait4: wall time, CPU time and
# peak RSS of that run alone). The anchor's figure of a round is the sum
# of its BENCH_NS runs: the program's start and the work, BENCH_NS times,
# without the cost of the loop that starts them (a shell loop's forks,
# or a spawning shell script timed whole, would add a fork of bash per
# run to the anchor alone). The figures are the medians of the rounds;
# peak RSS is the largest of the anchor's runs.
#
# Environment (defaults in brackets):
#   BENCH_NS [50]      IPC namespaces
#   BENCH_SEGS [100]   segments in each
#   BENCH_REPS [7]     timed rounds (after BENCH_WARMUP [1] untimed)
#   BENCH_CSV          append the medians there (bench allns, n = BENCH_NS)
#   SHMTOOL, SHM_HELPER
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"
: "${SHMTOOL:=$here/../shmtool}"
: "${SHM_HELPER:=$here/../tests/shm-helper}"
: "${BENCH_NS:=50}"
: "${BENCH_SEGS:=100}"
: "${BENCH_REPS:=7}"
SIZE=4096

if [ -z "${BENCH_ALLNS_IN:-}" ]; then
	# shellcheck disable=SC2119 # no tools to check beyond the binaries
	bench_outer_setup
	echo "shmtool list -A benchmark: $BENCH_NS IPC namespaces x $BENCH_SEGS segments of $SIZE bytes"
	bench_machine
	echo "binary:   built $BENCH_BINFO (copied before the run)"
	echo "reps:     $BENCH_REPS timed (+$BENCH_WARMUP warm-up) interleaved rounds, medians"
	[ -n "${BENCH_CSV:-}" ] && echo "csv:      $BENCH_CSV"
	export BENCH_ALLNS_IN=1 BENCH_NS BENCH_SEGS BENCH_REPS BENCH_WARMUP
	unshare --ipc --mount --pid --fork --mount-proc "$BASH" "$0" "$@"
	exit
fi

# ---------------------------------------------------------------- inside
holders=()
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local p
	for p in "${holders[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
}
trap cleanup EXIT

"$SHM_HELPER" many "$BENCH_SEGS" "$SIZE" >/dev/null || exit 1
fifo=$(mktemp -u /tmp/bench-allns.XXXXXX)
mkfifo "$fifo" || exit 1
pids=($$)
for ((i = 1; i < BENCH_NS; i++)); do
	# shellcheck disable=SC2016 # expanded by the inner sh
	unshare --ipc sh -c '"$0" many "$1" "$2" >/dev/null && exec "$0" hold 0' \
		"$SHM_HELPER" "$BENCH_SEGS" "$SIZE" >"$fifo" &
	holders+=($!)
	read -r line <"$fifo"
	[ "$line" = ready ] || { echo "$0: holder $i did not start" >&2; exit 1; }
	pids+=($!)
done
rm -f "$fifo"

# a fast but wrong answer is no win: the same rows both ways
total=$((BENCH_NS * BENCH_SEGS))
rows=$("$SHMTOOL" list -A -n | wc -l)
[ "$rows" -eq "$total" ] || { echo "$0: list -A printed $rows rows, not $total" >&2; exit 1; }
rows=0
for p in "${pids[@]}"; do
	rows=$((rows + $("$SHMTOOL" --ipc-ns "$p" list -n | wc -l)))
done
[ "$rows" -eq "$total" ] || { echo "$0: --ipc-ns PID list printed $rows rows, not $total" >&2; exit 1; }

A_LABEL="shmtool list -A"
B_LABEL="shmtool --ipc-ns PID list x$BENCH_NS"
aw=() ac=() ar=() bw=() bc=() br=()

run_a() {
	bench_spawn "$SHMTOOL" list -A || { echo "$0: $A_LABEL failed" >&2; exit 1; }
	A=("$BENCH_WALL" "$BENCH_CPU" "$BENCH_RSS")
}
run_b() {
	local p w=0 c=0 r=0
	for p in "${pids[@]}"; do
		bench_spawn "$SHMTOOL" --ipc-ns "$p" list ||
			{ echo "$0: shmtool --ipc-ns $p list failed" >&2; exit 1; }
		read -r w c r <<<"$(awk -v w="$w" -v c="$c" -v r="$r" -v W="$BENCH_WALL" -v C="$BENCH_CPU" -v R="$BENCH_RSS" \
			'BEGIN { printf "%.6f %.6f %d\n", w + W, c + C, (R > r ? R : r) }')"
	done
	B=("$w" "$c" "$r")
}

for ((k = -BENCH_WARMUP; k < BENCH_REPS; k++)); do
	if ((k % 2)); then run_b; run_a; else run_a; run_b; fi
	((k < 0)) && continue
	aw+=("${A[0]}") ac+=("${A[1]}") ar+=("${A[2]}")
	bw+=("${B[0]}") bc+=("${B[1]}") br+=("${B[2]}")
done

med() { _bench_median "$@" | awk '{ printf "%.6f", $1 }'; }
AW=$(med "${aw[@]}") AC=$(med "${ac[@]}") AR=$(med "${ar[@]}" | cut -d. -f1)
BW=$(med "${bw[@]}") BC=$(med "${bc[@]}") BR=$(med "${br[@]}" | cut -d. -f1)

echo
echo "== $BENCH_NS IPC namespaces x $BENCH_SEGS segments ($total rows) =="
echo "  medians of $BENCH_REPS rounds: wall and CPU (user + sys) seconds, peak RSS KB"
printf '  %-34s %9s %9s %8s\n' command wall_s cpu_s peak_kb
printf '  %-34s %9.4f %9.4f %8s\n' "$A_LABEL" "$AW" "$AC" "$AR"
printf '  %-34s %9.4f %9.4f %8s\n' "$B_LABEL" "$BW" "$BC" "$BR"
echo "  list -A / $BENCH_NS runs: wall $(bench_ratio "$AW" "$BW"), CPU $(bench_ratio "$AC" "$BC") (no target)"
bench_csv allns list "$BENCH_NS" "$A_LABEL" "$AW" "$AR" "$AC"
bench_csv allns list "$BENCH_NS" "shmtool --ipc-ns PID list x N" "$BW" "$BR" "$BC"
exit 0

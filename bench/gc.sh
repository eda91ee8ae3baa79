#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/gc.sh - time `shmtool gc` removing N orphaned segments against
# `ipcrm --all=shm` and the classic pipeline
#     ipcs -m | awk '$6 == 0 { print "-m", $2 }' | xargs -n 200 ipcrm
# (100 ids per ipcrm, which takes one id per -m), and `gc --dry-run`
# against `shmtool list`, all in the same run. The floor of any removal:
# the kernel's IPC_RMID alone, the ids known in advance (shm-helper rmids).
#
# Each N runs in its own fresh private IPC namespace (the script re-runs
# itself per N under `unshare --ipc`).  Before every timed removal the N
# segments are created again (untimed) and counted; after it, none may be
# left.  Needs root.
#
# Environment:
#   BENCH_N          segment counts (default "1000 10000 30000")
#   BENCH_REPS       timed rounds per command (default 5), interleaved
#   BENCH_WARMUP     untimed rounds first (default 1)
#   BENCH_PIPE_REPS  timed runs of the (slow) pipeline (default 1)
#   BENCH_CSV        append CSV rows (bench,case,n,tool,median_s,peak_kb)
#   SHMTOOL, SHM_HELPER  default: the ones next to bench/
#
# Every command is started by `shm-helper spawn` (posix_spawn, wait4; the
# pipeline through sh -c): wall and CPU time of that command alone.
#
# Targets (defined at N=30000):
#   gc -q / IPC_RMID alone                   <= 1.2
#   gc --dry-run / shmtool list              <= 2
# and, as information: gc -q and gc / ipcrm --all=shm, the pipeline /
# gc -q and / IPC_RMID alone.

set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"

: "${SHMTOOL:=$here/../shmtool}"
: "${SHM_HELPER:=$here/../tests/shm-helper}"
: "${BENCH_N:=1000 10000 30000}"
: "${BENCH_REPS:=5}"
: "${BENCH_PIPE_REPS:=1}"
SIZE=4096
export SHMTOOL SHM_HELPER BENCH_REPS BENCH_WARMUP BENCH_PIPE_REPS

# ---------------------------------------------------------------- outer run
if [ -z "${BENCH_ONE_N:-}" ]; then
	bench_outer_setup ipcs ipcrm xargs awk

	echo "gc benchmark: remove N orphaned segments of $SIZE bytes, fresh IPC namespace per N"
	bench_machine
	echo "ipcrm:    $(ipcrm --version 2>&1 | head -n 1)"
	echo "reps:     $BENCH_REPS timed (+$BENCH_WARMUP warm-up) rounds, medians; pipeline $BENCH_PIPE_REPS run(s)"
	bench_each_n
	exit
fi

# ---------------------------------------------------------------- one N, inside a private IPC namespace
bench_ipcns_enter "$@"
N=$BENCH_ONE_N

# create N orphans (untimed), or die; their ids go to $IDS
IDS=$(mktemp) || exit 1
trap 'rm -f "$IDS"' EXIT
populate()
{
	local have
	"$SHM_HELPER" many "$N" "$SIZE" || exit 1
	have=$(bench_segments)
	if [ "$have" -ne "$N" ]; then
		echo "$0: expected $N segments, found $have" >&2
		exit 1
	fi
	awk 'NR > 1 { print $2 }' /proc/sysvipc/shm >"$IDS"
}

CASES=(list gc_dry gc_q gc_table ipcrm_all rmid_floor pipeline)
declare -A LABEL=(
	[list]="shmtool list"
	[gc_dry]="shmtool gc --dry-run --older-than 0"
	[gc_q]="shmtool gc --older-than 0 -q"
	[gc_table]="shmtool gc --older-than 0"
	[ipcrm_all]="ipcrm --all=shm"
	[rmid_floor]="IPC_RMID alone (ids known)"
	[pipeline]="ipcs -m | awk | xargs ipcrm"
)
declare -A GROUP=(
	[list]=dry-run [gc_dry]=dry-run
	[gc_q]=remove [gc_table]=remove [ipcrm_all]=remove [rmid_floor]=remove [pipeline]=remove
)
declare -A DESTRUCTIVE=([gc_q]=1 [gc_table]=1 [ipcrm_all]=1 [rmid_floor]=1 [pipeline]=1)

# case_cmd CASE: set CMD to the argv of CASE (run by bench_spawn, stdout
# to /dev/null; stderr too for the cases that print a summary there)
# shellcheck disable=SC2016 # the pipeline's $2 and $6 are awk's
case_cmd()
{
	QUIET=
	case $1 in
	list)		CMD=("$SHMTOOL" list) ;;
	gc_dry)		CMD=("$SHMTOOL" gc --dry-run --older-than 0) QUIET=1 ;;
	gc_q)		CMD=("$SHMTOOL" gc --older-than 0 -q) ;;
	gc_table)	CMD=("$SHMTOOL" gc --older-than 0) QUIET=1 ;;
	ipcrm_all)	CMD=(ipcrm --all=shm) ;;
	rmid_floor)	CMD=("$SHM_HELPER" rmids "$IDS") ;;
	pipeline)	CMD=(sh -c 'ipcs -m | awk '\''$6 == 0 { print "-m", $2 }'\'' | xargs -r -n 200 ipcrm') ;;
	esac
}

declare -A SAMPLES CPUS MEDIAN CPU
# time_case CASE [record]: one run, checked
time_case()
{
	local left
	# every case starts with the N segments in place
	[ "$(bench_segments)" -eq 0 ] && populate
	case_cmd "$1"
	if [ -n "$QUIET" ]; then
		bench_spawn "${CMD[@]}" 2>/dev/null
	else
		bench_spawn "${CMD[@]}"
	fi || {
		echo "$0: ${LABEL[$1]} failed" >&2
		exit 1
	}
	if [ -n "${DESTRUCTIVE[$1]:-}" ]; then
		left=$(bench_segments)
		if [ "$left" -ne 0 ]; then
			echo "$0: ${LABEL[$1]} left $left of $N segments" >&2
			exit 1
		fi
	fi
	[ -n "${2:-}" ] && SAMPLES[$1]+=" $BENCH_WALL" CPUS[$1]+=" $BENCH_CPU"
	return 0
}

populate
for ((r = 0; r < BENCH_WARMUP + BENCH_REPS; r++)); do
	rec=
	((r < BENCH_WARMUP)) || rec=1
	for c in list gc_dry gc_q gc_table ipcrm_all rmid_floor; do
		time_case "$c" "$rec"
	done
done
for ((r = 0; r < BENCH_PIPE_REPS; r++)); do
	time_case pipeline 1
done

for c in "${CASES[@]}"; do
	# shellcheck disable=SC2086
	MEDIAN[$c]=$(_bench_median ${SAMPLES[$c]} | awk '{ printf "%.6f", $1 }')
	# shellcheck disable=SC2086
	CPU[$c]=$(_bench_median ${CPUS[$c]} | awk '{ printf "%.6f", $1 }')
done

echo
echo "== N=$N orphaned segments of $SIZE bytes =="
printf '  %-38s %9s %9s\n' command wall_s cpu_s
for c in "${CASES[@]}"; do
	printf '  %-38s %9.4f %9.4f\n' "${LABEL[$c]}" "${MEDIAN[$c]}" "${CPU[$c]}"
	bench_csv gc "${GROUP[$c]}" "$N" "${LABEL[$c]}" "${MEDIAN[$c]}" NA "${CPU[$c]}"
done

# target NAME VALUE OP LIMIT DESCRIPTION
target()
{
	local verdict
	verdict=$(awk -v v="$2" -v op="$3" -v l="$4" 'BEGIN {
		if (v == "NA") { print "N/A"; exit }
		if (op == "~") { print "info"; exit }
		ok = (op == ">=") ? (v + 0 >= l + 0) : (v + 0 <= l + 0)
		print ok ? "PASS" : "MISS"
	}')
	local goal="(target $3 $4)"
	[ "$3" = "~" ] && goal="(no target)"
	printf '  %-4s  %-9s %-44s = %6s  %s\n' "$verdict" "$1" "$5" "$2" "$goal"
	[ -n "${BENCH_SUMMARY:-}" ] &&
		printf '%s %-4s  %-9s %-44s = %6s  %s\n' "$N" "$verdict" "$1" "$5" "$2" "$goal" >>"$BENCH_SUMMARY"
	return 0
}

raw() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || b + 0 == 0) print "NA"; else printf "%.3f", a / b }'; }

echo "  targets (defined at N=30000):"
target gc-floor "$(raw "${MEDIAN[gc_q]}" "${MEDIAN[rmid_floor]}")" "<=" 1.2 \
	"gc -q / IPC_RMID alone (any removal's floor)"
target gc       "$(raw "${MEDIAN[gc_q]}" "${MEDIAN[ipcrm_all]}")" "~" "-" \
	"gc -q / ipcrm --all=shm"
target gc-table "$(raw "${MEDIAN[gc_table]}" "${MEDIAN[ipcrm_all]}")" "~" "-" \
	"gc (default table) / ipcrm --all=shm"
target pipeline "$(raw "${MEDIAN[pipeline]}" "${MEDIAN[gc_q]}")" "~" "-" \
	"speed-up of gc -q vs ipcs|awk|xargs ipcrm"
target dry-run  "$(raw "${MEDIAN[gc_dry]}" "${MEDIAN[list]}")" "<=" 2 \
	"gc --dry-run / shmtool list"
target floor    "$(raw "${MEDIAN[pipeline]}" "${MEDIAN[rmid_floor]}")" "~" "-" \
	"pipeline / IPC_RMID alone"
exit 0

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/list.sh - time `shmtool list` and `shmtool stat` against util-linux
# (lsipc, ipcs) and the kernel's /proc/sysvipc/shm, for N private segments.
#
# Each N runs in its own fresh private IPC namespace (the script re-runs itself
# per N under `unshare --ipc`, so it never touches the machine's segments and
# the namespace and its segments vanish afterwards).  Needs root.
#
# Environment:
#   BENCH_N      segment counts (default "1000 10000 30000")
#   BENCH_REPS   timed repetitions per command (default 7); the commands are
#                interleaved round by round so that noise hits all alike
#   BENCH_CSV    append CSV rows (bench,case,n,tool,median_s,peak_kb) here
#   SHMTOOL      default: the shmtool next to bench/
#   SHM_HELPER   default: tests/shm-helper next to bench/
#
# Targets (checked at every N, defined at N=30000):
#   list       lsipc -m / shmtool list               >= 3
#   list-floor shmtool list / cat /proc/sysvipc/shm  <= 2
#   json       lsipc -m --json / shmtool list --json >= 3
#   memory     peak RSS shmtool list / lsipc -m      <= 0.5
#   stat       ipcs -m -i ID / shmtool stat ID       >= 10

set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"

: "${SHMTOOL:=$(dirname "$0")/../shmtool}"
: "${SHM_HELPER:=$(dirname "$0")/../tests/shm-helper}"
: "${BENCH_N:=1000 10000 30000}"
: "${BENCH_REPS:=7}"
SIZE=4096
export SHMTOOL SHM_HELPER BENCH_REPS BENCH_WARMUP BENCH_PEAK_REPS

# ---------------------------------------------------------------- outer run
if [ -z "${BENCH_ONE_N:-}" ]; then
	bench_outer_setup lsipc ipcs

	echo "shmtool list benchmark: N private segments of $SIZE bytes, fresh IPC namespace per N"
	bench_machine
	echo "binary:   built $BENCH_BINFO (copied before the run)"
	echo "reps:     $BENCH_REPS timed (+$BENCH_WARMUP warm-up) per command, medians; peak RSS median of $BENCH_PEAK_REPS"
	[ -n "${BENCH_CSV:-}" ] && echo "csv:      $BENCH_CSV"

	bench_each_n
	exit
fi

# ---------------------------------------------------------------- one N, inside a private IPC namespace
bench_ipcns_enter "$@"
N=$BENCH_ONE_N

t0=${EPOCHREALTIME//[!0-9]/}
"$SHM_HELPER" many "$N" "$SIZE" || exit 1
t1=${EPOCHREALTIME//[!0-9]/}
if [ "$(bench_segments)" -ne "$N" ]; then
	echo "$0: expected $N segments, found $(bench_segments)" >&2
	exit 1
fi
create_s=$(awk -v d="$((t1 - t0))" 'BEGIN { printf "%.4f", d / 1e6 }')
bench_csv list create "$N" shm-helper "$create_s" NA

# The id in the middle of the list (ids are not 0..N-1 in general).
MID=$(awk 'NR > 1 { id[++n] = $2 } END { print id[int((n + 1) / 2)] }' /proc/sysvipc/shm)

# Sanity: a fast but wrong list is no win.
rows=$("$SHMTOOL" list --noheadings | wc -l)
if [ "$rows" -ne "$N" ]; then
	echo "$0: shmtool list printed $rows rows for $N segments" >&2
	exit 1
fi
"$SHMTOOL" stat "$MID" >/dev/null || { echo "$0: shmtool stat $MID failed" >&2; exit 1; }

# exec_floor/startup: what any process / shmtool costs here before doing work
CASES=(shmtool_list lsipc ipcs cat shmtool_json lsipc_json shmtool_stat ipcs_i exec_floor startup)
declare -A LABEL=(
	[shmtool_list]="shmtool list"
	[lsipc]="lsipc -m"
	[ipcs]="ipcs -m"
	[cat]="cat /proc/sysvipc/shm"
	[shmtool_json]="shmtool list --json"
	[lsipc_json]="lsipc -m --json"
	[shmtool_stat]="shmtool stat $MID"
	[ipcs_i]="ipcs -m -i $MID"
	[exec_floor]="/bin/true (exec floor)"
	[startup]="shmtool --version"
)
declare -A GROUP=(
	[shmtool_list]=list [lsipc]=list [ipcs]=list [cat]=list
	[shmtool_json]=list-json [lsipc_json]=list-json
	[shmtool_stat]=stat [ipcs_i]=stat
	[exec_floor]=floor [startup]=floor
)
declare -A BASE=(			# what the ratio column compares to
	[lsipc]=shmtool_list [ipcs]=shmtool_list [cat]=shmtool_list
	[lsipc_json]=shmtool_json [ipcs_i]=shmtool_stat
)

# case_cmd CASE: set CMD to the argv of CASE.
case_cmd()
{
	case $1 in
	shmtool_list)	CMD=("$SHMTOOL" list) ;;
	lsipc)		CMD=(lsipc -m) ;;
	ipcs)		CMD=(ipcs -m) ;;
	cat)		CMD=(cat /proc/sysvipc/shm) ;;
	shmtool_json)	CMD=("$SHMTOOL" list --json) ;;
	lsipc_json)	CMD=(lsipc -m --json) ;;
	shmtool_stat)	CMD=("$SHMTOOL" stat "$MID") ;;
	ipcs_i)		CMD=(ipcs -m -i "$MID") ;;
	exec_floor)	CMD=(/bin/true) ;;
	startup)	CMD=("$SHMTOOL" --version) ;;
	esac
}

# Warm-up round, then BENCH_REPS interleaved rounds of one run per command.
declare -A SAMPLES MEDIAN PEAK
for ((w = 0; w < BENCH_WARMUP; w++)); do
	for c in "${CASES[@]}"; do
		case_cmd "$c"
		"${CMD[@]}" >/dev/null
	done
done
for ((r = 0; r < BENCH_REPS; r++)); do
	for c in "${CASES[@]}"; do
		case_cmd "$c"
		s=$(BENCH_WARMUP=0 bench_time 1 "${CMD[@]}")
		SAMPLES[$c]+=" $s"
	done
done
for c in "${CASES[@]}"; do
	if [[ " ${SAMPLES[$c]} " == *" NA "* ]]; then
		MEDIAN[$c]=NA
	else
		# shellcheck disable=SC2086
		MEDIAN[$c]=$(_bench_median ${SAMPLES[$c]} | awk '{ printf "%.4f", $1 }')
	fi
done
for c in shmtool_list lsipc shmtool_json lsipc_json cat; do
	case_cmd "$c"
	PEAK[$c]=$(bench_peak_kb "${CMD[@]}")
done

echo
echo "== N=$N segments of $SIZE bytes (created in ${create_s} s; stat id $MID) =="
printf '  %-26s %10s %9s   %s\n' command median_s peak_kb "ratio (time / shmtool's)"
for c in "${CASES[@]}"; do
	ratio=
	if [ -n "${BASE[$c]:-}" ]; then
		ratio="$(bench_ratio "${MEDIAN[$c]}" "${MEDIAN[${BASE[$c]}]}")x ${LABEL[${BASE[$c]}]}"
	fi
	printf '  %-26s %10s %9s   %s\n' "${LABEL[$c]}" "${MEDIAN[$c]}" "${PEAK[$c]:--}" "$ratio"
	bench_csv list "${GROUP[$c]}" "$N" "${LABEL[$c]}" "${MEDIAN[$c]}" "${PEAK[$c]:-NA}"
done

# target NAME VALUE OP LIMIT DESCRIPTION
target()
{
	local verdict
	verdict=$(awk -v v="$2" -v op="$3" -v l="$4" 'BEGIN {
		if (v == "NA") { print "N/A"; exit }
		ok = (op == ">=") ? (v + 0 >= l + 0) : (v + 0 <= l + 0)
		print ok ? "PASS" : "MISS"
	}')
	printf '  %-4s  %-10s %-44s = %5s  (target %s %s)\n' "$verdict" "$1" "$5" "$2" "$3" "$4"
	[ -n "${BENCH_SUMMARY:-}" ] &&
		printf '%s %-4s %-10s %-44s = %5s  (target %s %s)\n' "$N" "$verdict" "$1" "$5" "$2" "$3" "$4" >>"$BENCH_SUMMARY"
}

echo "  targets (defined at N=30000):"
target list       "$(bench_ratio "${MEDIAN[lsipc]}" "${MEDIAN[shmtool_list]}")" ">=" 3 \
	"speed-up vs lsipc -m"
target list-floor "$(bench_ratio "${MEDIAN[shmtool_list]}" "${MEDIAN[cat]}")" "<=" 2 \
	"shmtool list / cat /proc/sysvipc/shm"
target json       "$(bench_ratio "${MEDIAN[lsipc_json]}" "${MEDIAN[shmtool_json]}")" ">=" 3 \
	"speed-up of list --json vs lsipc -m --json"
target memory     "$(bench_ratio "${PEAK[shmtool_list]}" "${PEAK[lsipc]}")" "<=" 0.5 \
	"peak RSS shmtool list / lsipc -m"
target stat       "$(bench_ratio "${MEDIAN[ipcs_i]}" "${MEDIAN[shmtool_stat]}")" ">=" 10 \
	"speed-up of stat ID vs ipcs -m -i ID"
exit 0

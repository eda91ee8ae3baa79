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
# Every command is started by `shm-helper spawn` (posix_spawn, wait4):
# wall time, CPU time (user + sys) and peak RSS of that command alone.
#
# Targets (checked at every N, defined at N=30000):
#   list       lsipc -m / shmtool list, wall and CPU time       >= 1.8
#   json       lsipc -m --json / shmtool list --json, both      >= 1.8
#   memory     peak RSS shmtool list / lsipc -m                 <= 1
#   stat       shmtool stat ID / shmtool --version              <= 1.25
# and, as information: stat ID / shmtool --version in CPU time, ipcs -m -i
# ID / shmtool stat ID, shmtool list / cat /proc/sysvipc/shm.

set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"

: "${SHMTOOL:=$(dirname "$0")/../shmtool}"
: "${SHM_HELPER:=$(dirname "$0")/../tests/shm-helper}"
: "${BENCH_N:=1000 10000 30000}"
: "${BENCH_REPS:=7}"
SIZE=4096
export SHMTOOL SHM_HELPER BENCH_REPS BENCH_WARMUP

# ---------------------------------------------------------------- outer run
if [ -z "${BENCH_ONE_N:-}" ]; then
	bench_outer_setup lsipc ipcs

	echo "shmtool list benchmark: N private segments of $SIZE bytes, fresh IPC namespace per N"
	bench_machine
	echo "binary:   built $BENCH_BINFO (copied before the run)"
	echo "reps:     $BENCH_REPS timed (+$BENCH_WARMUP warm-up) interleaved rounds, medians of wall, CPU and peak RSS"
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

# Warm-up round, then BENCH_REPS interleaved rounds of one run per command
# (each round starts one command further on). Every run is started by
# bench_spawn: wall time, CPU time (user + sys) and peak RSS of the child.
declare -A SAMPLES CPUS RSSS MEDIAN CPU PEAK
ncases=${#CASES[@]}
for ((r = -BENCH_WARMUP; r < BENCH_REPS; r++)); do
	for ((k = 0; k < ncases; k++)); do
		c=${CASES[$(( (k + (r < 0 ? 0 : r)) % ncases ))]}
		case_cmd "$c"
		if ! bench_spawn "${CMD[@]}"; then
			echo "$0: ${LABEL[$c]} failed" >&2
			exit 1
		fi
		((r < 0)) && continue
		SAMPLES[$c]+=" $BENCH_WALL" CPUS[$c]+=" $BENCH_CPU" RSSS[$c]+=" $BENCH_RSS"
	done
done
for c in "${CASES[@]}"; do
	# shellcheck disable=SC2086
	MEDIAN[$c]=$(_bench_median ${SAMPLES[$c]} | awk '{ printf "%.6f", $1 }')
	# shellcheck disable=SC2086
	CPU[$c]=$(_bench_median ${CPUS[$c]} | awk '{ printf "%.6f", $1 }')
	# shellcheck disable=SC2086
	PEAK[$c]=$(_bench_median ${RSSS[$c]} | awk '{ printf "%d", $1 }')
done

echo
echo "== N=$N segments of $SIZE bytes (created in ${create_s} s; stat id $MID) =="
echo "  medians of $BENCH_REPS rounds: wall and CPU (user + sys) seconds, peak RSS KB"
printf '  %-26s %9s %9s %8s   %s\n' command wall_s cpu_s peak_kb "anchor / shmtool (wall, cpu)"
for c in "${CASES[@]}"; do
	ratio=
	if [ -n "${BASE[$c]:-}" ]; then
		ratio="$(bench_ratio "${MEDIAN[$c]}" "${MEDIAN[${BASE[$c]}]}")x, $(bench_ratio "${CPU[$c]}" "${CPU[${BASE[$c]}]}")x ${LABEL[${BASE[$c]}]}"
	fi
	printf '  %-26s %9.4f %9.4f %8s   %s\n' "${LABEL[$c]}" "${MEDIAN[$c]}" "${CPU[$c]}" "${PEAK[$c]}" "$ratio"
	bench_csv list "${GROUP[$c]}" "$N" "${LABEL[$c]}" "${MEDIAN[$c]}" "${PEAK[$c]}" "${CPU[$c]}"
done

# target NAME VALUE OP LIMIT DESCRIPTION (OP "~": no target, shown as info)
target()
{
	local verdict goal="(target $3 $4)"
	verdict=$(awk -v v="$2" -v op="$3" -v l="$4" 'BEGIN {
		if (v == "NA") { print "N/A"; exit }
		if (op == "~") { print "info"; exit }
		ok = (op == ">=") ? (v + 0 >= l + 0) : (v + 0 <= l + 0)
		print ok ? "PASS" : "MISS"
	}')
	[ "$3" = "~" ] && goal="(no target)"
	printf '  %-4s  %-10s %-46s = %5s  %s\n' "$verdict" "$1" "$5" "$2" "$goal"
	[ -n "${BENCH_SUMMARY:-}" ] &&
		printf '%s %-4s %-10s %-46s = %5s  %s\n' "$N" "$verdict" "$1" "$5" "$2" "$goal" >>"$BENCH_SUMMARY"
	return 0
}

# the ratios to 3 decimals (the verdict is not decided by a rounding to 2)
raw() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || b + 0 == 0) print "NA"; else printf "%.3f", a / b }'; }

echo "  targets (defined at N=30000):"
target list       "$(raw "${MEDIAN[lsipc]}" "${MEDIAN[shmtool_list]}")" ">=" 1.8 \
	"speed-up vs lsipc -m, wall time"
target list-cpu   "$(raw "${CPU[lsipc]}" "${CPU[shmtool_list]}")" ">=" 1.8 \
	"speed-up vs lsipc -m, CPU time"
target json       "$(raw "${MEDIAN[lsipc_json]}" "${MEDIAN[shmtool_json]}")" ">=" 1.8 \
	"speed-up of list --json vs lsipc --json, wall"
target json-cpu   "$(raw "${CPU[lsipc_json]}" "${CPU[shmtool_json]}")" ">=" 1.8 \
	"speed-up of list --json vs lsipc --json, CPU"
target memory     "$(raw "${PEAK[shmtool_list]}" "${PEAK[lsipc]}")" "<=" 1 \
	"peak RSS shmtool list / lsipc -m"
target stat       "$(raw "${MEDIAN[shmtool_stat]}" "${MEDIAN[startup]}")" "<=" 1.25 \
	"stat ID / shmtool --version (its own start)"
target stat-cpu   "$(raw "${CPU[shmtool_stat]}" "${CPU[startup]}")" "~" - \
	"stat ID / shmtool --version, CPU time"
target stat-ipcs  "$(raw "${MEDIAN[ipcs_i]}" "${MEDIAN[shmtool_stat]}")" "~" - \
	"speed-up of stat ID vs ipcs -m -i ID"
target list-floor "$(raw "${MEDIAN[shmtool_list]}" "${MEDIAN[cat]}")" "~" - \
	"shmtool list / cat /proc/sysvipc/shm"
exit 0

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark of the POSIX scan (who maps or holds open each object): N
# objects in /dev/shm and one process with M mappings (M = N / 2, at most
# 60000: vm.max_map_count is 65530 by default). Times metrics --posix and
# list --posix for each N, beside reading their inputs (the directory and
# the maps file), and the cost per object + mapping: the scan is linear
# when that cost stays flat as N grows (a scan that compared every mapping
# with every object grew with N x M: 72 s at 200k objects and 60k
# mappings).
#
#   bench/posix.sh [-r RUNS]
#
# Needs root: private IPC, PID and mount namespaces with a tmpfs of its
# own on /dev/shm. Environment: BENCH_POSIX_N (default "10000 20000 40000
# 80000"), SHMTOOL, SHM_HELPER; with BENCH_CSV set, appends its medians
# there (bench posix, n = N). Exit status 1 when the cost per object +
# mapping at the largest N is more than twice that at the smallest.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"

RUNS=3
while getopts r:h opt; do
	case $opt in
	r) RUNS=$OPTARG ;;
	*) sed -n '2,18s/^# \{0,1\}//p' "$0"; exit 2 ;;
	esac
done

top=$(cd "$(dirname "$0")/.." && pwd)
SHMTOOL=${SHMTOOL:-$top/shmtool}
SHM_HELPER=${SHM_HELPER:-$top/tests/shm-helper}
: "${BENCH_POSIX_N:=10000 20000 40000 80000}"

if [ -z "${BENCH_IN_NS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "bench/posix.sh: needs root" >&2; exit 1; }
	[ -x "$SHMTOOL" ] || { echo "bench/posix.sh: build shmtool first" >&2; exit 1; }
	[ -x "$SHM_HELPER" ] || make -C "$top" tests/shm-helper >/dev/null
	export BENCH_IN_NS=1 SHMTOOL SHM_HELPER BENCH_POSIX_N
	exec unshare --ipc --mount --pid --fork --mount-proc "$BASH" "$0" "$@"
fi

mapper=
cleanup() {
	[ -n "$mapper" ] && kill "$mapper" 2>/dev/null
	wait 2>/dev/null || true
}
trap cleanup EXIT

# the median of RUNS timings of a command, in seconds
median_s() {
	local t=() i s
	for ((i = 0; i < RUNS; i++)); do
		s=${EPOCHREALTIME//[!0-9]/}
		"$@" >/dev/null 2>&1
		t+=($(( ${EPOCHREALTIME//[!0-9]/} - s )))
	done
	printf '%s\n' "${t[@]}" | sort -n | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.4f\n", m / 1e6 }'
}

inputs() { ls -f /dev/shm >/dev/null && cat "/proc/$mapper/maps" >/dev/null; }

printf '%8s %8s %12s %12s %12s %16s\n' objects mappings "metrics(s)" "list(s)" "inputs(s)" "us/(obj+map)"
first='' last=''
for n in $BENCH_POSIX_N; do
	m=$(( n / 2 > 60000 ? 60000 : n / 2 ))
	umount /dev/shm 2>/dev/null || true
	mount -t tmpfs -o size=1g,nr_inodes=0 tmpfs /dev/shm
	"$SHM_HELPER" posixfill /dev/shm "$n"
	fifo=$(mktemp -u) && mkfifo "$fifo"
	"$SHM_HELPER" posixmaps /dev/shm/obj.0 "$m" >"$fifo" &
	mapper=$!
	read -r line <"$fifo"
	rm -f "$fifo"
	[ "$line" = ready ] || { echo "bench/posix.sh: the mapper did not start" >&2; exit 1; }
	maps=$(wc -l <"/proc/$mapper/maps")
	[ "$maps" -ge "$m" ] || { echo "bench/posix.sh: $maps mappings, not $m" >&2; exit 1; }
	metrics=$(median_s "$SHMTOOL" metrics --posix)
	list=$(median_s "$SHMTOOL" list --posix)
	floor=$(median_s inputs)
	unit=$(awk -v t="$metrics" -v k="$(( n + m ))" 'BEGIN { printf "%.3f", t * 1e6 / k }')
	printf '%8d %8d %12s %12s %12s %16s\n' "$n" "$m" "$metrics" "$list" "$floor" "$unit"
	bench_csv posix "objects + mappings" "$n" "shmtool metrics --posix" "$metrics" NA
	bench_csv posix "objects + mappings" "$n" "shmtool list --posix" "$list" NA
	bench_csv posix "objects + mappings" "$n" "ls -f /dev/shm, cat maps" "$floor" NA
	first=${first:-$unit}
	last=$unit
	kill "$mapper"
	wait "$mapper" 2>/dev/null || true
	mapper=
done
if awk -v a="$first" -v b="$last" 'BEGIN { exit !(b <= 2 * a) }'; then
	echo "PASS linear: $last us per object + mapping at the largest N, $first at the smallest"
else
	echo "MISS linear: $last us per object + mapping at the largest N, $first at the smallest"
	exit 1
fi

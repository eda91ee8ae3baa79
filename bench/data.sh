#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/data.sh - time the data commands against GNU coreutils, same run:
#   shmtool cat ID > tmpfs file      vs  cat FILE > tmpfs file
#   shmtool cat ID | cat >/dev/null  vs  cat FILE | cat >/dev/null
#   shmtool attach-write ID --file F vs  cp F tmpfs file
# with a segment and files of BENCH_DATA_MIB MiB (default 1024).
#
# Runs in private IPC and mount namespaces (the script re-runs itself under
# `unshare --ipc --mount`): the segment and a private tmpfs (size-limited, so
# at most segment + source + one output file are in memory, ~3 GiB at the
# default size) vanish with the namespaces.  The segment is written before
# cat is timed, so its pages exist; the output file is removed after each
# run, untimed.  Needs root.
#
# Environment:
#   BENCH_DATA_MIB  size in MiB (default 1024)
#   BENCH_REPS      timed rounds (default 5); commands interleaved per round
#   BENCH_WARMUP    untimed rounds first (default 1)
#   BENCH_CSV       append CSV rows (bench,case,n,tool,median_s,peak_kb);
#                   n is the size in bytes
#   SHMTOOL         default: the shmtool next to bench/
#
# Targets: shmtool at least 0.9x the anchor's throughput, i.e.
#   time(shmtool) / time(anchor) <= 1.11 for each of the three pairs.

set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"

: "${SHMTOOL:=$here/../shmtool}"
: "${BENCH_DATA_MIB:=1024}"
: "${BENCH_REPS:=5}"
export SHMTOOL BENCH_DATA_MIB BENCH_REPS BENCH_WARMUP

# ---------------------------------------------------------------- outer run
if [ -z "${BENCH_DATA_DIR:-}" ]; then
	bench_require_root
	[ -x "$SHMTOOL" ] || { echo "$0: $SHMTOOL not found; run 'make'" >&2; exit 1; }
	if ! unshare --mount true 2>/dev/null; then
		echo "$0: 'unshare --mount' failed (a private tmpfs is needed)" >&2
		exit 1
	fi
	BENCH_DATA_DIR=$(mktemp -d /tmp/bench-data.XXXXXX) || exit 1
	trap 'rmdir "$BENCH_DATA_DIR" 2>/dev/null' EXIT
	cp "$SHMTOOL" "$BENCH_DATA_DIR.shmtool" || exit 1	# a snapshot
	trap 'rmdir "$BENCH_DATA_DIR" 2>/dev/null; rm -f "$BENCH_DATA_DIR.shmtool"' EXIT
	echo "data benchmark: $BENCH_DATA_MIB MiB, shmtool cat / attach-write against GNU cat / cp, tmpfs"
	bench_machine
	echo "cat:      $(cat --version | head -n 1)"
	echo "reps:     $BENCH_REPS timed (+$BENCH_WARMUP warm-up) rounds, medians"
	SHMTOOL=$BENCH_DATA_DIR.shmtool
	BENCH_IPCNS_OUTER=$(readlink /proc/self/ns/ipc)
	export SHMTOOL BENCH_DATA_DIR BENCH_IPCNS_OUTER
	unshare --ipc --mount --propagation private -- "$BASH" "$0" "$@"
	exit $?
fi

# ---------------------------------------------------------------- inside the namespaces
if [ "$(readlink /proc/self/ns/ipc)" = "${BENCH_IPCNS_OUTER:-}" ]; then
	echo "$0: not in a private IPC namespace; refusing" >&2
	exit 1
fi
D=$BENCH_DATA_DIR
BYTES=$((BENCH_DATA_MIB * 1024 * 1024))
# two files at most (source and output), with some slack
if ! mount -t tmpfs -o "size=$((2 * BENCH_DATA_MIB + 64))m,mode=0700" bench-data "$D"; then
	echo "$0: cannot mount a tmpfs on $D" >&2
	exit 1
fi
for k in shmmax shmall; do		# shmall counts pages
	want=$BYTES
	[ $k = shmall ] && want=$((BYTES / $(getconf PAGESIZE) + 1))
	if awk -v h="$(cat /proc/sys/kernel/$k)" -v w="$want" 'BEGIN { exit !(h + 0 < w + 0) }'; then
		echo "$want" >/proc/sys/kernel/$k || { echo "$0: cannot raise kernel.$k" >&2; exit 1; }
	fi
done

# source data: not zeros (no chance of a sparse shortcut)
yes "$(head -c 3000 /dev/urandom | base64 -w 0)" | head -c "$BYTES" >"$D/src" || exit 1
ID=$("$SHMTOOL" create -s "$BYTES") || exit 1
"$SHMTOOL" attach-write "$ID" --file "$D/src" || exit 1	# populates the pages
if ! "$SHMTOOL" cat "$ID" >"$D/out" || ! cmp -s "$D/src" "$D/out"; then
	echo "$0: shmtool cat does not give back the data" >&2
	exit 1
fi
rm -f "$D/out"

CASES=(cat_file gnucat_file cat_pipe gnucat_pipe attach_write cp)
declare -A LABEL=(
	[cat_file]="shmtool cat > tmpfs"
	[gnucat_file]="cat FILE > tmpfs"
	[cat_pipe]="shmtool cat | cat"
	[gnucat_pipe]="cat FILE | cat"
	[attach_write]="shmtool attach-write --file"
	[cp]="cp FILE tmpfs"
)
declare -A GROUP=(
	[cat_file]=cat-file [gnucat_file]=cat-file
	[cat_pipe]=cat-pipe [gnucat_pipe]=cat-pipe
	[attach_write]=write [cp]=write
)
declare -A BASE=([cat_file]=gnucat_file [cat_pipe]=gnucat_pipe [attach_write]=cp)

# shellcheck disable=SC2002 # GNU cat reading the file is the anchor
run_case()
{
	case $1 in
	cat_file)	"$SHMTOOL" cat "$ID" >"$D/out" ;;
	gnucat_file)	cat "$D/src" >"$D/out" ;;
	cat_pipe)	"$SHMTOOL" cat "$ID" | cat >/dev/null ;;
	gnucat_pipe)	cat -- "$D/src" | cat >/dev/null ;;
	attach_write)	"$SHMTOOL" attach-write "$ID" --file "$D/src" ;;
	cp)		cp "$D/src" "$D/out" ;;
	esac
}

declare -A SAMPLES MEDIAN
for ((r = 0; r < BENCH_WARMUP + BENCH_REPS; r++)); do
	for c in "${CASES[@]}"; do
		rm -f "$D/out"
		_bench_now_us; t0=$_BENCH_T
		if ! run_case "$c"; then
			echo "$0: ${LABEL[$c]} failed" >&2
			exit 1
		fi
		_bench_now_us; t1=$_BENCH_T
		((r < BENCH_WARMUP)) || SAMPLES[$c]+=" $((t1 - t0))"
	done
done
rm -f "$D/out"

echo
echo "== $BENCH_DATA_MIB MiB (segment $ID), median of $BENCH_REPS =="
printf '  %-28s %10s %9s   %s\n' command median_s MiB/s "time / anchor's"
for c in "${CASES[@]}"; do
	# shellcheck disable=SC2086
	MEDIAN[$c]=$(_bench_median ${SAMPLES[$c]} | awk '{ printf "%.4f", $1 / 1e6 }')
done
for c in "${CASES[@]}"; do
	ratio=
	[ -n "${BASE[$c]:-}" ] &&
		ratio="$(bench_ratio "${MEDIAN[$c]}" "${MEDIAN[${BASE[$c]}]}")x ${LABEL[${BASE[$c]}]}"
	mibs=$(awk -v t="${MEDIAN[$c]}" -v m="$BENCH_DATA_MIB" 'BEGIN { printf "%.0f", m / t }')
	printf '  %-28s %10s %9s   %s\n' "${LABEL[$c]}" "${MEDIAN[$c]}" "$mibs" "$ratio"
	bench_csv data "${GROUP[$c]}" "$BYTES" "${LABEL[$c]}" "${MEDIAN[$c]}" NA
done

echo "  targets (shmtool >= 0.9x the anchor's throughput: time ratio <= 1.11):"
for c in cat_file cat_pipe attach_write; do
	r=$(bench_ratio "${MEDIAN[$c]}" "${MEDIAN[${BASE[$c]}]}")
	v=$(awk -v r="$r" 'BEGIN { print (r == "NA") ? "N/A" : (r + 0 <= 1 / 0.9 ? "PASS" : "MISS") }')
	printf '  %-4s  %-28s / %-18s = %5s\n' "$v" "${LABEL[$c]}" "${LABEL[${BASE[$c]}]}" "$r"
done
exit 0

# SPDX-License-Identifier: GPL-2.0-or-later
# bench/lib.sh - shared helpers for shmtool benchmark scripts (bash).
# shellcheck shell=bash
#
# Source it from a bench script:   . "$(dirname "$0")/lib.sh"
#
#   bench_spawn CMD...          one run of CMD, started by `shm-helper spawn`
#                               (posix_spawn from a small process, stdout to
#                               /dev/null): sets BENCH_WALL, BENCH_CPU
#                               (user + sys of CMD and its children, s) and
#                               BENCH_RSS (peak RSS, KB); returns 1 if CMD
#                               failed (the figures are set if it ran)
#   bench_ratio A B             A/B with 2 decimals (NA if either is NA or B=0)
#   bench_csv BENCH CASE N TOOL MEDIAN_S PEAK_KB [CPU_S]
#                               append a row to "$BENCH_CSV" if it is set
#                               (CPU_S: median user + sys, NA if not given)
#   bench_require_root          exit 1 with a clear message unless root and
#                               `unshare --ipc` works
#   bench_outer_setup TOOL...   checks (root, the built binaries, TOOL...
#                               on the PATH), then copies shmtool and the
#                               helper aside and starts an empty summary
#   bench_each_n                run "$0" once per N of $BENCH_N (inner
#                               runs), then print the summary at the last N
#   bench_segments              the number of segments in the namespace
#   bench_ipcns_enter "$@"      re-exec the calling script under
#                               `unshare --ipc` (once), then raise
#                               kernel.shmmni to 32768 inside the namespace
#   bench_machine               print machine and tool versions
#
# Environment:
#   BENCH_WARMUP   untimed runs before timing (default 1)
#   BENCH_CSV      CSV file to append rows to (header written if new)

: "${BENCH_WARMUP:=1}"

# Set _BENCH_T to the current time in microseconds, without forking when
# bash >= 5 provides EPOCHREALTIME (else `date +%s%N`).
_bench_now_us()
{
	if [ -n "${EPOCHREALTIME:-}" ]; then
		_BENCH_T=${EPOCHREALTIME//[!0-9]/}	# drop the locale's decimal point
	else
		_BENCH_T=$(date +%s%N)
		_BENCH_T=$((_BENCH_T / 1000))
	fi
}

# Median of numbers given as arguments (numeric sort; mean of the two middle
# values when the count is even).
_bench_median()
{
	printf '%s\n' "$@" | sort -g | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print "NA"; exit }
			if (NR % 2) m = v[(NR + 1) / 2]
			else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
			print m
		}'
}

# bench_spawn CMD...: the child is timed by shm-helper, which started it
# with posix_spawn and reaped it with wait4: neither bash's fork nor its
# memory is counted (a forked copy of a big parent starts with that
# parent's peak RSS as its own).
bench_spawn()
{
	local out rc=0
	BENCH_WALL=NA BENCH_CPU=NA BENCH_RSS=NA
	out=$("${SHM_HELPER:?}" spawn "$@") || rc=1
	[ -n "$out" ] || return 1		# not started
	# shellcheck disable=SC2034 # set for the caller
	read -r BENCH_WALL BENCH_CPU BENCH_RSS <<<"$(awk '{ printf "%s %.6f %s\n", $1, $2 + $3, $4 }' <<<"$out")"
	return $rc
}

# bench_ratio A B -> A/B, 2 decimals
bench_ratio()
{
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "NA" || b == "NA" || a == "" || b == "" || b + 0 == 0) print "NA"
		else printf "%.2f\n", a / b
	}'
}

# bench_csv BENCH CASE N TOOL MEDIAN_S PEAK_KB [CPU_S]
bench_csv()
{
	[ -n "${BENCH_CSV:-}" ] || return 0
	if [ ! -s "$BENCH_CSV" ]; then
		echo "bench,case,n,tool,median_s,peak_kb,cpu_s" >>"$BENCH_CSV"
	fi
	local f row=() out
	[ $# -ge 7 ] || set -- "$@" NA
	for f in "$@"; do
		case $f in
		*[,\"]*) f="\"${f//\"/\"\"}\"" ;;
		esac
		row+=("$f")
	done
	out=$(IFS=,; printf '%s' "${row[*]}")
	printf '%s\n' "$out" >>"$BENCH_CSV"
}

bench_require_root()
{
	if [ "$(id -u)" -ne 0 ]; then
		echo "$0: must run as root: benchmarks create segments in a private" \
			"IPC namespace (unshare --ipc) and raise kernel.shmmni there" >&2
		exit 1
	fi
	if ! unshare --ipc true 2>/dev/null; then
		echo "$0: 'unshare --ipc' failed: root with CAP_SYS_ADMIN and" \
			"util-linux unshare are needed (refusing to touch this" \
			"namespace's segments)" >&2
		exit 1
	fi
}

# bench_ipcns_enter "$@": call at the top of a script (after sourcing lib.sh).
# The first call re-execs the script in a new IPC namespace; the second (in
# the namespace) checks that it really is a different namespace and raises
# kernel.shmmni (per namespace; 32768 is the kernel's maximum), and that
# the namespace holds no segment yet.
bench_ipcns_enter()
{
	local self
	self=$(readlink /proc/self/ns/ipc)
	if [ -z "${BENCH_IPCNS_OUTER:-}" ]; then
		bench_require_root
		BENCH_IPCNS_OUTER=$self exec unshare --ipc -- "$BASH" "$0" "$@"
		echo "$0: exec unshare --ipc failed" >&2
		exit 1
	fi
	if [ "$self" = "$BENCH_IPCNS_OUTER" ]; then
		echo "$0: not in a private IPC namespace (still $self); refusing" >&2
		exit 1
	fi
	unset BENCH_IPCNS_OUTER		# a child script gets its own namespace
	if ! sysctl -q -w kernel.shmmni=32768 >/dev/null 2>&1 &&
	   ! echo 32768 2>/dev/null >/proc/sys/kernel/shmmni; then
		echo "$0: cannot raise kernel.shmmni in the namespace" >&2
		exit 1
	fi
	if [ "$(bench_segments)" -ne 0 ]; then
		echo "$0: the new IPC namespace is not empty; refusing" >&2
		exit 1
	fi
}

# bench_segments: how many segments the IPC namespace holds
bench_segments()
{
	awk 'NR > 1' /proc/sysvipc/shm | wc -l
}

bench_machine()
{
	local cpu shmtool=${SHMTOOL:-shmtool}
	cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	echo "date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
	echo "machine:  $(nproc) cpus, $(uname -sr), ${cpu:-unknown CPU}"
	echo "load:     $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "shmtool:  $("$shmtool" --version 2>&1 | head -n 1)"
	echo "lsipc:    $(lsipc --version 2>&1 | head -n 1)"
	echo "ipcs:     $(ipcs --version 2>&1 | head -n 1)"
}

# bench_outer_setup TOOL...: for the outer run of a script that runs
# itself once per N. Exits 1 with a message unless root, shmtool and the
# helper are built and every TOOL is on the PATH. The binaries are copied
# aside (the tree may be rebuilt while the benchmark runs): sets and
# exports SHMTOOL and SHM_HELPER (the copies) and BENCH_SUMMARY (empty),
# and sets BENCH_BINFO (when and what was built).
bench_outer_setup()
{
	local exe t
	bench_require_root
	for exe in "$SHMTOOL" "$SHM_HELPER"; do
		if [ ! -x "$exe" ]; then
			echo "$0: $exe not found; run 'make shmtool tests/shm-helper'" >&2
			exit 1
		fi
	done
	for t in "$@"; do
		command -v "$t" >/dev/null || { echo "$0: $t not found" >&2; exit 1; }
	done
	# shellcheck disable=SC2034 # for the calling script's header
	BENCH_BINFO="$(stat -c '%y' "$SHMTOOL" | cut -d. -f1), sha256 $(sha256sum "$SHMTOOL" | cut -c1-12)"
	_BENCH_BIN=$(mktemp -d /tmp/bench.XXXXXX) || exit 1
	trap 'rm -rf "$_BENCH_BIN"' EXIT
	cp "$SHMTOOL" "$_BENCH_BIN/shmtool" && cp "$SHM_HELPER" "$_BENCH_BIN/shm-helper" || exit 1
	SHMTOOL=$_BENCH_BIN/shmtool SHM_HELPER=$_BENCH_BIN/shm-helper
	BENCH_SUMMARY=$_BENCH_BIN/summary
	export SHMTOOL SHM_HELPER BENCH_SUMMARY
	: >"$BENCH_SUMMARY"
	"$SHMTOOL" --version >/dev/null || { echo "$0: $SHMTOOL does not run" >&2; exit 1; }
}

# bench_each_n: the inner run of "$0" for each N of $BENCH_N (it finds
# BENCH_ONE_N set), then the targets the last one wrote to the summary
# ("N PASS|MISS|info text" lines). Returns 1 if a run failed.
bench_each_n()
{
	local n last='' status=0 pass total
	for n in ${BENCH_N:?}; do
		BENCH_ONE_N=$n "$BASH" "$0" || { echo "$0: run for N=$n failed" >&2; status=1; }
		last=$n
	done
	if [ -n "$last" ]; then
		echo
		echo "== summary: targets at N=$last (defined at N=30000) =="
		sed -n "s/^$last /  /p" "$BENCH_SUMMARY"
		pass=$(awk -v n="$last" '$1 == n && $2 == "PASS"' "$BENCH_SUMMARY" | wc -l)
		total=$(awk -v n="$last" '$1 == n && ($2 == "PASS" || $2 == "MISS")' "$BENCH_SUMMARY" | wc -l)
		echo "  $pass/$total targets met"
	fi
	return $status
}

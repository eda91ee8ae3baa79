# SPDX-License-Identifier: GPL-2.0-or-later
# TAP helpers for the CLI tests. Source it, call `in_private_ipc "$@"`
# first if the test creates segments, then use the checks and finish with
# `done_testing`.
#
# Outputs land in $out, $err and $rc after `run CMD...`.

: "${SHMTOOL:?SHMTOOL must name the binary}"
: "${SHM_HELPER:=}"

T_COUNT=0
T_FAILED=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/shmtool-test.XXXXXX")
HOLDERS=""

# At the test's end (its last process: it may exec itself into
# namespaces, and tests that set a trap of their own call this too).
cleanup() {
	for p in $HOLDERS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$WORK"
	# made once for the whole test, below
	[ -n "${SHMTOOL_REACH_DIR:-}" ] && rm -rf "$SHMTOOL_REACH_DIR"
	[ -n "${VG_LOGS:-}" ] && rm -rf "$VG_DIR"
}
trap cleanup EXIT

# A tree that user 65534 cannot reach (under /root, mode 0700): the
# tests that run the program or the helper as that user (setpriv,
# prlimit) would fail for that reason alone. Then every run uses copies
# in a directory all users reach, made once for the whole test and
# removed by cleanup().
if [ -z "${SHMTOOL_REACH_DIR:-}" ] && [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
	! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$SHMTOOL" 2>/dev/null; then
	SHMTOOL_REACH_DIR=$(mktemp -d "${TMPDIR:-/tmp}/shmtool-bin.XXXXXX")
	chmod 755 "$SHMTOOL_REACH_DIR"
	cp "$SHMTOOL" "$SHMTOOL_REACH_DIR/shmtool" &&
		SHMTOOL=$SHMTOOL_REACH_DIR/shmtool ||
		{ echo "Bail out! cannot copy $SHMTOOL to $SHMTOOL_REACH_DIR"; exit 1; }
	if [ -n "$SHM_HELPER" ]; then
		cp "$SHM_HELPER" "$SHMTOOL_REACH_DIR/shm-helper" &&
			SHM_HELPER=$SHMTOOL_REACH_DIR/shm-helper ||
			{ echo "Bail out! cannot copy $SHM_HELPER to $SHMTOOL_REACH_DIR"; exit 1; }
	fi
	export SHMTOOL SHM_HELPER SHMTOOL_REACH_DIR
fi

# SHMTOOL_VALGRIND=1: every run of the program goes through valgrind
# (--error-exitcode=1 --leak-check=full), each with its own log, which
# valgrind_check (called by done_testing) reads: no error, no definite
# leak. The wrapper and logs live where user 65534 reaches them too.
# lax-ioctls: valgrind has no wrapper for the nsfs ioctls (NS_GET_USERNS,
# NS_GET_PARENT, NS_GET_OWNER_UID) and would warn at each; they take no
# buffer but NS_GET_OWNER_UID's uid, which the program sets beforehand.
if [ -n "${SHMTOOL_VALGRIND:-}" ] && [ -z "${SHMTOOL_REAL:-}" ]; then
	command -v valgrind >/dev/null || { echo "Bail out! SHMTOOL_VALGRIND set but no valgrind"; exit 1; }
	SHMTOOL_REAL=$SHMTOOL
	VG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/shmtool-vg.XXXXXX")
	chmod 755 "$VG_DIR"
	mkdir -m 1777 "$VG_DIR/logs"
	cat >"$VG_DIR/shmtool" <<-EOS
	#!/bin/sh
	exec valgrind -q --error-exitcode=1 --leak-check=full --sim-hints=lax-ioctls \\
		--show-leak-kinds=definite --errors-for-leak-kinds=definite \\
		--log-file="$VG_DIR/logs/vg.%p" "$SHMTOOL_REAL" "\$@"
	EOS
	chmod 755 "$VG_DIR/shmtool"
	SHMTOOL=$VG_DIR/shmtool
	VG_LOGS=$VG_DIR/logs
	export SHMTOOL SHMTOOL_REAL VG_DIR VG_LOGS
fi
VG_LOGS=${VG_LOGS:-}

# reexec_in WHAT UNSHARE-OPTION... -- ARG...: re-run this script under
# unshare with those options (root only), once; skip the whole file when
# the namespaces (WHAT, for the message) cannot be made.
reexec_in() {
	local what=$1 opts=()
	shift
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	[ -z "${SHMTOOL_TEST_IN_NS:-}" ] || return 0
	if ! unshare "${opts[@]}" true 2>/dev/null; then
		echo "1..0 # SKIP cannot create $what (needs root)"
		exit 0
	fi
	rm -rf "$WORK"   # exec skips the EXIT trap; the new run makes its own
	SHMTOOL_TEST_IN_NS=1 exec unshare "${opts[@]}" "$BASH" "$0" "$@"
}

# Re-run this script inside a new IPC namespace.
in_private_ipc() { reexec_in "an IPC namespace" --ipc -- "$@"; }

# The same in new PID and mount namespaces with /proc mounted afresh:
# the test sees only its own processes, and they have small pids.
in_private_ipc_pid() {
	reexec_in "IPC and PID namespaces" --ipc --pid --fork --mount-proc -- "$@"
}

# For POSIX objects: new IPC and mount namespaces (and PID, with
# in_private_shm_pid), and then private_dev_shm [SIZE] for a tmpfs of the
# test's own on /dev/shm (16m unless SIZE).
in_private_shm() { reexec_in "IPC and mount namespaces" --ipc --mount -- "$@"; }
in_private_shm_pid() {
	reexec_in "IPC, mount and PID namespaces" --ipc --mount --pid --fork --mount-proc -- "$@"
}
# old_obj NAME SIZE: a POSIX object of SIZE zero bytes in /dev/shm,
# changed an hour ago (past gc's grace period)
old_obj() {
	head -c "$2" /dev/zero >"/dev/shm/$1" && touch -d '1 hour ago' "/dev/shm/$1"
}

private_dev_shm() {
	mount -t tmpfs -o "size=${1:-16m}" tmpfs /dev/shm ||
		{ echo "1..0 # SKIP cannot mount a tmpfs on /dev/shm"; exit 0; }
}

ok() {	# ok CONDITION-STATUS DESCRIPTION
	T_COUNT=$((T_COUNT + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_COUNT - $2"
	else
		echo "not ok $T_COUNT - $2"
		T_FAILED=$((T_FAILED + 1))
	fi
}

is() {	# is GOT EXPECTED DESCRIPTION
	T_COUNT=$((T_COUNT + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $T_COUNT - $3"
	else
		echo "not ok $T_COUNT - $3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2"
		T_FAILED=$((T_FAILED + 1))
	fi
}

like() {	# like GOT EXTENDED-REGEX DESCRIPTION
	T_COUNT=$((T_COUNT + 1))
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		echo "ok $T_COUNT - $3"
	else
		echo "not ok $T_COUNT - $3"
		printf '#   got:      %s\n#   expected to match: %s\n' "$1" "$2"
		T_FAILED=$((T_FAILED + 1))
	fi
}

# jdocs: the JSON documents on stdin (stat and gc print two, one after
# the other) as one object with the members of each
jdocs() { jq -s add; }

run() {	# run CMD...: sets $out, $err, $rc
	"$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	out=$(cat "$WORK/out")
	err=$(cat "$WORK/err")
}

# expect_status STATUS STDERR-REGEX DESCRIPTION CMD...: the exit status,
# a message on stderr matching the regex, and (for errors) nothing on
# stdout.
expect_status() {
	local want=$1 re=$2 desc=$3
	shift 3
	run "$@"
	is "$rc" "$want" "$desc: exit status $want"
	if [ -n "$re" ]; then
		like "$err" "$re" "$desc: message"
	fi
	if [ "$want" -eq 2 ]; then
		is "$out" "" "$desc: nothing on stdout"
	fi
}

# spawn_cmd CMD...: start CMD in the background and wait for its first
# line of output, left in $line; its pid is in $holder.
spawn_cmd() {
	local fifo="$WORK/spawn.$RANDOM$RANDOM"
	mkfifo "$fifo"
	"$@" >"$fifo" &
	holder=$!
	HOLDERS="$HOLDERS $holder"
	read -r line <"$fifo"
	rm -f "$fifo"
	[ -n "$line" ] || { echo "Bail out! $* did not start"; exit 1; }
}

# spawn ARGS...: spawn_cmd "shm-helper ARGS...".
spawn() {
	spawn_cmd "$SHM_HELPER" "$@"
}

# hold [-r] ID...: a process that keeps the segments attached.
hold() {
	spawn hold "$@"
	[ "$line" = ready ] || { echo "Bail out! holder did not attach $*"; exit 1; }
}

# own KEY SIZE MODE: a segment whose creator still runs; the id in $line.
own() {
	spawn own "$@"
}

release() {	# release PID
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

shm_snapshot() {	# the segment list, for "unchanged" checks
	tail -n +2 /proc/sysvipc/shm | awk '{ print $1, $2, $3, $4, $7 }' | sort
}

valgrind_check() {	# under SHMTOOL_VALGRIND: every run was clean
	local runs bad
	[ -n "$VG_LOGS" ] || return 0
	runs=$(find "$VG_LOGS" -type f | wc -l)
	bad=$(find "$VG_LOGS" -type f -size +0 | wc -l)
	ok "$([ "$runs" -gt 0 ] && echo 0 || echo 1)" "valgrind: $runs runs of shmtool logged"
	is "$bad" 0 "valgrind: no error and no definite leak in $runs runs"
	if [ "$bad" -gt 0 ]; then
		find "$VG_LOGS" -type f -size +0 | head -n 3 | xargs cat | sed 's/^/# /'
	fi
	echo "# valgrind: $runs runs, $bad with errors"
}

done_testing() {
	valgrind_check
	echo "1..$T_COUNT"
	[ "$T_FAILED" -eq 0 ]
}

# The program's commands, from its own --help (the command table).
commands() {
	"$SHMTOOL" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 { print $1 }'
}

# longopts_of CMD: the long options in the longopts[] table of
# src/cmd/CMD.c, with the shared macros (OUTPUT_LONGOPTS...) expanded;
# with CMD empty, the global options of src/shmtool.c.
longopts_of() {
	local src=$TOP_SRCDIR/src/cmd/$1.c table m
	[ -n "$1" ] || src=$TOP_SRCDIR/src/shmtool.c
	table=$(sed -n '/longopts\[\] = {/,/^};/p' "$src")
	for m in $(grep -o '[A-Z_]*_LONGOPTS' <<<"$table" | sort -u); do
		table+=$'\n'$(sed -n "/^#define $m\\b/,/[^\\\\]\$/p" "$TOP_SRCDIR"/src/*/*.h)
	done
	grep -o '{ *"[a-z][a-z0-9-]*"' <<<"$table" | sed 's/{ *"//; s/"$//' | sort -u
}

skip() {	# skip DESCRIPTION: a TAP skip, for a check that cannot run here
	T_COUNT=$((T_COUNT + 1))
	echo "ok $T_COUNT # SKIP $1"
}

# Like in_private_ipc, but go on outside a namespace when none can be
# made; IN_NS says which.
try_private_ipc() {
	IN_NS=${SHMTOOL_TEST_IN_NS:-0}
	if [ "$IN_NS" = 0 ] && unshare --ipc true 2>/dev/null; then
		rm -rf "$WORK"   # exec skips the EXIT trap; the new run makes its own
		SHMTOOL_TEST_IN_NS=1 exec unshare --ipc "$BASH" "$0" "$@"
	fi
}

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Faults seen from outside: /proc/sysvipc/shm missing or unreadable (the
# shmctl fallback), processes that come and go during the /proc scan,
# write errors and closed pipes for every command that prints. (stat,
# cat and rm racing a removal, and shmat's ENOMEM: tests/unit/test-faults.c.)
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"

S=$SHMTOOL
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
a=$("$S" create -s 4096 -k 0x51 -m 600)
b=$("$S" create -s 8192 -m 644)
ids() { "$S" list -rn -o ID,KEY,SIZE --sort ID; }
expected=$(ids)

# /proc/sysvipc hidden by an empty tmpfs: the fallback reads every segment
if unshare --mount true 2>/dev/null; then
	run unshare --mount sh -c 'mount -t tmpfs none /proc/sysvipc && exec "$@"' sh \
		"$S" list -rn -o ID,KEY,SIZE --sort ID
	is "$rc:$err" "0:" "no /proc/sysvipc/shm: list exits 0, quiet"
	is "$out" "$expected" "no /proc/sysvipc/shm: the fallback lists the same segments"
	# unreadable for an unprivileged user: the fallback again (SHM_STAT_ANY)
	: >"$WORK/noread"
	chmod 000 "$WORK/noread"
	chmod 711 "$WORK"
	run unshare --mount sh -c 'mount --bind "$0" /proc/sysvipc/shm && exec setpriv --reuid=65534 --regid=65534 --clear-groups "$@"' \
		"$WORK/noread" "$S" list -rn -o ID,KEY,SIZE --sort ID
	is "$rc:$err" "0:" "unreadable /proc/sysvipc/shm: list exits 0, quiet"
	is "$out" "$expected" "unreadable /proc/sysvipc/shm: the fallback lists root's 0600 segment too"
	run unshare --mount sh -c 'mount -t tmpfs none /proc/sysvipc && exec "$@"' sh "$S" gc --dry-run --older-than 0 -rn -o ID
	is "$rc:$(sort -n <<<"$out" | tr '\n' ' ')" "0:$a $b " "no /proc/sysvipc/shm: gc --dry-run finds the orphans"
	run unshare --mount sh -c 'mount -t tmpfs none /proc/sysvipc && exec "$@"' sh "$S" stat -M "$a"
	is "$rc:$err" "0:shmtool: cannot read /proc/sysvipc/shm: resident and swapped sizes unknown" \
		"no /proc/sysvipc/shm: stat -M says the sizes are unknown"
	is "$(grep -c -e '^Resident:' -e '^Swapped:' <<<"$out")" 0 "no /proc/sysvipc/shm: stat -M shows no sizes"
	is "$(grep -c '^Size:' <<<"$out")" 1 "no /proc/sysvipc/shm: stat -M shows the rest"
else
	skip "no mount namespace: the fallback"
fi

# processes attach and exit while list scans /proc for them
(for i in $(seq 300); do "$S" cat "$b" >/dev/null; done) &
churn=$!
fails=0
: >"$WORK/noise"
for i in $(seq 20); do
	"$S" list -rn -o ID,NATTCH,NPROCS,PIDS >/dev/null 2>>"$WORK/noise" || fails=$((fails + 1))
done
wait "$churn"
is "$fails" 0 "20 scans while 300 processes attach and exit: no failure"
is "$(cat "$WORK/noise")" "" "20 scans while processes come and go: no message"

# a full device is a failure (exit 1, a message), for every command that prints
full() {	# full DESCRIPTION ARGS...
	local d=$1
	shift
	"$S" "$@" >/dev/full 2>"$WORK/err"
	is "$?" 1 "$d >/dev/full: exit 1"
	like "$(cat "$WORK/err")" "write error: No space left on device" "$d >/dev/full: message"
}
full "stat" stat "$a"
full "stat --json" stat --json "$a" "$b"
full "list --json" list --json
full "gc --dry-run" gc --dry-run --older-than 0
full "ftok" ftok /
full "list --list-columns" list --list-columns
before=$(shm_snapshot)
full "create" create -s 1
is "$(( $(wc -l <<<"$(shm_snapshot)") - $(wc -l <<<"$before") ))" 1 \
	"create >/dev/full: the segment exists (its id could not be printed)"

# a closed pipe is not an error: exit 0, no error message
"$SHM_HELPER" many 2000 64
many=$("$S" list -rn -o ID | tr '\n' ' ')
pipe() {	# pipe DESCRIPTION ARGS...
	local d=$1
	shift
	"$S" "$@" 2>"$WORK/err" | head -c 10 >/dev/null
	is "${PIPESTATUS[0]}" 0 "$d | head: exit 0"
	grep -Eiq "error|pipe" "$WORK/err"
	is "$?" 1 "$d | head: no error message"
}
# shellcheck disable=SC2086
pipe "stat of 2000 segments" stat $many
pipe "gc --dry-run of 2000 orphans" gc --dry-run --older-than 0
pipe "list --json" list --json
pipe "cat --hex" cat --hex "$b"

done_testing

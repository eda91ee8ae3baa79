#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Is the creator still running? The COMMAND column, stat's creator pid
# and gc --creator-gone against the real kernel: a zombie creator, a
# process that reuses the creator's pid (ns_last_pid hands it out), an
# IPC_SET that moves ctime, a creator that /proc hides (hidepid=2) or
# that lives in a PID namespace this one does not see. Runs in private
# IPC, PID and mount namespaces.
. "$(dirname "$0")/lib.sh"
in_private_ipc_pid "$@"

S=$SHMTOOL
H=$SHM_HELPER
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
field() { tail -n +2 /proc/sysvipc/shm | awk -v id="$1" -v f="$2" '$2 == id { print $f }'; }
command_of() { "$S" list -J -o ID,COMMAND | jq -r ".shm[] | select(.id == $1) | .command"; }
action_of() {	# action_of ID GC-OPTIONS...: ACTION and REASON of the row of ID
	local id=$1
	shift
	"$S" gc "$@" -rn -o ID,ACTION,REASON 2>/dev/null | awk -v id="$id" '$1 == id { $1 = ""; print substr($0, 2) }'
}
# wait_past SECOND: poll the clock until it is 50 ms into the second after
# SECOND, so that what starts then started more than a second after any
# time the kernel recorded as SECOND (times are whole seconds, truncated)
wait_past() {
	local limit=$((($1 + 1) * 1000000000 + 50000000))
	while [ "$(date +%s%N)" -lt "$limit" ]; do sleep 0.01; done
}
# reuse_pid PID: a new process (sleep) that gets PID, in $holder; the
# fork right after the write takes the next pid
reuse_pid() {
	echo $(($1 - 1)) >/proc/sys/kernel/ns_last_pid
	sleep 600 &
	holder=$!
	HOLDERS="$HOLDERS $holder"
	[ "$holder" = "$1" ] || { echo "Bail out! pid $1 not handed out again (got $holder)"; exit 1; }
}

# a running creator: its command line, kept by gc --creator-gone
own 0 4096 600
alive=$line
alive_pid=$holder
is "$(command_of "$alive")" "$H own 0 4096 600" "COMMAND: the running creator's command line"
is "$(action_of "$alive" --creator-gone --dry-run --older-than 0)" "" "--creator-gone: a running creator keeps its segment"

# a zombie creator has exited: gone
spawn zombie 0 4096 600
read -r zomb zpid <<<"$line"
is "$(field "$zomb" 5)" "$zpid" "zombie: the creator is the child"
is "$(cut -d' ' -f3 "/proc/$zpid/stat")" Z "zombie: the child is a zombie, unreaped"
is "$(command_of "$zomb")" null "zombie: no COMMAND"
is "$(action_of "$zomb" --creator-gone --dry-run --older-than 0)" "would\\x20remove" \
	"zombie: --creator-gone selects its segment"
like "$("$S" stat "$zomb")" "Creator pid: +$zpid \(not running\)" "zombie: stat says not running"

# a creator whose main thread ended while another runs: the leader shows
# Z, the process runs on
spawn ownthread 0 4096 600
thr=$line
thr_pid=$holder
is "$(cut -d' ' -f3 "/proc/$thr_pid/stat")" Z "leader gone: the leader shows Z"
is "$(action_of "$thr" --creator-gone --dry-run --older-than 0)" "" \
	"leader gone, a thread runs: --creator-gone keeps its segment"

# a process that reuses the creator's pid more than a second after the
# segment's time is not the creator, however close (start times to the
# tick, boot time to the nanosecond): no COMMAND. But it is not surely
# another process either (a forward step of the wall clock makes the
# creator look as young): gc --creator-gone keeps the segment, unknown,
# until a day has passed (CREATOR_REUSE_MARGIN, tests/unit/test-orphan)
reused=$("$H" create 0 4096 600)
cpid=$(field "$reused" 5)
wait_past "$(field "$reused" 14)"
reuse_pid "$cpid"
is "$(command_of "$reused")" null "pid reused a second later: no COMMAND"
is "$(action_of "$reused" --creator-gone --dry-run --older-than 0)" "skipped creator\\x20unknown" \
	"pid reused a second later: --creator-gone keeps the segment, creator unknown"
like "$("$S" stat "$reused")" "Creator pid: +$cpid \(unknown: the pid runs a process started after the segment\)" \
	"pid reused: stat says the pid runs a later process"

# an IPC_SET moves ctime past the reuser's start: the attach and detach
# recorded before still tell
moved=$("$H" create 0 4096 600)
cpid=$(field "$moved" 5)
"$H" flap 1 "$moved" >/dev/null                # attached and detached: atime, dtime
wait_past "$(field "$moved" 13)"
reuse_pid "$cpid"
"$H" chown "$moved" 0                            # IPC_SET: ctime is now
[ "$(field "$moved" 14)" -gt "$(field "$moved" 12)" ]
ok $? "IPC_SET moved ctime past atime"
is "$(command_of "$moved")" null "pid reused, then IPC_SET: no COMMAND"
is "$(action_of "$moved" --creator-gone --dry-run --older-than 0)" "skipped creator\\x20unknown" \
	"pid reused, then IPC_SET: still told from the creator, creator unknown"

# the creator in a PID namespace this one does not see: cpid 0, unknown
run unshare --pid --fork "$S" gc --creator-gone --dry-run --older-than 0 -rn -o ID,CPID,ACTION,REASON
is "$rc" 0 "another PID namespace: exit 0"
like "$out" "^$alive 0 skipped creator\\\\x20unknown" "another PID namespace: cpid 0 is unknown, never gone"
like "$out" "^$zomb 0 skipped creator\\\\x20unknown" "another PID namespace: even a gone creator is unknown"
! grep -q "would" <<<"$out"
ok $? "another PID namespace: --creator-gone selects nothing"
like "$err" "skipped [0-9]+: [0-9]+ creator unknown" "another PID namespace: the summary says why"
like "$(unshare --pid --fork "$S" stat "$alive")" "Creator pid: +unknown \(in a PID namespace not visible here\)" \
	"another PID namespace: stat says the creator pid is not visible"

# hidepid=2: another user's processes are not in /proc, but they run
"$H" chown "$alive" 65534                       # the caller may remove it
gone=$("$H" create 0 4096 600)
"$H" chown "$gone" 65534
mount -o remount,hidepid=2 /proc
run nobody "$S" gc --creator-gone --dry-run --older-than 0 -rn -o ID,ACTION,REASON
is "$rc" 0 "hidepid=2: exit 0"
like "$out" "^$alive skipped creator\\\\x20unknown" "hidepid=2: a hidden running creator is unknown, not gone"
like "$out" "^$gone would\\\\x20remove" "hidepid=2: a creator that exited is still gone"
run nobody "$S" gc --creator-gone --older-than 0 -rn -o ID,ACTION,REASON
like "$out" "^$alive skipped creator\\\\x20unknown" "hidepid=2: the real run keeps it too"
[ -n "$(field "$alive" 2)" ]
ok $? "hidepid=2: the segment of the hidden creator is still there"
is "$(field "$gone" 2)" "" "hidepid=2: the segment of the gone creator was removed"
is "$(nobody "$S" list -J -o ID,COMMAND | jq -r ".shm[] | select(.id == $alive) | .command")" null \
	"hidepid=2: no COMMAND for a hidden creator"
like "$(nobody "$S" stat "$alive")" "Creator pid: +$alive_pid \(unknown: not visible here\)" \
	"hidepid=2: stat does not call it not running"
mount -o remount,hidepid=0 /proc

done_testing

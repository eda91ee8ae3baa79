#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The scan of who uses the POSIX objects (list, stat, gc and metrics
# --posix), against what makes it unsafe: a process holding open a file
# of a file system whose stat never returns (a FUSE mount whose server
# does not answer). Runs in private IPC, PID and mount namespaces with
# /proc and a tmpfs on /dev/shm of its own (where gc removes nothing
# without --force: the processes outside the PID namespace are unknown).
. "$(dirname "$0")/lib.sh"
in_private_shm_pid "$@"
private_dev_shm

S=$SHMTOOL
D=/dev/shm
obj() { old_obj "$@"; }

obj mapped 4096
spawn posixmap "$D/mapped"
obj openonly 8192
spawn_cmd bash -c 'exec 5<"$1"; echo ready; exec sleep 600' _ "$D/openonly"
obj unused 100

# A FUSE mount whose server never answers: every request to it waits
# for good (a stat of its root is one). A process holds its root open
# with O_PATH, which asks the server nothing; the scan must find the
# objects in use without a stat through that process's descriptor. If
# it stats it, it hangs: timeout ends it (SIGKILL, as SIGTERM cannot).
if [ -c /dev/fuse ] && grep -qw fuse /proc/filesystems &&
   mkdir "$WORK/fuse" &&
   spawn_cmd bash -c 'exec 3<>/dev/fuse && mount -t fuse -o fd=3,rootmode=40000,user_id=0,group_id=0 shmtool-test "$1" && echo ready && exec sleep 600' _ "$WORK/fuse" &&
   [ "$line" = ready ]; then
	server=$holder
	spawn opath "$WORK/fuse"
	fuse_user=$holder
	run timeout -s KILL 120 "$S" list --posix -rn -o NAME,USE
	is "$rc:$(sed 's/ *$//' <<<"$out")" "0:mapped mapped
openonly open
unused unused" "list --posix, a process holding a file of a FUSE mount that never answers: done, every use found"
	run timeout -s KILL 120 "$S" stat --posix openonly -J
	is "$rc:$(jdocs <<<"$out" | jq -c '.processes | map(.use)')" '0:["open"]' "stat --posix: done, its holder found"
	run timeout -s KILL 120 "$S" metrics --posix
	is "$rc:$(awk '$1 == "shmtool_posix_orphaned_objects" { print $2 }' <<<"$out")" "0:1" "metrics --posix: done"
	run timeout -s KILL 120 "$S" gc --posix --force --dry-run --older-than 0 -rn -o NAME,ACTION
	is "$rc:$out" "0:unused would\\x20remove" "gc --posix --dry-run: done, only the unused object"
	release "$fuse_user"
	release "$server"	# its /dev/fuse closed: the connection ends
	umount "$WORK/fuse"
else
	for _ in 1 2 3 4; do skip "no FUSE here (/dev/fuse and the fuse file system)"; done
fi

# /proc mounted hidepid=invisible: to an unprivileged caller, the
# processes of others are not there at all, so none is denied; an
# object that a root process maps looks unused. That is not "unused":
# the scan knows that /proc hides processes.
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
obj hiddenuse 4096
chown 65534 "$D/hiddenuse"
touch -d '1 hour ago' "$D/hiddenuse"
spawn posixmap "$D/hiddenuse"
mapper=$holder
if mount -o remount,hidepid=invisible /proc 2>/dev/null; then
	run nobody "$S" list --posix -rn -o NAME,USE
	like "$out" "^hiddenuse unused$" "hidepid: to nobody, the object root maps looks unused"
	like "$err" "cannot see every process \(/proc hides some: hidepid, or another PID namespace\): an object shown unused may be in use" \
		"hidepid: list --posix says that it cannot see every process"
	run nobody "$S" stat --posix hiddenuse
	like "$err" "cannot see every process .*: some that use an object may be missing" "hidepid: stat --posix says it too"
	run nobody "$S" gc --posix --older-than 0 -u nobody -rn -o NAME,ACTION,REASON
	is "$rc:$out" "1:hiddenuse skipped use\x20unknown" "hidepid: unprivileged gc keeps the object a hidden process maps, exit 1"
	like "$err" "cannot see every process .*: nothing is removed, as any object may be in use \(--force removes anyway\)" \
		"hidepid: gc says why"
	[ -f "$D/hiddenuse" ]
	ok $? "hidepid: the object is still there"
	run nobody "$S" metrics --posix
	is "$(awk '$1 == "shmtool_posix_uninspected_processes" || $1 == "shmtool_posix_scan_complete" { print $1, $2 }' <<<"$out")" \
		"shmtool_posix_uninspected_processes 1
shmtool_posix_scan_complete 0" "hidepid: metrics --posix does not say that every process was inspected"
	if command -v promtool >/dev/null; then
		run promtool check metrics <<<"$out"
		is "$rc:$out$err" "0:" "hidepid: promtool check metrics"
	fi
	# root, with CAP_SYS_PTRACE, sees every process
	run "$S" list --posix -rn -o NAME,USE
	like "$out" "^hiddenuse mapped" "hidepid: root sees the process that maps it"
	is "$err" "shmtool: cannot see every process (processes outside this PID namespace cannot be seen): an object shown unused may be in use" \
		"hidepid: root is not warned of hidepid, only of the processes outside its PID namespace"
	# the group of gid= sees every process: then root's are denied, not hidden
	mount -o remount,hidepid=invisible,gid=65534 /proc
	run nobody "$S" gc --posix --older-than 0 -u nobody -rn -o NAME,ACTION,REASON
	is "$rc:$out" "1:hiddenuse skipped use\x20unknown" "hidepid with gid=: still nothing removed"
	like "$err" "cannot inspect [0-9]+ processes \(permission denied\)" "hidepid with gid=: root's processes are listed, and denied"
	! grep -q "/proc hides some" <<<"$err"
	ok $? "hidepid with gid=: nothing hidden from the group"
	mount -o remount,hidepid=invisible /proc
	run nobody "$S" gc --posix --force --older-than 0 -u nobody -rn -o NAME,ACTION
	is "$rc:$out" "0:hiddenuse removed" "hidepid: gc --force removes it all the same"
	mount -o remount,hidepid=off /proc
else
	skip "cannot remount /proc with hidepid=invisible"
fi
release "$mapper"

done_testing

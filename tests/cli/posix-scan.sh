#!/bin/bash
# The scan of who uses the POSIX objects (list, stat, gc and metrics
# --posix), against what makes it unsafe: a process holding open a file
# of a file system whose stat never returns (a FUSE mount whose server
# does not answer). Runs in private IPC, PID and mount namespaces with
# /proc and a tmpfs on /dev/shm of its own.
. "$(dirname "$0")/lib.sh"
if [ -z "${SHMTOOL_TEST_IN_NS:-}" ]; then
	if ! unshare --ipc --mount --pid --fork --mount-proc true 2>/dev/null; then
		echo "1..0 # SKIP cannot create IPC, PID and mount namespaces (needs root)"
		exit 0
	fi
	rm -rf "$WORK"   # exec skips the EXIT trap; the new run makes its own
	SHMTOOL_TEST_IN_NS=1 exec unshare --ipc --mount --pid --fork --mount-proc "$BASH" "$0" "$@"
fi
mount -t tmpfs -o size=16m,mode=1777 tmpfs /dev/shm || { echo "1..0 # SKIP cannot mount a tmpfs on /dev/shm"; exit 0; }

S=$SHMTOOL
D=/dev/shm
obj() { head -c "$2" /dev/zero >"$D/$1"; touch -d '1 hour ago' "$D/$1"; }	# obj NAME SIZE: an hour old

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
unused" "list --posix, a process holding a file of a FUSE mount that never answers: done, every use found"
	run timeout -s KILL 120 "$S" stat --posix openonly -J
	is "$rc:$(jq -c '.posix[0].processes | map(.use)' <<<"$out")" '0:["open"]' "stat --posix: done, its holder found"
	run timeout -s KILL 120 "$S" metrics --posix
	is "$rc:$(awk '$1 == "shmtool_posix_orphaned_objects" { print $2 }' <<<"$out")" "0:1" "metrics --posix: done"
	run timeout -s KILL 120 "$S" gc --posix --dry-run --older-than 0 -rn -o NAME,ACTION
	is "$rc:$out" "0:unused would\\x20remove" "gc --posix --dry-run: done, only the unused object"
	release "$fuse_user"
	release "$server"	# its /dev/fuse closed: the connection ends
	umount "$WORK/fuse"
else
	for i in 1 2 3 4; do skip "no FUSE here (/dev/fuse and the fuse file system)"; done
fi

done_testing

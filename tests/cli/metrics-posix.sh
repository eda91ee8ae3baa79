#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shmtool metrics --posix: the POSIX objects of /dev/shm as metrics, next
# to the System V ones. Runs in private IPC, PID and mount namespaces
# with a tmpfs of its own on /dev/shm: every process of the namespace is
# visible, those outside it are not (the scan is not complete there).
. "$(dirname "$0")/lib.sh"
in_private_shm_pid "$@"
private_dev_shm 8m

S=$SHMTOOL
D=/dev/shm
sample() { awk -v n="$1" '$1 == n { print $2 }' <<<"$out"; }	# sample NAME: its value
obj() { head -c "$2" /dev/zero >"$D/$1"; }	# obj NAME SIZE

obj mapped 4096
obj openonly 8192
obj unused 100
obj big 1048576
chown 65534 "$D/big"
touch "$D/sem.lock"				# a semaphore: not an object
spawn posixmap "$D/mapped"
spawn_cmd bash -c 'exec 5<"$1"; echo ready; exec sleep 600' _ "$D/openonly"
"$S" create -s 4K >/dev/null			# a System V orphan

run "$S" metrics --posix
is "$rc" 0 "metrics --posix: exit 0"
is "$err" "" "metrics --posix: nothing on stderr"
is "$(sample shmtool_segments)" 1 "the System V metrics are still there"
is "$(sample shmtool_posix_objects)" 4 "shmtool_posix_objects: not the semaphore"
is "$(sample shmtool_posix_object_bytes)" $((4096 + 8192 + 100 + 1048576)) "shmtool_posix_object_bytes"
is "$(sample shmtool_posix_orphaned_objects)" 2 "shmtool_posix_orphaned_objects: neither mapped nor open"
is "$(sample shmtool_posix_orphaned_bytes)" $((100 + 1048576)) "shmtool_posix_orphaned_bytes"
is "$(sample shmtool_posix_largest_object_bytes)" 1048576 "shmtool_posix_largest_object_bytes"
is "$(sample shmtool_posix_uninspected_processes)" 1 \
	"shmtool_posix_uninspected_processes: root reads every process here, but those outside this PID namespace count 1"
is "$(sample shmtool_posix_scan_complete)" 0 "shmtool_posix_scan_complete: not in a child PID namespace"
is "$(grep '^shmtool_posix_owner_objects{' <<<"$out")" 'shmtool_posix_owner_objects{uid="0",user="root"} 3
shmtool_posix_owner_objects{uid="65534",user="nobody"} 1' "shmtool_posix_owner_objects per user"
is "$(sample 'shmtool_posix_owner_orphaned_bytes{uid="65534",user="nobody"}')" 1048576 \
	"shmtool_posix_owner_orphaned_bytes"
is "$(sample 'shmtool_posix_owner_orphaned_objects{uid="0",user="root"}')" 1 \
	"shmtool_posix_owner_orphaned_objects: root's unused one"
is "$(sample shmtool_posix_fs_size_bytes)" 8388608 "shmtool_posix_fs_size_bytes: the tmpfs size="
read -r blocks bsize < <(stat -f -c '%b %S' "$D")
read -r free < <(stat -f -c '%f' "$D")
is "$(sample shmtool_posix_fs_used_bytes)" $(( (blocks - free) * bsize )) "shmtool_posix_fs_used_bytes: as statfs says"
families=$(grep -v '^#' <<<"$out" | sed 's/[{ ].*//' | uniq)
is "$(sort <<<"$families" | uniq -d)" "" "each family's samples are together"
if command -v promtool >/dev/null; then
	run promtool check metrics <<<"$out"
	is "$rc:$out$err" "0:" "promtool check metrics: no problems with --posix"
fi

# without --posix: no POSIX metric
run "$S" metrics
is "$(grep -c '^shmtool_posix' <<<"$out")" 0 "metrics: no POSIX metric without --posix"

# an unreadable directory: the System V metrics are still written, exit 1
umount /dev/shm
mount -t tmpfs -o mode=000 tmpfs /dev/shm
run setpriv --reuid=65534 --regid=65534 --clear-groups "$S" metrics --posix
is "$rc" 1 "metrics --posix, /dev/shm unreadable: exit 1"
like "$err" "cannot read /dev/shm: " "metrics --posix, /dev/shm unreadable: the message"
is "$(sample shmtool_segments)" 1 "metrics --posix, /dev/shm unreadable: the System V metrics still"
is "$(grep -c '^shmtool_posix' <<<"$out")" 0 "metrics --posix, /dev/shm unreadable: no POSIX metric"

done_testing

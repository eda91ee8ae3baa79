#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# list -A --posix: the objects of the /dev/shm of every mount namespace,
# each file system once (a namespace that copied the mount table shows
# the same tmpfs), with NS and PID; one whose /dev/shm is refused (not
# the root of a tmpfs mount) is said, and the others listed. Runs in
# private IPC, mount and PID namespaces: the walk sees the test's own
# processes only.
. "$(dirname "$0")/lib.sh"
in_private_shm_pid "$@"
private_dev_shm
S=$SHMTOOL
mntns() { stat -L -c %i "/proc/$1/ns/mnt"; }

head -c 4096 /dev/zero >/dev/shm/outer
# a mount namespace with a tmpfs of its own, an object there mapped
spawn_cmd unshare --mount bash -c 'mount -t tmpfs tmpfs /dev/shm && head -c 100 /dev/zero >/dev/shm/inner &&
	exec "$0" posixmap /dev/shm/inner' "$SHM_HELPER"
inner=$holder
# a copy of this mount table: the same /dev/shm, not listed twice
spawn_cmd unshare --mount sh -c 'echo ready; exec sleep 600'
copy=$holder
[ "$(mntns "$copy")" != "$(mntns $$)" ]
ok $? "the copy is a mount namespace of its own"

run "$S" list -A --posix -rn -o NAME,SIZE,USE,NPROCS
is "$rc" 0 "list -A --posix: exit 0"
is "$(sort <<<"$out")" "inner 100B mapped 1
outer 4K unused 0" "list -A --posix: each /dev/shm once, with the use of its objects"
run "$S" list -A --posix -rn -o NS,PID,NAME
is "$(grep ' inner$' <<<"$out")" "$(mntns "$inner") $inner inner" \
	"list -A --posix: NS and PID of the namespace whose /dev/shm holds it"
is "$(grep -c ' outer$' <<<"$out")" 1 "list -A --posix: the shared tmpfs once"
run "$S" list -A --posix
is "$(head -n 1 <<<"$out" | tr -s ' ')" " NS NAME SIZE OWNER PERMS MTIME USE NPROCS" "-A --posix: NS first"
run "$S" list -A --posix -J -o NAME
is "$(jq -c '[.posix[] | select(.name == "inner") | .ns]' <<<"$out")" "[$(mntns "$inner")]" \
	"-A --posix -J: each row says its namespace, a number"
run "$S" list -A --posix --orphaned -rn -o NAME
is "$rc:$out" "0:outer" "-A --posix --orphaned"

# the objects of the --ipc-ns process's namespace alone: no NS there
run "$S" --ipc-ns "$inner" list --posix -rn -o NAME,NS
is "$out" "inner " "--ipc-ns PID list --posix: NS empty"

# a /dev/shm that is a directory below a tmpfs's root: said, exit 1, the
# others still listed
spawn_cmd unshare --mount sh -c 'mkdir -p /run/pxtest && mount -t tmpfs tmpfs /run/pxtest &&
	mkdir /run/pxtest/sub && mount --bind /run/pxtest/sub /dev/shm && echo ready && exec sleep 600'
sub=$holder
run "$S" list -A --posix -rn -o NAME
is "$rc" 1 "a /dev/shm refused: exit 1"
like "$err" "cannot read /proc/$sub/root/dev/shm \(mount namespace $(mntns "$sub")\): not the root of a tmpfs mount" \
	"a /dev/shm refused: said, with its namespace"
is "$(sort <<<"$out" | tr '\n' ' ')" "inner outer " "a /dev/shm refused: the others listed"

expect_status 2 "does not go with --ipc-ns" "--ipc-ns with list -A --posix" \
	"$S" --ipc-ns "$inner" list -A --posix

done_testing

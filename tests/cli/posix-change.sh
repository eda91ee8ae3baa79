#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# chmod --posix and chown --posix: the mode and owner of POSIX objects,
# changed on the object's inode opened relative to /dev/shm, never
# through a symlink and only on a regular file (a fifo is refused at
# once); as root, as the owner and as another user; -v, the messages and
# the exit statuses; --ipc-ns PID in that process's /dev/shm. lock and
# unlock have no POSIX counterpart. Runs in private IPC and mount
# namespaces with a tmpfs of its own on /dev/shm.
. "$(dirname "$0")/lib.sh"
in_private_shm "$@"
private_dev_shm
S=$SHMTOOL
D=/dev/shm
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
other() { setpriv --reuid=1000 --regid=1000 --clear-groups "$@"; }
mode() { stat -c %a "$1"; }
owner() { stat -c %u:%g "$1"; }

head -c 4096 /dev/zero >"$D/obj"
chmod 600 "$D/obj"

# chmod: octal, symbolic, /NAME, -v, a mode kept, a mode like an option
run "$S" chmod 640 --posix obj
is "$rc:$err:$(mode "$D/obj")" "0::640" "chmod --posix 640"
run "$S" chmod -v g+w,o=r --posix /obj
is "$rc:$(mode "$D/obj")" "0:664" "chmod --posix g+w,o=r /NAME"
is "$err" "POSIX object obj: mode 0640 (rw-r-----) -> 0664 (rw-rw-r--)" "chmod --posix -v: old -> new"
run "$S" chmod -v -w --posix obj
is "$rc:$err:$(mode "$D/obj")" "0:POSIX object obj: mode 0664 (rw-rw-r--) -> 0444 (r--r--r--):444" \
	"chmod --posix -w: the mode, not an option"
run "$S" chmod -v a-w --posix obj
is "$rc:$err" "0:POSIX object obj: mode 0444 (r--r--r--) kept" "chmod --posix -v: a mode kept"
expect_status 2 "invalid mode '1777': an object has only the nine permission bits" \
	"chmod --posix 1777" "$S" chmod 1777 --posix obj
expect_status 2 "no POSIX object given" "chmod --posix without a name" "$S" chmod 600 --posix
expect_status 2 "invalid POSIX object name 'a/b'" "chmod --posix a/b" "$S" chmod 600 --posix a/b
expect_status 2 "key does not apply to POSIX objects" "chmod --posix -k" "$S" chmod 600 --posix -k 1 obj
expect_status 2 "POSIX semaphores" "chmod --posix sem.x" "$S" chmod 600 --posix sem.x

# several names, one missing: the others changed, exit 1
head -c 10 /dev/zero >"$D/second"
run "$S" chmod 600 --posix obj missing second
is "$rc:$(mode "$D/obj"):$(mode "$D/second")" "1:600:600" "chmod --posix: one missing, the others changed, exit 1"
is "$err" "shmtool: no POSIX object named missing" "chmod --posix: the missing one said"

# the owner may, another user may not; a mode of 000 needs no read right
chown 65534:65534 "$D/obj"
chmod 000 "$D/obj"
run nobody "$S" chmod -v u+rw --posix obj
is "$rc:$(mode "$D/obj")" "0:600" "chmod --posix as the owner, of an object it may not read"
run other "$S" chmod 666 --posix obj
is "$rc:$(mode "$D/obj")" "1:600" "chmod --posix as another user: exit 1, unchanged"
is "$err" "shmtool: cannot change the mode of POSIX object obj: permission denied (only its owner or a privileged user may)" \
	"chmod --posix as another user: says who may"

# chown: USER, USER:GROUP, :GROUP, -v, kept
chown 0:0 "$D/obj"
run "$S" chown nobody --posix obj
is "$rc:$err:$(owner "$D/obj")" "0::65534:0" "chown --posix USER"
run "$S" chown -v 0:65534 --posix obj
is "$rc:$(owner "$D/obj")" "0:0:65534" "chown --posix UID:GID"
is "$err" "POSIX object obj: owner 65534:0 (nobody:root) -> 0:65534 (root:nogroup)" "chown --posix -v: old -> new"
run "$S" chown -v :65534 --posix obj
is "$rc:$err" "0:POSIX object obj: owner 0:65534 (root:nogroup) kept" "chown --posix -v: an owner kept"
# the owner may not give it away, and may set a group of its own only
chown 65534:0 "$D/obj"
run nobody "$S" chown 1000 --posix obj
is "$rc:$(owner "$D/obj")" "1:65534:0" "chown --posix as the owner to another user: exit 1, unchanged"
like "$err" "cannot change the owner of POSIX object obj: permission denied \(only a privileged user may give it away" \
	"chown --posix: says who may"
run nobody "$S" chown :65534 --posix obj
is "$rc:$(owner "$D/obj")" "0:65534:65534" "chown --posix :GROUP as the owner, a group it is in"
run other "$S" chown :1000 --posix obj
is "$rc:$(owner "$D/obj")" "1:65534:65534" "chown --posix as another user: exit 1, unchanged"

# a symlink in /dev/shm to a file of root's: refused, the target untouched
echo secret >"$WORK/target"
chmod 600 "$WORK/target"
ln -s "$WORK/target" "$D/link"
ln -s "$D/obj" "$D/link2"
for c in "chmod 666:mode" "chown nobody:owner"; do
	# shellcheck disable=SC2086
	run "$S" ${c%:*} --posix link link2
	is "$rc" 1 "${c%:*} --posix on a symlink: exit 1"
	is "$err" "shmtool: cannot change the ${c#*:} of POSIX object link: not a regular file
shmtool: cannot change the ${c#*:} of POSIX object link2: not a regular file" \
		"${c%:*} --posix on a symlink: not a regular file"
done
is "$(stat -c '%a %u' "$WORK/target"):$(mode "$D/obj"):$(owner "$D/obj")" "600 0:600:65534:65534" \
	"the symlinks' targets untouched"

# a fifo, a directory: refused at once, no hang
mkfifo "$D/fifo"
mkdir "$D/dir"
run timeout 10 "$S" chmod 666 --posix fifo dir
is "$rc" 1 "chmod --posix on a fifo and a directory: exit 1, no hang"
like "$err" "POSIX object fifo: not a regular file" "chmod --posix on a fifo: not a regular file"
like "$err" "POSIX object dir: not a regular file" "chmod --posix on a directory: not a regular file"
run timeout 10 "$S" chown nobody --posix fifo
is "$rc:$(owner "$D/fifo")" "1:0:0" "chown --posix on a fifo: exit 1, no hang, unchanged"

# --ipc-ns PID: in that process's own /dev/shm, not in this one's
spawn_cmd unshare --ipc --mount bash -c 'mount -t tmpfs tmpfs /dev/shm && head -c 512 /dev/zero >/dev/shm/obj && chmod 600 /dev/shm/obj && echo ready && exec sleep 600'
inner=$holder
run "$S" --ipc-ns "$inner" chmod 644 --posix obj
is "$rc:$(mode "/proc/$inner/root/dev/shm/obj"):$(mode "$D/obj")" "0:644:600" \
	"--ipc-ns PID chmod --posix: its object, not this namespace's"
run "$S" --ipc-ns "$inner" chown 65534:65534 --posix obj
is "$rc:$(owner "/proc/$inner/root/dev/shm/obj")" "0:65534:65534" "--ipc-ns PID chown --posix"
expect_status 1 "no POSIX object named second" "--ipc-ns PID chmod: this namespace's objects not seen" \
	"$S" --ipc-ns "$inner" chmod 600 --posix second
release "$inner"
expect_status 2 "does not go with --ipc-ns PATH" "--ipc-ns PATH chmod --posix" \
	"$S" --ipc-ns /proc/self/ns/ipc chmod 600 --posix obj

# lock and unlock: a POSIX object has no lock
for c in lock unlock; do
	expect_status 2 "unrecognized option '--posix'" "$c --posix: a usage error" "$S" "$c" --posix obj
done

done_testing

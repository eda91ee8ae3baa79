#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --ipc-ns PID --posix when PID belongs to an unprivileged user: its
# /dev/shm is whatever that user made it. shmtool, run as root, uses the
# directory only if it is the root of a tmpfs mount reached with no
# symlink, and acts there with no more right than PID has: it never
# reads, writes or unlinks root's files through such a namespace.
# --ipc-ns PATH names no /dev/shm at all: --posix is a usage error there.
# Runs in private IPC, mount and PID namespaces: every process there can
# be inspected; those outside the PID namespace cannot be seen, so gc
# --posix runs with --force, not to be held back by them.
. "$(dirname "$0")/lib.sh"
in_private_shm_pid "$@"
private_dev_shm
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if ! "${NOBODY[@]}" unshare -Urm true 2>/dev/null; then
	echo "1..0 # SKIP an unprivileged user cannot make user namespaces here"
	exit 0
fi

S=$SHMTOOL
chmod 755 "$WORK"

# root's files: a directory on the test's own file system, and a tmpfs
# of root's with a file only root may read and one anyone may read
mkdir -m 755 "$WORK/victim" "$WORK/rootfs"
echo secret >"$WORK/victim/important.conf"
chmod 600 "$WORK/victim/important.conf"
mount -t tmpfs -o size=1m,mode=755 tmpfs "$WORK/rootfs"
trap 'umount "$WORK/rootfs"; cleanup' EXIT
mkdir -m 755 "$WORK/rootfs/sub"
for f in important.conf sub/important.conf; do
	echo secret >"$WORK/rootfs/$f"
	chmod 600 "$WORK/rootfs/$f"
done
echo public >"$WORK/rootfs/world"
chmod 644 "$WORK/rootfs/world"
root_files() {
	(cd "$WORK" && find victim rootfs -type f -exec md5sum {} + -printf '%m %U:%G %p\n' | sort)
}
before=$(root_files)

# attacker SETUP: a process of user 65534 in user, mount and IPC
# namespaces of its own, after SETUP ran there; its pid in $attacker
attacker() {
	spawn_cmd "${NOBODY[@]}" unshare -Urm --ipc sh -c "$1"' && echo ready && exec sleep 600'
	attacker=$holder
}

# every --posix command that reads, writes or removes, refused with
# exit 1 and the reason in `why`; nothing printed of root's files
refused_everywhere() {	# refused_everywhere WHAT WHY
	local c
	for c in "list --posix" "stat --posix important.conf" "cat --posix important.conf" \
		"attach-write --posix important.conf --string x" "rm --posix important.conf" \
		"gc --posix --older-than 0" "create --posix new -s 4K" "metrics --posix" \
		"chmod 666 --posix important.conf" "chown 65534 --posix important.conf"; do
		# shellcheck disable=SC2086
		run "$S" --ipc-ns "$attacker" $c
		is "$rc" 1 "$1: $c: exit 1"
		like "$err" "$2" "$1: $c: says why"
		grep -Eq "secret|important" <<<"$out"
		is "$?" 1 "$1: $c: nothing of root's files shown"
	done
}

# /dev/shm a bind mount of root's directory on another file system
attacker "mount --bind '$WORK/victim' /dev/shm"
refused_everywhere "bind mount of a disk directory" "not a tmpfs file system"
release "$attacker"

# a bind mount of a directory below the root of root's tmpfs
attacker "mount --bind '$WORK/rootfs/sub' /dev/shm"
refused_everywhere "bind mount of a tmpfs subdirectory" "not the root of a tmpfs mount"
release "$attacker"

# /dev a tmpfs of the attacker's, /dev/shm in it a symlink to root's tmpfs
attacker "mount -t tmpfs tmpfs /dev && ln -s '$WORK/rootfs' /dev/shm"
refused_everywhere "/dev/shm a symlink" "a symbolic link is on the way"
release "$attacker"

# the whole of root's tmpfs bind-mounted there: a tmpfs mount root, so
# it is used, with the right of user 65534 only
attacker "mount --bind '$WORK/rootfs' /dev/shm"
run "$S" --ipc-ns "$attacker" cat --posix important.conf
is "$rc:$out" "1:" "root's tmpfs: cat of root's 0600 file: exit 1, nothing printed"
like "$err" "cannot read POSIX object important.conf: permission denied" "root's tmpfs: cat: permission denied"
run "$S" --ipc-ns "$attacker" cat --posix world
is "$rc:$out" "0:public" "root's tmpfs: a file the process may read is read"
run "$S" --ipc-ns "$attacker" attach-write --posix world --string x
is "$rc" 1 "root's tmpfs: attach-write to root's file: exit 1"
like "$err" "permission denied" "root's tmpfs: attach-write: permission denied"
run "$S" --ipc-ns "$attacker" rm --posix world
is "$rc" 1 "root's tmpfs: rm of root's file: exit 1"
like "$err" "cannot remove POSIX object world: permission denied" "root's tmpfs: rm: permission denied"
run "$S" --ipc-ns "$attacker" gc --posix --force --dry-run --older-than 0 -rn -o NAME,ACTION
grep -q "would remove" <<<"$out"
is "$?" 1 "root's tmpfs: the dry run predicts no removal, as the real run does"
run "$S" --ipc-ns "$attacker" gc --posix --force --older-than 0 -rn -o NAME,ACTION
is "$rc" 1 "root's tmpfs: gc: exit 1"
grep -q removed <<<"$out"
is "$?" 1 "root's tmpfs: gc removed nothing"
run "$S" --ipc-ns "$attacker" create --posix new -s 4K
is "$rc" 1 "root's tmpfs: create in root's directory: exit 1"
run "$S" --ipc-ns "$attacker" chmod 666 --posix world
is "$rc" 1 "root's tmpfs: chmod of root's file: exit 1"
like "$err" "cannot change the mode of POSIX object world: permission denied" "root's tmpfs: chmod: permission denied"
run "$S" --ipc-ns "$attacker" chown 65534 --posix world
is "$rc" 1 "root's tmpfs: chown of root's file: exit 1"
like "$err" "cannot change the owner of POSIX object world: permission denied" "root's tmpfs: chown: permission denied"
release "$attacker"
is "$(root_files)" "$before" "root's files: all there, unchanged"
[ ! -e "$WORK/rootfs/new" ]
ok $? "root's files: nothing created among them"

# a namespace of the user's own, its own tmpfs: everything works there
attacker "mount -t tmpfs tmpfs /dev/shm && echo mine >/dev/shm/mine"
run "$S" --ipc-ns "$attacker" cat --posix mine
is "$rc:$out" "0:mine" "the user's own tmpfs: cat of its object"
run "$S" --ipc-ns "$attacker" attach-write --posix mine --string MINE
is "$rc" 0 "the user's own tmpfs: attach-write"
run "$S" --ipc-ns "$attacker" create --posix made -s 4K
is "$rc" 0 "the user's own tmpfs: create"
run "$S" --ipc-ns "$attacker" chmod 604 --posix made
is "$rc:$(stat -c %a "/proc/$attacker/root/dev/shm/made")" "0:604" "the user's own tmpfs: chmod of its object"
run "$S" --ipc-ns "$attacker" stat --posix made -J
is "$(jdocs <<<"$out" 2>/dev/null | jq -r '.posix[0].uid')" 65534 \
	"the user's own tmpfs: a new object belongs to the process's user"
run "$S" --ipc-ns "$attacker" gc --posix --force --dry-run --older-than 0 -rn -o NAME,ACTION
is "$rc:$out" "0:made would\\x20remove
mine would\\x20remove" "the user's own tmpfs: the dry run predicts both"
run "$S" --ipc-ns "$attacker" gc --posix --force --older-than 0 -rn -o NAME,ACTION
is "$rc:$out" "0:made removed
mine removed" "the user's own tmpfs: gc removes its orphans"
release "$attacker"

# a container's sticky /dev/shm of root's, its process user 1000 and an
# object of user 2000 there: the kernel lets user 1000 not remove it, and
# the dry run says so too (it predicted root's right before). "ready"
# once it is user 1000, not before: a dry run in between sees root
spawn_cmd unshare --mount --ipc sh -c 'mount -t tmpfs -o mode=1777 tmpfs /dev/shm &&
	echo x >/dev/shm/other && chown 2000:2000 /dev/shm/other && touch -d @1 /dev/shm/other &&
	exec setpriv --reuid=1000 --regid=1000 --clear-groups sh -c "echo ready; exec sleep 600"'
run "$S" --ipc-ns "$holder" gc --posix --force --dry-run --older-than 0 -rn -o NAME,ACTION,REASON
is "$rc:$out" "0:other skipped permission\\x20denied" \
	"a user's process in a sticky /dev/shm: the dry run predicts the refusal"
run "$S" --ipc-ns "$holder" gc --posix --force --older-than 0 -rn -o NAME,ACTION,REASON
is "$rc:$out" "1:other failed permission\\x20denied" "and the real run is refused"
release "$holder"

# --ipc-ns PATH: an IPC namespace only, no mount namespace: --posix is
# a usage error, for every command, and nothing here is touched
echo keep >/dev/shm/keep
spawn_cmd unshare --ipc sh -c 'echo ready; exec sleep 600'
ns=/proc/$holder/ns/ipc
for c in "list --posix" "stat --posix keep" "cat --posix keep" "attach-write --posix keep --string x" \
	"rm --posix keep" "gc --posix --older-than 0" "create --posix new -s 4K" "metrics --posix"; do
	# shellcheck disable=SC2086
	expect_status 2 "^shmtool: --posix does not go with --ipc-ns PATH" "--ipc-ns PATH $c" \
		"$S" --ipc-ns "$ns" $c
done
is "$(ls /dev/shm):$(cat /dev/shm/keep)" "keep:keep" "--ipc-ns PATH --posix: this /dev/shm untouched"
# the usage error comes first, whatever the path is
mkfifo "$WORK/fifo"
expect_status 2 "^shmtool: --posix does not go with --ipc-ns PATH" "--ipc-ns MISSING-PATH list --posix" \
	"$S" --ipc-ns "$WORK/missing" list --posix
expect_status 2 "^shmtool: --posix does not go with --ipc-ns PATH" "--ipc-ns FIFO gc --posix" \
	timeout 20 "$S" --ipc-ns "$WORK/fifo" gc --posix
release "$holder"

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Unprivileged (uid 65534, no groups): the commands not covered elsewhere
# (list, stat, rm, cat, attach-write and gc are, in their own files)
# either work or fail with 'permission denied', and change nothing of
# root's. shmtool is never set-uid.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"
command -v setpriv >/dev/null || { echo "1..0 # SKIP no setpriv"; exit 0; }

S=$SHMTOOL
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
root_seg=$("$S" create -s 4096 -k 0x600 -m 600)
"$S" attach-write "$root_seg" --string secret

[ ! -u "$S" ] && [ ! -g "$S" ]
ok $? "shmtool is not set-uid or set-gid"

# create: works, the segment is the caller's
before=$(shm_snapshot)
run nobody "$S" create -s 4096 -m 600
is "$rc:$err" "0:" "unprivileged create: exit 0"
mine=$out
is "$(tail -n +2 /proc/sysvipc/shm | awk -v id="$mine" '$2 == id { print $8 }')" 65534 \
	"unprivileged create: the segment belongs to the caller"
"$S" rm "$mine"
is "$(shm_snapshot)" "$before" "unprivileged create: nothing else changed"

# create --reuse of root's 0600 key: the id (anyone may look a key up),
# nothing changed; using it is what needs permission
run nobody "$S" create -s 4096 -k 0x600 --reuse
is "$rc:$out" "0:$root_seg" "unprivileged create --reuse of root's key: its id"
is "$(shm_snapshot)" "$before" "unprivileged create --reuse: nothing changed"
# and without --reuse, the key exists whoever owns it
expect_status 1 "key 0x00000600 already exists" "unprivileged create of an existing key" \
	nobody "$S" create -s 4096 -k 0x600
is "$(shm_snapshot)" "$before" "unprivileged create of an existing key: nothing changed"

# ftok: a readable path works, an unreadable directory is permission denied
mkdir -m 700 "$WORK/private"
touch "$WORK/private/f" "$WORK/pub"
chmod 711 "$WORK"
run nobody "$S" ftok "$WORK/pub"
is "$rc:$out" "0:$("$S" ftok "$WORK/pub")" "unprivileged ftok of a readable path: the same key as root's"
expect_status 1 "cannot use '$WORK/private/f' for ftok: Permission denied" "unprivileged ftok behind a closed directory" \
	nobody "$S" ftok "$WORK/private/f"

# every command against root's 0600 segment: works, or permission denied
for args in "list" "stat $root_seg" "cat $root_seg" "attach-write $root_seg --string x" \
	"rm $root_seg" "gc --older-than 0" "create -s 1 -k 0x600 --reuse" "ftok $WORK/private/f"; do
	# shellcheck disable=SC2086
	run nobody "$S" $args
	if [ "$rc" -eq 0 ]; then
		ok 0 "unprivileged $args: works"
	else
		like "$err" "[Pp]ermission denied" "unprivileged $args: permission denied"
	fi
	tail -n +2 /proc/sysvipc/shm | awk -v id="$root_seg" '$2 == id' | grep -q .
	ok $? "unprivileged $args: root's segment still there"
done
is "$("$S" cat "$root_seg" --string)" secret "root's data unchanged after every command"
is "$(tail -n +2 /proc/sysvipc/shm | awk '$8 == 65534' | wc -l)" 0 "no segment left behind by the unprivileged runs"

done_testing

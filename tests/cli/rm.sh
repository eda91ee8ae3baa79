#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shmtool rm: by id and key, attached segments, distinct messages,
# going on past failures.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"

S=$SHMTOOL
a=$("$S" create -s 4096)
b=$("$S" create -s 4096 -k 0x1111)
c=$("$S" create -s 4096)

run "$S" rm -v "$a"
is "$rc" 0 "rm ID: exit 0"
like "$err" "removed segment $a \(key 0x00000000, 4096 bytes\)" "-v names the removal"
is "$(tail -n +2 /proc/sysvipc/shm | awk -v id="$a" '$2 == id' | wc -l)" 0 "the segment is gone"

run "$S" rm -k 0x1111
is "$rc:$out:$err" "0::" "rm -k KEY: exit 0, quiet"
is "$(tail -n +2 /proc/sysvipc/shm | awk -v id="$b" '$2 == id' | wc -l)" 0 "removed by key"

# attached: removed as the kernel does it, and said so
hold "$c" "$c"
h=$holder
run "$S" rm "$c"
is "$rc" 0 "rm of an attached segment: exit 0"
like "$err" "segment $c removed: still attached 2 times by process $h; it is destroyed at the last detach" \
	"names the attachments and the process that holds them"
is "$("$S" list -rn -o STATUS --sort ID | head -n 1)" dest "the segment is dest"
expect_status 1 "segment $c is already removed \(destroyed when its 2 attachments go\)" "already removed" "$S" rm "$c"
release "$h"
# one attachment: said in English, and by whom
c=$("$S" create -s 64)
hold "$c"
h=$holder
run "$S" rm "$c"
like "$err" "segment $c removed: still attached 1 time by process $h; it is destroyed at the last detach" \
	"one attachment: 1 time, the process named"
expect_status 1 "segment $c is already removed \(destroyed when its last attachment goes\)" \
	"already removed, one attachment left" "$S" rm "$c"
release "$h"
# attached by a process that this /proc does not show (rm runs in a PID
# namespace of its own): counted, not named
c=$("$S" create -s 64)
hold "$c"
run unshare --pid --fork --mount-proc "$S" rm "$c"
like "$err" "segment $c removed: still attached 1 time by 1 mapping in processes not visible here" \
	"attached where /proc does not show it: the mapping counted, not named"
release "$holder"
is "$(tail -n +2 /proc/sysvipc/shm | wc -l)" 0 "destroyed at the last detach"

# failures: go on with the rest, exit 1 at the end
d=$("$S" create -s 64)
e=$("$S" create -s 64)
run "$S" rm 99999 "$d" -k 0xbad "$e"
is "$rc" 1 "a failure among several: exit 1"
like "$err" "no segment with id 99999" "an unknown id: message"
like "$err" "no segment with key 0x00000bad" "an unknown key: message"
is "$(tail -n +2 /proc/sysvipc/shm | wc -l)" 0 "the others were removed"

# usage errors
f=$("$S" create -s 64)
before=$(shm_snapshot)
expect_status 2 "no segment given" "no id" "$S" rm
expect_status 2 "key 0 is IPC_PRIVATE" "rm -k 0" "$S" rm -k 0
expect_status 2 "invalid segment id: 'x1'" "a bad id" "$S" rm x1
expect_status 2 "unrecognized option '--all'" "no --all (that is gc)" "$S" rm --all
is "$(shm_snapshot)" "$before" "usage errors remove nothing"

# unprivileged: permission denied, nothing removed
if command -v setpriv >/dev/null; then
	expect_status 1 "cannot remove segment $f: permission denied" "unprivileged rm" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$S" rm "$f"
	is "$(shm_snapshot)" "$before" "unprivileged rm: the segment is still there"
fi

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# chmod, chown, lock and unlock: IPC_SET, SHM_LOCK and SHM_UNLOCK on
# segments by id, key and ftok path, as root and as an unprivileged owner
# and non-owner; several targets (one failing), -v, the messages and the
# exit statuses; the same figures as ipcs shows.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"
S=$SHMTOOL
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
perms() { "$S" list -rn -o PERMS --numeric-perms --key "$1"; }
field() { "$S" list -rn -o "$2" --key "$1"; }

a=$("$S" create -s 4096 -k 0x61)
b=$("$S" create -s 4096 -k 0x62 -m 0644)

# chmod: octal, symbolic, by key, -v, a mode that looks like an option
run "$S" chmod 640 "$a"
is "$rc:$err:$(perms 0x61)" "0::0640" "chmod 640"
run "$S" chmod g+w,o=r -k 0x61
is "$rc:$(perms 0x61)" "0:0664" "chmod g+w,o=r -k KEY"
run "$S" chmod -v -w "$a"
is "$rc:$(perms 0x61)" "0:0444" "chmod -w: the mode, not an option"
is "$err" "segment $a: mode 0664 (rw-rw-r--) -> 0444 (r--r--r--)" "chmod -v: old -> new"
run "$S" chmod -v a-w "$a"
is "$rc:$err" "0:segment $a: mode 0444 (r--r--r--) kept" "chmod -v: a mode kept"
is "$(ipcs -m -i "$a" | sed -n 's/.*mode=\([0-7]*\).*/\1/p')" 0444 "ipcs sees the mode chmod set"
touch "$WORK/ftok"
c=$("$S" create -s 4096 --ftok "$WORK/ftok")
run "$S" chmod u=rw,g=u --ftok "$WORK/ftok"
is "$rc:$(field "$(printf '0x%08x' "$("$S" ftok "$WORK/ftok" | awk '{ print $NF }')")" PERMS)" \
	"0:rw-rw----" "chmod --ftok, g=u"

# several targets: one that names no segment, the others changed, exit 1
run "$S" chmod 600 "$a" 9999 "$b"
is "$rc" 1 "chmod with a missing segment: exit 1"
is "$err" "shmtool: no segment with id 9999" "chmod with a missing segment: said"
is "$(perms 0x61):$(perms 0x62)" "0600:0600" "chmod with a missing segment: the others changed"

# usage errors
for bad in 1777 u+s 'g+rz' ''; do
	run "$S" chmod "$bad" "$a"
	is "$rc" 2 "chmod '$bad': exit 2"
done
like "$err" "invalid mode ''" "chmod '': says what is wrong"
run "$S" chmod 1777 "$a"
like "$err" "at most 0777" "chmod 1777: only the nine bits"
run "$S" chmod 640
is "$rc:$err" "2:shmtool: no segment given
Try 'shmtool chmod --help' for more information." "chmod without a segment: exit 2"

# chown: user, user:group, :group, user: (login group), numbers
run "$S" chown nobody "$a"
is "$rc:$(field 0x61 OWNER):$(field 0x61 GROUP)" "0:nobody:root" "chown USER"
run "$S" chown -v 0:65534 "$a"
is "$rc:$err" "0:segment $a: owner 65534:0 (nobody:root) -> 0:65534 (root:nogroup)" \
	"chown UID:GID -v"
run "$S" chown :root "$a"
is "$(field 0x61 GROUP)" root "chown :GROUP"
run "$S" chown nobody: "$a"
is "$(field 0x61 OWNER):$(field 0x61 GID)" "nobody:$(id -g nobody)" "chown USER: takes the login group"
is "$(field 0x61 CUID)" 0 "chown keeps the creator"
run "$S" chown no-such-user "$a"
is "$rc:$err" "2:shmtool: unknown user 'no-such-user'
Try 'shmtool chown --help' for more information." "chown: an unknown user, exit 2"
run "$S" chown :no-such-group "$a"
is "$rc" 2 "chown: an unknown group, exit 2"

# unprivileged: the owner may, another user may not
run nobody "$S" chmod 644 "$a"
is "$rc:$err:$(perms 0x61)" "0::0644" "chmod by the owner (nobody)"
run nobody "$S" chmod 644 "$b"
is "$rc" 1 "chmod by another user: exit 1"
is "$err" "shmtool: cannot change the mode of segment $b: permission denied (only its owner, its creator or a privileged user may)" \
	"chmod by another user: says who may"
run nobody "$S" chown nobody "$b"
like "$rc:$err" "^1:.*cannot change the owner of segment $b: permission denied" "chown by another user: refused"
run nobody "$S" chown root "$a"
is "$rc:$(field 0x61 OWNER)" "0:root" "the owner may give the segment away"
e=$(nobody "$S" create -s 4096 -k 0x64)
"$S" chown root "$e"
run nobody "$S" chmod 600 "$e"
is "$rc:$(perms 0x64)" "0:0600" "the creator may still change a segment it gave away"

# lock, unlock: -v, twice, the STATUS column, ipcs's view
run "$S" lock -v "$a"
is "$rc:$err:$(field 0x61 STATUS)" "0:segment $a: locked:locked" "lock -v"
run "$S" lock -v -k 0x61
is "$rc:$err" "0:segment $a: already locked" "lock a locked segment: nothing changes"
ipcs -m | grep -q "^0x00000061 .*locked"
ok $? "ipcs sees the lock"
run "$S" unlock -v "$a" 9999
is "$rc" 1 "unlock with a missing segment: exit 1"
is "$err" "segment $a: unlocked
shmtool: no segment with id 9999" "unlock -v, then the missing one said"
is "$(field 0x61 STATUS)" "" "unlocked"

# unprivileged lock: nobody's segment within, and past, RLIMIT_MEMLOCK
d=$("$S" create -s 1M -k 0x63)
"$S" chown nobody "$a" "$d"
run nobody prlimit --memlock=0 "$S" lock "$a"
is "$rc:$err" "1:shmtool: cannot lock segment $a: permission denied (only its owner or creator, within RLIMIT_MEMLOCK, or a process with CAP_IPC_LOCK may)" \
	"lock with RLIMIT_MEMLOCK 0: permission denied, says why"
run nobody prlimit --memlock=65536 "$S" lock "$a"
is "$rc:$(field 0x61 STATUS)" "0:locked" "lock by the owner within RLIMIT_MEMLOCK"
run nobody prlimit --memlock=65536 "$S" lock "$d"
is "$rc" 1 "lock past RLIMIT_MEMLOCK: exit 1"
like "$err" "cannot lock segment $d: its 1M would pass the locked-memory limit \(RLIMIT_MEMLOCK, ulimit -l: 64K here" \
	"lock past RLIMIT_MEMLOCK: says the limit"
run nobody "$S" unlock "$b"
like "$rc:$err" "^1:.*cannot unlock segment $b: permission denied \(only its owner or creator, or a process with CAP_IPC_LOCK may\)" \
	"unlock by another user: refused, says who may"
run nobody "$S" unlock "$a"
is "$rc:$(field 0x61 STATUS)" "0:" "unlock by the owner"

done_testing

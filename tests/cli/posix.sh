#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# list --posix: the POSIX shared memory objects of /dev/shm (not the
# semaphores), and which are in use: mapped, open, or neither. Runs in
# private IPC and mount namespaces with a tmpfs of its own on /dev/shm.
. "$(dirname "$0")/lib.sh"
in_private_shm "$@"
private_dev_shm

S=$SHMTOOL
D=/dev/shm
obj() { head -c "$2" /dev/zero >"$D/$1"; }	# obj NAME SIZE

obj mapped 4096
obj openonly 8192
obj unused 100
obj both 4096
touch "$D/sem.lock"				# a POSIX semaphore: not an object
mkdir "$D/subdir"				# not an object either
spawn posixmap "$D/mapped"
mapper=$holder
spawn_cmd bash -c 'exec 5<"$1"; echo ready; exec sleep 600' _ "$D/openonly"
opener=$holder
spawn_cmd bash -c 'exec 5<"$1"; exec "$2" posixmap "$1"' _ "$D/both" "$SHM_HELPER"
# unlinked but still mapped: a new object of the same name is another file
obj gone 4096
spawn posixmap "$D/gone"
rm "$D/gone"
obj gone 2048

run "$S" list --posix -rn -o NAME,SIZE,USE,NPROCS
is "$rc" 0 "list --posix: exit 0"
is "$out" "both 4K mapped,open 1
gone 2K unused 0
mapped 4K mapped 1
openonly 8K open 1
unused 100B unused 0" "list --posix: every object, not the semaphore, with its use"
run "$S" list --posix --orphaned -rn -o NAME
is "$out" "gone
unused" "--posix --orphaned: neither mapped nor open (the unlinked mapping is another file)"
run "$S" list --posix -J
is "$(jq -c '[.posix[] | {name, size, nprocs}]' <<<"$out")" \
	'[{"name":"both","size":4096,"nprocs":1},{"name":"gone","size":2048,"nprocs":0},{"name":"mapped","size":4096,"nprocs":1},{"name":"openonly","size":8192,"nprocs":1},{"name":"unused","size":100,"nprocs":0}]' \
	"--posix -J: typed"
run "$S" list --posix
is "$(head -n1 <<<"$out" | tr -s ' ')" "NAME SIZE OWNER PERMS MTIME USE NPROCS" "--posix: default columns"
chown 65534 "$D/unused"
chmod 640 "$D/unused"
is "$("$S" list --posix -rn -o NAME,OWNER,PERMS -u nobody)" "unused nobody rw-r-----" "--posix -u, OWNER and PERMS"
run "$S" list --posix --list-columns -rn
is "$(awk '{ print $1 }' <<<"$out" | tr '\n' ' ')" "NAME SIZE OWNER PERMS MTIME USE NPROCS CGPATH UNIT CONTAINER POD NS PID " "--posix --list-columns"
expect_status 2 "unknown column 'KEY'" "--posix -o KEY" "$S" list --posix -o KEY
expect_status 2 "^shmtool: --posix and --key are mutually exclusive\$" "--posix --key" "$S" list --posix --key 1
expect_status 2 "^shmtool: --posix and --sort are mutually exclusive\$" "--posix --sort" \
	"$S" list --posix --sort SIZE
expect_status 2 "^shmtool: --reverse and --posix are mutually exclusive\$" "--reverse --posix" \
	"$S" list --reverse --posix
# a name that would drive a terminal is escaped, once: the backslashes
# of shmtool's escapes are not escaped again by the table (\x5c); raw
# and export output escape the exact name by their own rules, and JSON
# holds it exactly
obj $'evil\e[31m\\x41' 1
names=$("$S" list --posix -n -o NAME)
is "$(grep evil <<<"$names")" 'evil\x1b[31m\\x41' "--posix: a name with an escape sequence and a backslash, escaped once"
ok $(grep -q $'\e' <<<"$names"; [ $? -ne 0 ]; echo $?) "--posix: no escape character reaches the terminal"
is "$("$S" list --posix -rn -o NAME | grep evil)" 'evil\x1b[31m\x5cx41' "--posix -r: raw output escapes each byte once"
is "$("$S" list --posix -en -o NAME | grep evil)" 'NAME="evil\x1b[31m\x5cx41"' "--posix -e: export output escapes each byte once"
is "$("$S" list --posix -J -o NAME | jq -r '.posix[].name' | grep evil)" $'evil\e[31m\\x41' "--posix -J: the exact name as a JSON string"
rm "$D"/evil*
# the process is gone: the object is unused
release "$opener"
is "$("$S" list --posix -rn -o NAME,USE --orphaned)" "gone unused
openonly unused
unused unused" "an object whose last user exited is unused"
# one word for one fact: "unused" in list, gc and stat, text and JSON
is "$("$S" list --posix -J -o NAME,USE | jq -r '.posix[] | select(.name == "gone") | .use')" unused \
	"list --posix -J: an unused object's use is \"unused\", not null"
is "$("$S" stat --posix gone -J | jdocs | jq -r '.posix[0].use')" unused "stat --posix -J: the same word"
is "$("$S" gc --posix --dry-run --force --older-than 0 -J -o NAME,USE | jq -r '.objects // .posix | .[] | select(.name == "gone") | .use' 2>/dev/null)" unused \
	"gc --posix -J: the same word"

# --ipc-ns PID: the objects of that process's mount namespace
spawn_cmd unshare --ipc --mount bash -c 'mount -t tmpfs tmpfs /dev/shm && head -c 512 /dev/zero >/dev/shm/inner && echo ready && exec sleep 600'
inner=$holder
is "$("$S" --ipc-ns "$inner" list --posix -rn -o NAME,SIZE)" "inner 512B" "--ipc-ns PID list --posix: its /dev/shm"
is "$("$S" list --posix -rn -o NAME | tr '\n' ' ')" "both gone mapped openonly unused " "and not this one's"

# a process whose root holds dev -> /an/absolute/path: under --ipc-ns
# the link resolves inside that root, never to the caller's directory of
# that name (a container's root must not steer the host's admin)
mkdir -p "$WORK/host/shm" "$WORK/croot/usr"
echo secret >"$WORK/host/shm/victim"
mount --bind /usr "$WORK/croot/usr"
for l in bin lib lib64; do ln -s "usr/$l" "$WORK/croot/$l"; done
ln -s "$WORK/host" "$WORK/croot/dev"
spawn_cmd chroot "$WORK/croot" /usr/bin/sh -c 'echo ready; exec sleep 600'
rooted=$holder
for c in "list --posix" "stat --posix victim" "cat --posix victim" "rm --posix victim" "gc --posix --older-than 0"; do
	# shellcheck disable=SC2086
	run "$S" --ipc-ns "$rooted" $c
	is "$rc" 1 "--ipc-ns PID $c, PID's /dev a symlink out of its root: exit 1"
	grep -Eq "victim|secret" <<<"$out"
	is "$?" 1 "--ipc-ns PID $c: nothing of the caller's directory shown"
done
is "$(cat "$WORK/host/shm/victim" 2>&1)" "secret" "--ipc-ns PID: the caller's file of that path is untouched"
run "$S" --ipc-ns "$rooted" metrics --posix
is "$rc" 1 "--ipc-ns PID metrics --posix, /dev a symlink out of the root: exit 1"
is "$(grep -c '^shmtool_posix_objects' <<<"$out")" 0 "--ipc-ns PID metrics --posix: no POSIX figures from the caller's directory"
release "$rooted"
# not even an absolute link that stays inside the root is followed
rm "$WORK/croot/dev"
mkdir -p "$WORK/croot/dev" "$WORK/croot/run/shm"
head -c 300 /dev/zero >"$WORK/croot/run/shm/inside"
ln -s /run/shm "$WORK/croot/dev/shm"
spawn_cmd chroot "$WORK/croot" /usr/bin/sh -c 'echo ready; exec sleep 600'
rooted=$holder
expect_status 1 "^shmtool: cannot read /proc/$rooted/root/dev/shm: a symbolic link is on the way \\(not followed\\)\$" \
	"--ipc-ns PID list --posix, PID's dev/shm -> /run/shm inside its root" "$S" --ipc-ns "$rooted" list --posix
release "$rooted"
umount "$WORK/croot/usr"

# a process whose mount namespace is gone: its directory cannot be read
expect_status 1 "^shmtool: no process" "--ipc-ns with a dead pid" "$S" --ipc-ns 999999999 list --posix

# an unprivileged caller in a PID namespace where one other process runs
# (root's bash, pid 1): its maps and its descriptors are both refused,
# and it counts once
run unshare --pid --fork --mount-proc bash -c \
	'setpriv --reuid=65534 --regid=65534 --clear-groups "$1" list --posix -rn -o NAME,USE; exit $?' _ "$S"
is "$rc" 0 "nobody: list --posix exit 0"
like "$err" "cannot inspect 1 process \(permission denied\)" "nobody: root's one process counts once, not per refused file"

done_testing

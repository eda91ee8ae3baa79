#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# gc --posix: exactly the POSIX objects of /dev/shm that nobody maps or
# holds open (not semaphores, symlinks or directories), the filters, the
# re-check before unlink, permissions, and what the caller cannot see.
# Runs in private IPC, PID and mount namespaces with /proc and a tmpfs on
# /dev/shm of its own: root sees every process of that PID namespace, but
# not those outside it, so gc removes nothing without --force there
# (posix-pidns.sh): root's runs that remove pass --force, and still find
# every user of an object in the namespace.
. "$(dirname "$0")/lib.sh"
in_private_shm_pid "$@"
private_dev_shm

S=$SHMTOOL
D=/dev/shm
obj() { old_obj "$@"; }
names() { "$S" gc --posix --force "$@" -rn -o NAME 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }
snapshot() { (cd "$D" && find . -mindepth 1 -printf '%p %y %i %s %T@\n' | sort); }
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

obj mapped 4096
spawn posixmap "$D/mapped"
obj openonly 8192
spawn_cmd bash -c 'exec 5<"$1"; echo ready; exec sleep 600' _ "$D/openonly"
# unlinked but still mapped: the new object of that name is another file
obj gone 4096
spawn posixmap "$D/gone"
rm "$D/gone"
obj gone 2048
obj unused 100
obj nobodys 64K
chown 65534 "$D/nobodys"
touch -d '1 hour ago' "$D/nobodys"
ln -s unused "$D/link"				# a symlink: never an object
obj sem.lock 32					# a POSIX semaphore: not an object
mkdir "$D/subdir"
head -c 10 /dev/zero >"$D/fresh"		# just made: within the grace period

before=$(snapshot)
run "$S" gc --posix --force --dry-run --older-than 0 -rn -o NAME,ACTION
is "$rc" 0 "dry run: exit 0"
is "$out" "fresh would\\x20remove
gone would\\x20remove
nobodys would\\x20remove
unused would\\x20remove" "dry run --older-than 0: exactly the unused regular objects"
like "$err" "would remove 4 objects \(66.1K\)" "dry run: the summary counts objects and bytes"
is "$(snapshot)" "$before" "dry run: /dev/shm unchanged"

run "$S" gc --posix --force --dry-run
is "$(names --dry-run)" "gone nobodys unused" "default grace (5m, by mtime): the fresh object is kept"
like "$err" "kept 1 changed less than 5m" "default grace: the summary names the kept one"
is "$(names --dry-run --older-than 2h)" "" "--older-than 2h: none"
is "$(names --dry-run --older-than 0 -u nobody)" "nobodys" "-u USER"
is "$(names --dry-run --older-than 0 --min-size 4K)" "nobodys" "--min-size"
is "$(names --dry-run --older-than 0 --exclude unused --exclude gone)" "fresh nobodys" "--exclude NAME, repeated"
run "$S" gc --posix --force --dry-run --older-than 0 --exclude unused
like "$err" "kept 1 by --exclude" "--exclude is in the summary"
# --exclude takes a name as every --posix option does: /NAME is NAME
is "$(names --dry-run --older-than 0 --exclude /unused --exclude /gone)" "fresh nobodys" "--exclude /NAME, shm_open style"

run "$S" gc --posix --dry-run
is "$(head -n 1 <<<"$out" | tr -s ' ')" "NAME SIZE OWNER MTIME USE ACTION REASON" "gc --posix's default columns"
run "$S" gc --posix --list-columns -rn
is "$(awk '{ print $1 }' <<<"$out" | sort | tr '\n' ' ')" "ACTION MTIME NAME NPROCS OWNER PERMS REASON SIZE USE " \
	"gc --posix --list-columns: the POSIX columns, ACTION and REASON"
expect_status 2 "unknown column 'KEY'" "gc --posix -o KEY" "$S" gc --posix -o KEY

run "$S" gc --posix --force --dry-run --older-than 0 -J
is "$rc" 0 "--json: exit 0"
out=$(jdocs <<<"$out")
is "$(jq -c '[.posix[] | {name, size, action}]' <<<"$out")" \
	'[{"name":"fresh","size":10,"action":"would remove"},{"name":"gone","size":2048,"action":"would remove"},{"name":"nobodys","size":65536,"action":"would remove"},{"name":"unused","size":100,"action":"would remove"}]' \
	"--json: typed rows"
is "$(jq -c '.summary[0] | [.action, .count, .bytes]' <<<"$out")" '["would remove",4,67694]' \
	"--json: the summary"
run "$S" gc --posix --force --older-than 2h -J
is "$(jdocs <<<"$out" | jq -c '[(.posix | length), (.summary[] | select(.reason == "young") | .count)]')" \
	'[0,4]' "--json with no candidate: an empty array and the summary"
is "$(snapshot)" "$before" "filters and output options: /dev/shm unchanged"

# An unprivileged caller cannot inspect root's processes (their maps and
# descriptors): to it, an object that one of them maps or holds open
# looks unused. While it cannot see every process, gc removes nothing
# (use unknown) and exits 1, unless --force.
obj nobodymapped 4096
chown 65534 "$D/nobodymapped"
touch -d '1 hour ago' "$D/nobodymapped"
spawn posixmap "$D/nobodymapped"		# nobody's object, mapped by root
nobodymapper=$holder
before=$(snapshot)
run nobody "$S" gc --posix --older-than 0 -u nobody -rn -o NAME,ACTION,REASON
is "$rc" 1 "unprivileged gc, root's processes not inspected: exit 1"
is "$out" "nobodymapped skipped use\x20unknown
nobodys skipped use\x20unknown" "unprivileged gc: its objects skipped, use unknown (one is mapped by root)"
like "$err" "cannot inspect [0-9]+ processes \(permission denied\): nothing is removed, as any object may be in use \(--force removes anyway\)" \
	"unprivileged gc: the warning says why nothing is removed"
like "$err" "skipped 2: 2 use unknown" "unprivileged gc: the summary counts them"
is "$(snapshot)" "$before" "unprivileged gc: nothing removed, not the object root maps"
run nobody "$S" gc --posix --older-than 0 -u nobody --dry-run -rn -o NAME,ACTION,REASON
is "$rc:$out" "0:nobodymapped skipped use\x20unknown
nobodys skipped use\x20unknown" "unprivileged dry run: predicts the same, exit 0"
run nobody "$S" gc --posix --older-than 0 -u nobody -i -rn -o NAME,ACTION,REASON </dev/null
is "$rc:$out" "1:nobodymapped skipped use\x20unknown
nobodys skipped use\x20unknown" "unprivileged gc -i: no question, the same"
run nobody "$S" gc --posix --older-than 0 -u nobody -q
is "$rc:$out" "1:" "unprivileged gc -q: exit 1"
like "$err" "nothing is removed" "unprivileged gc -q: the warning"
run nobody "$S" gc --posix --older-than 0 -u nobody -J
is "$rc:$(jdocs <<<"$out" | jq -c '[.summary[] | select(.action == "skipped") | {(.reason): .count}] | add')" \
	'1:{"use unknown":2}' "unprivileged gc --json: the summary"
is "$(snapshot)" "$before" "unprivileged gc: /dev/shm unchanged"

# root of a user namespace of its own (unshare -Ur) has CAP_FOWNER there,
# which does not reach files whose owner it cannot map (root's show as
# uid 65534 there): the dry run predicts what the real run does (--force:
# the processes it cannot inspect would keep everything otherwise)
if nobody unshare -Ur true 2>/dev/null; then
	run nobody unshare -Ur "$S" gc --posix --force --dry-run --older-than 0 -u 65534 -rn -o NAME,ACTION,REASON
	is "$rc" 0 "unshare -Ur: dry run: exit 0"
	like "$out" "^unused skipped permission\\\\x20denied" "unshare -Ur: the dry run predicts permission denied"
	! grep -q would <<<"$out"
	ok $? "unshare -Ur: the dry run predicts no removal"
	run nobody unshare -Ur "$S" gc --posix --force --older-than 0 -u 65534 -rn -o NAME,ACTION,REASON
	is "$rc" 1 "unshare -Ur: the real run fails"
	like "$out" "^unused failed permission\\\\x20denied" "unshare -Ur: the real run is refused"
	is "$(snapshot)" "$before" "unshare -Ur: /dev/shm unchanged"
else
	for i in 1 2 3 4 5 6; do skip "no unprivileged user namespaces"; done
fi
# --force: removes what looks unused, as before; the sticky /dev/shm
# still keeps root's objects from the caller
run nobody "$S" gc --posix --force --dry-run --older-than 0 -u root -rn -o NAME,ACTION,REASON
is "$rc" 0 "unprivileged dry run --force: exit 0"
like "$out" "^unused skipped permission\\\\x20denied" "unprivileged dry run --force predicts permission denied"
like "$err" "cannot inspect [0-9]+ processes \(permission denied\): an object they use may be removed" \
	"--force: the warning says an object in use may go"
run nobody "$S" gc --posix --force --older-than 0 -u root -rn -o NAME,ACTION,REASON
is "$rc" 1 "unprivileged gc --force on root's objects: exit 1"
like "$out" "^unused failed permission\\\\x20denied" "unprivileged gc --force: permission denied"
! grep -q removed <<<"$out"
ok $? "unprivileged gc --force removed none of root's"
run nobody "$S" gc --posix --force --older-than 0 -u root -q
is "$rc" 1 "unprivileged gc --force -q: exit 1"
like "$err" "cannot remove POSIX object unused: permission denied" "unprivileged gc --force -q: the error on stderr"
is "$(snapshot)" "$before" "unprivileged gc --force: root's objects unchanged"
run nobody "$S" gc --posix --force --older-than 0 -u nobody -rn -o NAME,ACTION
is "$rc:$out" "0:nobodymapped removed
nobodys removed" "unprivileged gc --force: its objects go, the one root maps too"
release "$nobodymapper"

# the re-check, made deterministic with --interactive: the test acts
# between gc's scan and its answer (only "race" is 1M or more)
mkfifo "$WORK/gc-in" "$WORK/gc-err"
recheck() {	# recheck ACTION-BETWEEN ANSWER: gc's status and row in $res
	"$S" gc --posix --force --older-than 0 --min-size 1M -i -rn -o NAME,ACTION,REASON \
		<"$WORK/gc-in" 2>"$WORK/gc-err" >"$WORK/row" &
	local gc=$!
	exec 3>"$WORK/gc-in" 4<"$WORK/gc-err"
	read -r -d ']' prompt <&4        # gc has scanned and is asking
	eval "$1"
	echo "$2" >&3
	exec 3>&-
	cat <&4 >/dev/null
	exec 4<&-
	wait "$gc"
	res="$?:$(sed "s/ *$//" "$WORK/row")"
}
obj race 1M
recheck 'spawn_cmd bash -c "exec 5<$D/race; echo ready; exec sleep 600" 3>&- 4<&-; opener=$holder' y
is "$res" "0:race skipped in\\x20use\\x20since\\x20scan" "opened after the scan: skipped, not an error"
like "$prompt" "remove POSIX object race \(1M\)\? \[y/N" "--interactive: the question names the object"
[ -f "$D/race" ]
ok $? "opened after the scan: not removed"
release "$opener"
recheck 'spawn posixmap "$D/race" 3>&- 4<&-; mapper=$holder' y
is "$res" "0:race skipped in\\x20use\\x20since\\x20scan" "mapped after the scan: skipped"
release "$mapper"
recheck 'rm "$D/race"; obj race 1M' y
is "$res" "0:race skipped replaced" "replaced by another file after the scan: skipped"
recheck 'head -c 1 /dev/zero >>"$D/race"' y
is "$res" "0:race skipped replaced" "written after the scan: skipped"
touch -d '1 hour ago' "$D/race"
recheck 'mv "$D/race" "$D/race.real"; ln -s race.real "$D/race"' y
is "$res" "0:race skipped not\\x20a\\x20regular\\x20file" "a symlink in its place: skipped, not followed"
[ -L "$D/race" ] && [ -f "$D/race.real" ]
ok $? "the symlink and its target are left"
rm "$D/race"; mv "$D/race.real" "$D/race"
recheck 'rm "$D/race"' y
is "$res" "0:race skipped gone" "removed after the scan: gone"
obj race 1M
recheck : n
is "$res" "0:race skipped declined" "--interactive: n keeps it"
[ -f "$D/race" ]
ok $? "declined: not removed"
recheck : y
is "$res" "0:race removed" "--interactive: y removes it"
[ ! -e "$D/race" ]
ok $? "--interactive y: gone from /dev/shm"

# a name that would drive a terminal is escaped once in gc's table
obj $'evil\e[31m\\x41' 1
run "$S" gc --posix --force --dry-run --older-than 0 -n -o NAME,ACTION
is "$(grep evil <<<"$out")" 'evil\x1b[31m\\x41 would remove' "gc --posix: a name with an escape sequence and a backslash, escaped once"
rm "$D"/evil*

# the real thing: exactly the unused regular objects go
run "$S" gc --posix --force --older-than 0 -q
is "$rc:$out" "0:" "gc --posix -q: exit 0, no table"
! grep -q "^removed" <<<"$err"
ok $? "gc --posix -q: no summary (only warnings, if any)"
is "$(cd "$D" && ls -A | tr '\n' ' ')" "link mapped openonly sem.lock subdir " \
	"gc --posix removed exactly the unused objects (the symlink, semaphore and directory stay)"
run "$S" gc --posix --force --older-than 0
is "$rc" 0 "nothing left to remove: exit 0"
like "$err" "removed 0 objects" "nothing left to remove: the summary"

# --ipc-ns PID: the objects of that process's mount namespace
spawn_cmd unshare --ipc --mount bash -c 'mount -t tmpfs tmpfs /dev/shm && head -c 512 /dev/zero >/dev/shm/inner && echo ready && exec sleep 600'
inner=$holder
is "$("$S" --ipc-ns "$inner" gc --posix --force --older-than 0 -rn -o NAME,ACTION 2>/dev/null)" "inner removed" \
	"--ipc-ns PID gc --posix: its /dev/shm"
is "$("$S" --ipc-ns "$inner" list --posix -rn -o NAME)" "" "--ipc-ns PID: the object is gone there"
[ -e "$D/mapped" ]
ok $? "and this namespace's objects are untouched"

# usage errors: the options of System V segments
before=$(snapshot)
for o in "--key 1" --keyed --private "--exclude-key 1" --creator-gone; do
	expect_status 2 "${o%% *} does not apply to POSIX objects" "gc --posix $o" "$S" gc --posix $o
done
expect_status 2 "--exclude goes with --posix" "--exclude without --posix" "$S" gc --exclude x
expect_status 2 "--force goes with --posix" "--force without --posix" "$S" gc --force
expect_status 2 "invalid POSIX object name '': empty" "--exclude ''" "$S" gc --posix --exclude ''
expect_status 2 "invalid POSIX object name 'a/b': '/' only as the first character" "--exclude a/b" \
	"$S" gc --posix --exclude unused --exclude a/b
expect_status 2 "invalid POSIX object name '\.\.': '\.' and '\.\.' name no object" "--exclude .." \
	"$S" gc --posix --exclude ..
expect_status 2 "invalid POSIX object name 'sem.x': sem" "--exclude sem.x" "$S" gc --posix --exclude sem.x
expect_status 2 "mutually exclusive" "--posix --dry-run -i" "$S" gc --posix --dry-run -i
is "$(snapshot)" "$before" "usage errors remove nothing"

done_testing

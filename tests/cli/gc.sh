#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shmtool gc: exactly the orphans the filters select, nothing else; the
# re-check before removal; permissions; output and exit statuses.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"

S=$SHMTOOL
ids() { "$S" gc "$@" -rn -o ID 2>/dev/null | sort -n | tr '\n' ' ' | sed 's/ $//'; }
exists() { tail -n +2 /proc/sysvipc/shm | awk -v id="$1" '$2 == id { f = 1 } END { exit !f }'; }
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

# a namespace with every kind of segment
att=$("$S" create -s 4K)                      # attached: never an orphan
hold "$att"
dest=$("$S" create -s 4K -k 0x2000)           # removed while attached: dest
hold "$dest"
"$S" rm "$dest" 2>/dev/null
priv1=$("$S" create -s 4K)                    # private orphans
priv2=$("$S" create -s 64K)
keyed1=$("$S" create -s 4K -k 0x1001)         # keyed orphans
keyed2=$("$S" create -s 1M -k 0x1002)
locked=$("$S" create -s 4K --lock)            # locked orphan
other=$(nobody "$S" create -s 4K -m 600)      # owned by another user
own 0 4096 600                                # its creator still runs
alive=$line
orphans="$priv1 $priv2 $keyed1 $keyed2 $locked $other $alive"
sorted() { tr ' ' '\n' <<<"$*" | sort -n | tr '\n' ' ' | sed 's/ $//'; }

# the default grace period keeps segments just created
before=$(shm_snapshot)
run "$S" gc --dry-run
is "$rc" 0 "dry run, default grace: exit 0"
is "$out" "" "dry run, default grace: no candidates"
like "$err" "would remove 0 segments \(0B\); kept 7 idle for less than 5m" "dry run: the summary names the kept ones"

# --dry-run shows exactly the orphans and changes nothing
is "$(ids --dry-run --older-than 0)" "$(sorted $orphans)" "dry run selects exactly the orphans"
run "$S" gc --dry-run --older-than 0
like "$out" "would remove" "dry run: ACTION says would remove"
like "$err" "^would remove 7 segments" "dry run: summary"
is "$(shm_snapshot)" "$before" "dry run: /proc/sysvipc/shm unchanged"

# each filter
is "$(ids --dry-run --older-than 0 --private)" "$(sorted $priv1 $priv2 $locked $other $alive)" "--private"
is "$(ids --dry-run --older-than 0 --keyed)" "$(sorted $keyed1 $keyed2)" "--keyed"
is "$(ids --dry-run --older-than 0 --key 0x1001)" "$keyed1" "--key"
is "$(ids --dry-run --older-than 0 --min-size 64K)" "$(sorted $priv2 $keyed2)" "--min-size"
is "$(ids --dry-run --older-than 0 -u 65534)" "$other" "-u USER"
is "$(ids --dry-run --older-than 0 -u nobody)" "$other" "-u with a name"
is "$(ids --dry-run --older-than 0 --exclude-key 0x1001 --exclude-key 0x1002)" \
	"$(sorted $priv1 $priv2 $locked $other $alive)" "--exclude-key, repeated"
is "$(ids --dry-run --older-than 0 --creator-gone)" "$(sorted $priv1 $priv2 $keyed1 $keyed2 $locked $other)" \
	"--creator-gone leaves out the segment whose creator runs"
is "$(ids --dry-run --older-than 1d)" "" "--older-than 1d: none"
run "$S" gc --dry-run --older-than 0 --exclude-key 0x1001 -rn -o ID
like "$err" "kept 1 by --exclude-key" "--exclude-key is in the summary"
is "$(shm_snapshot)" "$before" "filters: nothing changed"

# JSON: typed, the rows then the summary
run "$S" gc --dry-run --older-than 0 --json
is "$rc" 0 "--json: exit 0"
is "$(jq -s -c 'map(keys[])' <<<"$out")" '["shm","summary"]' "--json: the rows, then the summary"
out=$(jdocs <<<"$out")
is "$(jq '.shm | length' <<<"$out")" 7 "--json lists the candidates"
is "$(jq '[.summary[] | select(.action != "kept") | .count] | add' <<<"$out")" 7 \
	"--json summary: selected"
is "$(jq -c '.summary[0] | [.action, .count]' <<<"$out")" '["would remove",7]' \
	"--json summary: a dry run would remove them"
is "$(jq '[.summary[] | select(.action == "removed")] | length' <<<"$out")" 0 \
	"--json summary: nothing removed in a dry run"
is "$(jq -r '.shm[0].age | type' <<<"$out")" number "--json AGE is a number"
is "$(jq -r '.shm[0].action' <<<"$out")" "would remove" "--json ACTION"

# the last attacher: its pid, and its command line while it runs
spawn touch "$keyed1"
toucher=$holder
run "$S" gc --dry-run --older-than 0 --key 0x1001 -J -o ID,LPID,LCOMMAND
out=$(jdocs <<<"$out")
is "$(jq -r '.shm[0].lpid' <<<"$out")" "$toucher" "LPID is the last attacher"
is "$(jq -r '.shm[0].lcommand' <<<"$out")" "$SHM_HELPER touch $keyed1" "LCOMMAND while it runs"
release "$toucher"
run "$S" gc --dry-run --older-than 0 --key 0x1001 -J -o ID,LPID,LCOMMAND
is "$(jdocs <<<"$out" | jq -r '.shm[0].lcommand')" null "LCOMMAND is null once it exited"
run "$S" gc --dry-run --older-than 0 --key 0x1001
is "$(head -n 1 <<<"$out" | tr -s ' ')" "ID KEY OWNER SIZE AGE CPID COMMAND LPID LCOMMAND ACTION REASON" "gc's default columns"

# an unprivileged user as root of a user namespace of its own (unshare
# -Ur) has CAP_SYS_ADMIN there, not over this IPC namespace, which belongs
# to the initial user namespace: the dry run predicts what the real run does
if nobody unshare -Ur true 2>/dev/null; then
	run nobody unshare -Ur "$S" gc --dry-run --older-than 0 --key 0x1001 -rn -o ID,ACTION,REASON
	is "$rc:$out" "0:$keyed1 skipped permission\\x20denied" \
		"unshare -Ur: the dry run predicts permission denied"
	run nobody unshare -Ur "$S" gc --older-than 0 --key 0x1001 -rn -o ID,ACTION,REASON
	is "$rc:$out" "1:$keyed1 failed permission\\x20denied" "unshare -Ur: the real run is refused"
	exists "$keyed1"
	ok $? "unshare -Ur: the segment is still there"
else
	skip "no unprivileged user namespaces"
	skip "no unprivileged user namespaces"
	skip "no unprivileged user namespaces"
fi

# an unprivileged caller removes its own and is refused the others
run nobody "$S" gc --dry-run --older-than 0 -rn -o ID,REASON
is "$rc" 0 "unprivileged dry run: exit 0"
like "$out" "$priv1 permission\\\\x20denied" "unprivileged dry run predicts permission denied"
run nobody "$S" gc --older-than 0 -rn -o ID,ACTION
is "$rc" 1 "unprivileged gc: exit 1 (some not removable)"
like "$out" "$other removed" "unprivileged gc removes its own segment"
like "$out" "$priv1 failed" "unprivileged gc fails on root's"
nfailed=$(grep -c " failed$" <<<"$out")
like "$err" "; failed $nfailed: $nfailed permission denied" \
	"unprivileged gc: the summary says failed, as the rows do"
grep -q "skipped [0-9]*: [0-9]* permission denied" <<<"$err"
is "$?" 1 "unprivileged gc: what failed is not called skipped"
exists "$other"
is "$?" 1 "the unprivileged user's segment is gone"
for id in $priv1 $priv2 $keyed1 $keyed2 $locked $alive $att $dest; do
	exists "$id"
	ok $? "unprivileged gc left segment $id"
done

# the real thing: exactly the orphans go
run "$S" gc --older-than 0 --exclude-key 0x1002 -q
is "$rc:$out:$err" "0::" "gc -q: exit 0, silent"
for id in $priv1 $priv2 $keyed1 $locked $alive; do
	exists "$id"
	is "$?" 1 "orphan $id removed"
done
for id in $att $dest $keyed2; do
	exists "$id"
	ok $? "segment $id kept (attached, dest or excluded)"
done
is "$("$S" list -rn -o STATUS --key 0 | grep -c dest)" 1 "the dest segment is untouched"

# nothing selected: exit 0
run "$S" gc --older-than 0 --key 0x5555
is "$rc" 0 "nothing selected: exit 0"
like "$err" "removed 0 segments" "nothing selected: summary"

# the re-check, made deterministic with --interactive: the test acts
# between gc's scan and its removal
mkfifo "$WORK/gc-in" "$WORK/gc-err"
recheck() {	# recheck ACTION-BETWEEN ANSWER: gc's status and row in $res
	"$S" gc --older-than 0 --key 0x3000 -i -rn -o ID,ACTION,REASON <"$WORK/gc-in" 2>"$WORK/gc-err" >"$WORK/row" &
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
x=$("$S" create -s 4K -k 0x3000)
recheck 'hold $x' y
is "$res" "0:$x skipped attached\\x20since\\x20scan" "attached after the scan: skipped"
exists "$x"
ok $? "attached after the scan: not removed"
release "$holder"
recheck '"$SHM_HELPER" rmid $x' y
is "$res" "0:$x skipped gone" "removed after the scan: gone, not an error"
x=$("$S" create -s 4K -k 0x3000)
recheck : n
is "$res" "0:$x skipped declined" "--interactive: n keeps it"
exists "$x"
ok $? "declined: not removed"
recheck : y
is "$res" "0:$x removed" "--interactive: y removes it"

# a race: segments attached the whole time survive gc run again and
# again while others flap between attached and not
keep=$("$S" create -s 4K); keep2=$("$S" create -s 4K)
hold "$keep" "$keep2"
flappers=$(for i in 1 2 3 4 5 6; do "$S" create -s 4K; done | tr '\n' ' ')
"$SHM_HELPER" flap 20000 $flappers >"$WORK/flap" &
flap=$!
failures=0
for i in $(seq 30); do
	"$S" gc --older-than 0 -q || failures=$((failures + 1))
done
wait "$flap"
is "$failures" 0 "30 gc runs during the flapping: no failure"
"$S" gc --older-than 0 -q
left=0
for id in $flappers; do exists "$id" && left=$((left + 1)); done
is "$left" 0 "once the flapping stops, gc removes the flapping segments"
for id in $keep $keep2; do
	exists "$id"
	ok $? "segment $id, attached throughout, survived"
done
is "$("$S" list -rn -o STATUS --key 0 | grep -c dest)" 1 "no segment attached throughout became dest"

# usage errors
before=$(shm_snapshot)
expect_status 2 "invalid duration: '5x'" "a bad duration" "$S" gc --older-than 5x
expect_status 2 "invalid duration: '-1'" "a negative duration" "$S" gc --older-than -1
expect_status 2 "invalid key: 'zz'" "a bad --exclude-key" "$S" gc --exclude-key zz
expect_status 2 "invalid size: '1Q'" "a bad --min-size" "$S" gc --min-size 1Q
expect_status 2 "unknown user 'no-such-user'" "an unknown user" "$S" gc -u no-such-user
expect_status 2 "^shmtool: --dry-run and --interactive are mutually exclusive\$" "--dry-run with --interactive" \
	"$S" gc --dry-run -i
expect_status 2 "^shmtool: --interactive and --dry-run are mutually exclusive\$" \
	"--interactive with --dry-run: named in the order given" "$S" gc -i --dry-run
expect_status 2 "^shmtool: --private and --keyed are mutually exclusive\$" "--private with --keyed" \
	"$S" gc --private --keyed
expect_status 2 "^shmtool: --keyed and --private are mutually exclusive\$" \
	"--keyed with --private: named in the order given" "$S" gc --keyed --private
# --quiet prints no table
for o in --json -r --export "-o ID" --output-all; do
	name=$o
	case $o in -r) name=--raw ;; -o*) name=--output ;; esac
	# shellcheck disable=SC2086
	expect_status 2 "^shmtool: --quiet and $name are mutually exclusive\$" "--quiet with $o" "$S" gc -q $o
done
expect_status 2 "^shmtool: --json and --quiet are mutually exclusive\$" "--json with --quiet" "$S" gc -J --quiet
expect_status 2 "unknown column 'NOPE'" "an unknown column" "$S" gc -o NOPE
expect_status 2 "unexpected argument 'x'" "a stray argument" "$S" gc x
expect_status 2 "unknown column 'ACTION'" "list has no ACTION column" "$S" list -o ACTION
is "$(shm_snapshot)" "$before" "usage errors remove nothing"

run "$S" gc --list-columns -rn
like "$out" "ACTION" "gc --list-columns has ACTION"
like "$out" "AGE" "gc --list-columns has AGE"

# RSS and SWAP: gc reads them as list does, only when a column shows them
mem=$("$S" create -s 8K -k 0x7777)
head -c 8192 /dev/zero | "$S" attach-write "$mem"
is "$("$S" gc --dry-run --older-than 0 --key 0x7777 -rn -o ID,RSS,SWAP)" "$mem 8K 0B" "-o RSS,SWAP: known"
run "$S" gc --dry-run --older-than 0 --key 0x7777 -J -o RSS,SWAP
is "$(jdocs <<<"$out" | jq -c '.shm[0] | [.rss, .swap]')" '[8192,0]' "-o RSS,SWAP --json: numbers"
"$S" rm "$mem"

done_testing

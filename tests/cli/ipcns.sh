#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# --ipc-ns and namespaces: a command run in the IPC namespace of another
# process acts there and only there; namespaces lists every namespace
# that holds segments, with its counts.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"

S=$SHMTOOL
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
nsino() { stat -L -c %i "/proc/$1/ns/ipc"; }

# nested PROG-ARGS...: a process in an IPC namespace of its own (nested in
# this test's) that first runs the shmtool commands in $SETUP, then execs
# PROG-ARGS; its first line is in $line, its pid in $holder.
nested() {
	spawn_cmd unshare --ipc bash -c 'S=$1; shift; eval "$SETUP" >/dev/null && exec "$@"' _ "$S" "$@"
}

# this test's own namespace: an orphan and an attached segment
outer1=$("$S" create -s 4K -k 0xa01)
outer2=$("$S" create -s 8K)
hold "$outer2"
outer_holder=$holder
outer=$(shm_snapshot)

# inner: a keyed orphan, a private orphan, and a segment its process holds
SETUP='"$S" create -s 16K -k 0xb01 && "$S" create -s 32K' nested "$SHM_HELPER" ownhold 0xb02 65536 600
inner=$holder
is "$line" 2 "inner namespace: its third segment is id 2"
ok $([ "$(nsino "$inner")" != "$(nsino $$)" ]; echo $?) "inner namespace is not this test's"

# list
run "$S" --ipc-ns "$inner" list -rn -o ID,KEY,SIZE,NATTCH
is "$rc" 0 "--ipc-ns PID list: exit 0"
is "$out" "0 0x00000b01 16K 0
1 0x00000000 32K 0
2 0x00000b02 64K 1" "--ipc-ns PID list: exactly the inner segments"
run "$S" --ipc-ns "/proc/$inner/ns/ipc" list -rn -o ID,KEY,SIZE,NATTCH
is "$out" "0 0x00000b01 16K 0
1 0x00000000 32K 0
2 0x00000b02 64K 1" "--ipc-ns /proc/PID/ns/ipc list: the same"
run "$S" --ipc-ns="$inner" list -J
is "$(jq '.shm | length' <<<"$out")" 3 "--ipc-ns=PID: the same three"
is "$("$S" list -rn -o ID,KEY,SIZE)" "0 0x00000a01 4K
1 0x00000000 8K" "without --ipc-ns: this namespace's segments"

# the attached processes are those of the target namespace: the inner
# holder on id 2, nobody on id 1 (which the outer holder has as its id 1)
run "$S" --ipc-ns "$inner" list -rn -o ID,NPROCS,PIDS
is "$out" "0 0 
1 0 
2 1 $inner" "--ipc-ns: PIDS joins only processes of the target namespace"
is "$("$S" list -rn -o ID,PIDS --key 0)" "1 $outer_holder" "outside: the outer holder on id 1"

# gc: the inner orphans go, this namespace's orphan stays
run "$S" --ipc-ns "$inner" gc --dry-run --older-than 0 -rn -o ID,KEY
is "$out" "0 0x00000b01
1 0x00000000" "--ipc-ns PID gc --dry-run: the inner orphans"
run "$S" --ipc-ns "$inner" gc --older-than 0 -rn -o ID,ACTION
is "$rc" 0 "--ipc-ns PID gc: exit 0"
is "$out" "0 removed
1 removed" "--ipc-ns PID gc: removed the inner orphans"
is "$("$S" --ipc-ns "$inner" list -rn -o ID,KEY)" "2 0x00000b02" "inner: only the attached segment is left"
is "$(shm_snapshot)" "$outer" "gc in the inner namespace left this one untouched (its orphan too)"

# create and rm act there too
run "$S" --ipc-ns "$inner" create -s 4K -k 0xb03
is "$rc" 0 "--ipc-ns PID create: exit 0"
new=$out
is "$("$S" --ipc-ns "$inner" list -rn -o ID --key 0xb03)" "$new" "the new segment is in the inner namespace"
is "$(shm_snapshot)" "$outer" "and not in this one"
run "$S" --ipc-ns "$inner" rm -k 0xb03
is "$rc" 0 "--ipc-ns PID rm -k: exit 0"
is "$("$S" --ipc-ns "$inner" list -rn -o KEY)" "0x00000b02" "rm removed it there"
is "$(shm_snapshot)" "$outer" "rm left this namespace untouched"

# errors: before the command runs, nothing happens
true & dead=$!
wait "$dead"
expect_status 1 "^shmtool: no process $dead\$" "--ipc-ns with a dead pid" "$S" --ipc-ns "$dead" create -s 4K
is "$out" "" "--ipc-ns with a dead pid: nothing on stdout"
is "$(shm_snapshot)" "$outer" "--ipc-ns with a dead pid: the command did not run here"
run "$S" --ipc-ns "$dead" create -s 4K --help
is "$rc" 0 "--ipc-ns with a dead pid: the command's --help still works"
like "$out" "^Usage: shmtool create" "--ipc-ns with a dead pid: --help prints the usage"
is "$(shm_snapshot)" "$outer" "--ipc-ns with a dead pid and --help: nothing created"
# help as the command's own getopt finds it: -h, an abbreviation, in a
# group of short options, after an argument, after --posix
for args in "create -s 4K -h" "create --he" "create -s 4K -Jh" "rm -vh 0" "rm 0 -h" \
	"list -o ID --help" "stat -k 5 --h" "ftok /tmp -h" "list --posix -h" "namespaces --help"; do
	# shellcheck disable=SC2086
	run "$S" --ipc-ns "$dead" $args
	is "$rc:$err" "0:" "--ipc-ns with a dead pid, $args: help, exit 0"
	like "$out" "^Usage: shmtool ${args%% *} " "--ipc-ns with a dead pid, $args: the command's usage"
done
# and before the usage error of --posix with a namespace file
run "$S" --ipc-ns "$WORK/missing" gc --posix --help
is "$rc:$err" "0:" "--ipc-ns PATH gc --posix --help: help, exit 0"
like "$out" "^Usage: shmtool gc " "--ipc-ns PATH gc --posix --help: the command's usage"
# not help: "--help" as the value of an option, after "--", after an
# option the command refuses, or an ambiguous abbreviation (create has
# --help and --hugetlb). A usage error is found before the namespace is
# entered, the same in every namespace
for args in "stat -k --help" "create -s 4K -m --help" "create -s4K -m-h" "rm -- --help" \
	"rm -- -h" "cat --bogus --help" "create --h"; do
	# shellcheck disable=SC2086
	expect_status 2 "Try 'shmtool ${args%% *} --help'" "--ipc-ns with a dead pid, $args: not help" \
		"$S" --ipc-ns "$dead" $args
done
# a command line that is right: the namespace is entered, and fails
for args in "list -o --help" "attach-write --string --help 0"; do
	# shellcheck disable=SC2086
	expect_status 1 "^shmtool: no process $dead\$" "--ipc-ns with a dead pid, $args: not help" \
		"$S" --ipc-ns "$dead" $args
	is "$out" "" "--ipc-ns with a dead pid, $args: nothing on stdout"
done
# every command enters the namespace (each enters it itself once its
# options are parsed): none of them acts here instead
cmds=$("$S" --help | awk '/^Commands:/ { f = 1; next } f && /^$/ { exit } f { print $1 }' | tr '\n' ' ')
is "$cmds" "create attach-write cat list stat rm gc chmod chown lock unlock ftok namespaces limits metrics " \
	"the commands that follow are all there are"
for args in "create -s 4K" "attach-write --string x $outer1" "cat $outer1" "list" "stat $outer1" \
	"rm $outer1" "gc --older-than 0" "chmod 600 $outer1" "chown nobody $outer1" "lock $outer1" \
	"unlock $outer1" "ftok /tmp" "namespaces" "limits" "metrics"; do
	# shellcheck disable=SC2086
	expect_status 1 "^shmtool: no process $dead\$" "--ipc-ns with a dead pid, $args: entered first" \
		"$S" --ipc-ns "$dead" $args
	is "$out" "" "--ipc-ns with a dead pid, $args: nothing on stdout"
done
is "$(shm_snapshot)" "$outer" "--ipc-ns with a dead pid: nothing created or removed by any of them"
touch "$WORK/plain"
expect_status 1 "^shmtool: $WORK/plain is not an IPC namespace file\$" "--ipc-ns with a plain file" "$S" --ipc-ns "$WORK/plain" list
expect_status 1 "^shmtool: /proc/self/ns/net is not an IPC namespace file\$" "--ipc-ns with a network namespace" \
	"$S" --ipc-ns /proc/self/ns/net list
# a fifo is looked at, never opened: no writer could make it return
mkfifo "$WORK/fifo"
expect_status 1 "^shmtool: $WORK/fifo is not an IPC namespace file\$" "--ipc-ns with a fifo" \
	timeout 20 "$S" --ipc-ns "$WORK/fifo" list
expect_status 1 "^shmtool: /dev/null is not an IPC namespace file\$" "--ipc-ns with a device" \
	"$S" --ipc-ns /dev/null list
expect_status 1 "^shmtool: cannot open $WORK/missing: No such file or directory\$" "--ipc-ns with a missing file" \
	"$S" --ipc-ns "$WORK/missing" list
expect_status 2 "invalid --ipc-ns '0'" "--ipc-ns 0" "$S" --ipc-ns 0 list
expect_status 2 "requires an argument" "--ipc-ns without a value" "$S" --ipc-ns
expect_status 1 "^shmtool: cannot enter the IPC namespace of process $inner: permission denied\$" \
	"--ipc-ns unprivileged" nobody "$S" --ipc-ns "$inner" list
expect_status 1 "^shmtool: cannot enter the IPC namespace /proc/self/ns/ipc: permission denied\$" \
	"--ipc-ns unprivileged, own namespace file" nobody "$S" --ipc-ns /proc/self/ns/ipc list
like "$("$S" --help)" "--ipc-ns PID\|PATH" "--help shows --ipc-ns"

# namespaces: a second nested namespace, and one without segments
SETUP='"$S" create -s 4K && "$S" create -s 4K -k 0xc01' nested "$SHM_HELPER" ownhold 0xc02 1048576 600
inner2=$holder
SETUP=: nested bash -c 'echo ready; exec sleep 600'
empty=$holder
ns_in=$(nsino "$inner") ns_in2=$(nsino "$inner2") ns_out=$(nsino $$) ns_empty=$(nsino "$empty")

run "$S" namespaces -J -b
is "$rc" 0 "namespaces: exit 0"
row() { jq -c --argjson ns "$1" '.namespaces[] | select(.ns == $ns) |
	[.segments, .size, .orphans, .orphansize, .nprocs, .pid]' <<<"$out"; }
is "$(row "$ns_in2")" "[3,1056768,2,8192,1,$inner2]" "namespaces: the second nested namespace's counts and process"
is "$(row "$ns_in")" "[1,65536,0,0,1,$inner]" "namespaces: the first nested namespace after its gc"
is "$(jq --argjson ns "$ns_out" '.namespaces[] | select(.ns == $ns) | [.segments, .size, .orphans, .orphansize] | @csv' -r <<<"$out")" \
	"2,12288,1,4096" "namespaces: this test's namespace"
is "$(row "$ns_empty")" "" "namespaces: a namespace without segments is left out"
is "$(jq -r --argjson ns "$ns_in2" '.namespaces[] | select(.ns == $ns) | .command' <<<"$out")" \
	"$SHM_HELPER ownhold 0xc02 1048576 600" "namespaces: COMMAND of its process"
is "$(jq -c '[.namespaces[].ns] == ([.namespaces[].ns] | sort)' <<<"$out")" true "namespaces: sorted by NS"
is "$(jq -c '[.namespaces[].ns] | length == (unique | length)' <<<"$out")" true "namespaces: each once"
# a namespace whose only process runs on in a thread, its main thread
# ended: the leader (a zombie) has no namespace links any more, the
# thread has
spawn_cmd unshare --ipc "$SHM_HELPER" ownthread 0xd01 4096 600
leaderless=$holder
for t in "/proc/$leaderless"/task/*; do
	[ "${t##*/}" = "$leaderless" ] || ns_thr=$(stat -L -c %i "$t/ns/ipc")
done
run "$S" namespaces -J -b
is "$(row "$ns_thr")" "[1,4096,1,4096,1,$leaderless]" \
	"namespaces: the namespace of a process whose leader ended, from its thread"
release "$leaderless"
run "$S" namespaces --all -J
is "$(row "$ns_empty")" "[0,0,0,0,1,$empty]" "namespaces --all: the empty namespace too"
run "$S" namespaces -rn -o NS,SEGMENTS,ORPHANS
is "$(awk -v ns="$ns_in2" '$1 == ns' <<<"$out")" "$ns_in2 3 2" "namespaces -rn -o: the chosen columns"
run "$S" namespaces
is "$(head -n1 <<<"$out" | tr -s ' ' | sed 's/^ //')" "NS SEGMENTS SIZE ORPHANS ORPHANSIZE NPROCS PID COMMAND" \
	"namespaces: default columns"
like "$out" "$ns_in2 +3 +1M +2 +8K +1 +$inner2 " "namespaces: sizes for people"
run "$S" namespaces --list-columns -rn
is "$(awk '{ print $1 }' <<<"$out" | tr '\n' ' ')" "NS SEGMENTS SIZE ORPHANS ORPHANSIZE NPROCS PID COMMAND CGPATH UNIT CONTAINER POD " \
	"namespaces --list-columns: its own columns"
run "$S" namespaces --output-all -r
is "$(head -n1 <<<"$out")" "NS SEGMENTS SIZE ORPHANS ORPHANSIZE NPROCS PID COMMAND CGPATH UNIT CONTAINER POD" "namespaces --output-all: every column"
expect_status 2 "unknown column 'KEY'" "namespaces -o KEY" "$S" namespaces -o KEY
expect_status 2 "unexpected argument 'x'" "namespaces with an argument" "$S" namespaces x
expect_status 2 "mutually exclusive" "namespaces -J -r" "$S" namespaces -J -r
# a descriptor is held per namespace: a low soft limit is raised to the
# hard one; a hard limit too low for the namespaces is a clear failure
run prlimit --nofile=5:4096 "$S" namespaces -J -b
is "$rc" 0 "namespaces with a soft limit of 5 open files: raised, exit 0"
is "$(row "$ns_in2")" "[3,1056768,2,8192,1,$inner2]" "namespaces with a soft limit of 5 open files: the same counts"
expect_status 1 "cannot hold every IPC namespace open: .*ulimit -n" "namespaces with a hard limit of 5 open files" \
	prlimit --nofile=5 "$S" namespaces
is "$out" "" "namespaces with a hard limit of 5 open files: no partial list"
# with --ipc-ns the current namespace changes, the list does not (but
# shmtool itself is now one more process in it)
run "$S" --ipc-ns "$inner2" namespaces -J -b
is "$(row "$ns_in2")" "[3,1056768,2,8192,2,$inner2]" "--ipc-ns PID namespaces: the same counts"
# unprivileged: only its own namespace, and a warning for the rest. In a
# PID namespace of its own, so that processes of user 65534 that other
# tests run in parallel, in their namespaces, are not in the picture; a
# root process there is what it cannot inspect.
run unshare --pid --fork --mount-proc sh -c \
	'sleep 60 & setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; rc=$?; kill $!; exit $rc' \
	sh "$S" namespaces -rn -o NS,SEGMENTS
is "$rc" 0 "namespaces unprivileged: exit 0"
is "$out" "$ns_out 2" "namespaces unprivileged: only its own namespace"
like "$err" "cannot inspect [0-9]+ process(es)? \(permission denied\)" "namespaces unprivileged: says what it could not see"
# unprivileged, with a process of its own in an IPC namespace of its own
# (a rootless container): that namespace cannot be entered; the table
# still comes, that row without counts, and exit 1 for it
run unshare --pid --fork --mount-proc sh -c \
	'setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Ur --ipc sh -c "echo ready; exec sleep 60" |
	{ read -r line; setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }' \
	sh "$S" namespaces -rn -o NS,SEGMENTS,PID
is "$rc" 1 "namespaces unprivileged, a namespace it cannot enter: exit 1"
like "$out" "^$ns_out 2 " "namespaces unprivileged: its own namespace counted"
is "$(wc -l <<<"$out")" 2 "namespaces unprivileged: the other one listed too"
like "$err" "cannot enter the IPC namespace of process [0-9]+: permission denied" \
	"namespaces unprivileged: says which one it could not enter"
grep -q "cannot return" <<<"$err"
is "$?" 1 "namespaces unprivileged: never left its own namespace, so no way back needed"
is "$(shm_snapshot)" "$outer" "namespaces changed nothing here"

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# cat and attach-write under the programs' own semaphore (--sem,
# --sem-ftok, --sem-num, --wait), against tests/semdemo, a program in the
# tutorials' style: cat waits while it holds the lock, times out with
# --wait, never sees a torn record while it writes, and the program
# never reads a torn record that attach-write --sem wrote. Bad input:
# no set, a wrong number, no permission, a set never initialised, an
# interrupt while waiting (the semaphore is left as it was).
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"
S=$SHMTOOL
DEMO=$TOP_BUILDDIR/tests/semdemo
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
F=$WORK/app
: >"$F"
chmod 755 "$WORK"
is "$("$DEMO" "$F" init)" ready "the program made its set and segment"
semkey=$(printf '0x%08x' "$("$S" ftok "$F" J | awk '{ print $NF }')")
semid=$(ipcs -s | awk -v k="$semkey" '$1 == k { print $2 }')
# the value and the waiters of the set's semaphore 0, as ipcs says
semval() { ipcs -s -i "$semid" | awk '$1 == "0" { print $2 }'; }
ncount() { ipcs -s -i "$semid" | awk '$1 == "0" { print $3 }'; }
is "$(semval)" 1 "the lock is free"
# hold_start / hold_stop: the program takes the lock and keeps it until
# it is killed (SEM_UNDO gives the lock back)
hold_start() {
	rm -f "$WORK/held"
	"$DEMO" "$F" hold >"$WORK/held" &
	holder=$!
	until grep -q held "$WORK/held" 2>/dev/null; do sleep 0.01; done
}
hold_stop() {
	kill "$holder"
	wait "$holder" 2>/dev/null
}
# until_waiting: until a process waits for semaphore 0 (a few seconds
# at most: the loop ends, and the check after it says)
until_waiting() {
	for i in $(seq 500); do [ "$(ncount)" = 1 ] && break; sleep 0.01; done
}

# the program holds the lock: --wait 0 tries once, --wait 0.2 times out
hold_start
is "$(cat "$WORK/held"):$(semval)" "held:0" "the program holds the lock"
run "$S" cat --sem-ftok "$F:J" --ftok "$F:R" --wait 0 --length 1
is "$rc:$err" "1:shmtool: semaphore $semkey number 0 still held after 0" "--wait 0: tried once, exit 1"
is "$out" "" "--wait 0: nothing read"
run "$S" cat --sem "$semkey" --ftok "$F:R" --wait 0.2 --length 1
is "$rc:$err" "1:shmtool: semaphore $semkey number 0 still held after 0.2" "--wait 0.2: times out, exit 1"

# without --wait cat waits, in the kernel, until the program lets go
"$S" cat --sem-ftok "$F:J" --ftok "$F:R" --length 4 >"$WORK/waited" &
catter=$!
until_waiting
is "$(ncount)" 1 "cat waits for the semaphore"
hold_stop
wait "$catter"
is "$?:$(wc -c <"$WORK/waited")" "0:4" "cat read once the program let go"
is "$(semval)" 1 "the lock is free again"

# an interrupt while waiting leaves the semaphore as it was
# (a background job of a script ignores SIGINT unless given it back)
hold_start
env --default-signal=INT "$S" cat --sem-ftok "$F:J" --ftok "$F:R" >/dev/null &
catter=$!
until_waiting
kill -INT "$catter"
for i in $(seq 500); do kill -0 "$catter" 2>/dev/null || break; sleep 0.01; done
kill -KILL "$catter" 2>/dev/null
wait "$catter"
is "$?" 130 "SIGINT while waiting: cat ends"
is "$(ncount):$(semval)" "0:0" "SIGINT while waiting: no waiter left, still held by the program"
hold_stop
is "$(semval)" 1 "and free once the program lets go"

# the program writes records (64 KiB of one byte each) while cat --sem
# reads 300 times: never torn
"$DEMO" "$F" write 100000000 >/dev/null &
writer=$!
torn=0 reads=0
while [ "$reads" -lt 300 ]; do
	"$S" cat --sem-ftok "$F:J" --ftok "$F:R" >"$WORK/rec" || { torn=$((torn + 100000)); break; }
	[ "$(wc -c <"$WORK/rec")" = 65536 ] &&
		[ "$(tr -d "$(head -c 1 "$WORK/rec")" <"$WORK/rec" | wc -c)" = 0 ] || torn=$((torn + 1))
	reads=$((reads + 1))
done
kill "$writer"
wait "$writer" 2>/dev/null
is "$reads:$torn" "300:0" "300 reads by cat --sem while the program writes: none torn"
is "$(semval)" 1 "the writer's lock given back by the kernel when it was killed (SEM_UNDO)"

# attach-write --sem writes records while the program reads: never torn
# (the writer above was killed, maybe half way through a record: a whole
# one first)
for c in a b c d e f g h; do
	head -c 65536 /dev/zero | tr '\0' "$c" >"$WORK/rec.$c"
done
"$S" attach-write --sem-ftok "$F:J" --ftok "$F:R" --file "$WORK/rec.a"
"$DEMO" "$F" check 3000 >"$WORK/check" &
checker=$!
while kill -0 "$checker" 2>/dev/null; do
	for c in a b c d e f g h; do
		"$S" attach-write --sem-ftok "$F:J" --ftok "$F:R" --file "$WORK/rec.$c" || break 2
	done
done
wait "$checker"
is "$?:$(cat "$WORK/check")" "0:whole" "the program's reads while attach-write --sem writes: none torn"
run "$S" attach-write --sem "$semkey" --ftok "$F:R" --string hello --wait 1 -v
is "$rc" 0 "attach-write --sem --wait: the lock is free, exit 0"
is "$(semval)" 1 "attach-write gave the lock back"

# bad input
run "$S" cat --sem 0x7777 --ftok "$F:R"
is "$rc:$err" "1:shmtool: no semaphore set with key 0x00007777" "no set with that key"
run "$S" cat --sem "$semkey" --sem-num 3 --ftok "$F:R"
is "$rc:$err" "1:shmtool: semaphore set $semkey has 1 semaphore: no number 3" "a number past the set"
# a set of another user's, 0600: its own permissions decide
"$S" chmod 644 --ftok "$F:R"
sid=$(ipcmk -S 1 -p 0600 | awk '{ print $NF }')
skey=$(ipcs -s | awk -v id="$sid" '$2 == id { print $1 }')
run nobody "$S" cat --sem "$skey" --ftok "$F:R" --wait 0
is "$rc:$err" "1:shmtool: cannot use semaphore set $skey: permission denied" \
	"another user's set, mode 0600: permission denied"
F3=$WORK/raw
: >"$F3"
is "$("$DEMO" "$F3" raw)" ready "a set nobody initialised"
"$S" create -s 4096 --ftok "$F3:R" >/dev/null
run "$S" cat --sem-ftok "$F3:J" --ftok "$F3:R" --wait 0.1
like "$rc:$err" "^1:shmtool: semaphore set 0x[0-9a-f]+ is not initialised after 0.1 \(value 0 and no semop since it was made\)" \
	"a set never initialised: not used, said"
# a set set up by SETVAL alone (no semop yet): free, so it is used
F5=$WORK/setval
: >"$F5"
is "$("$DEMO" "$F5" setval)" ready "a set set up by SETVAL alone"
"$S" create -s 4096 --ftok "$F5:R" >/dev/null
run "$S" cat --sem-ftok "$F5:J" --ftok "$F5:R" --wait 1 --length 1
is "$rc" 0 "a set set up by SETVAL alone: taken at once"

# a stop and a continue while waiting (^Z, fg) do not end the wait
hold_start
"$S" cat --sem-ftok "$F:J" --ftok "$F:R" --length 4 >"$WORK/stopped" &
catter=$!
until_waiting
kill -STOP "$catter"
kill -CONT "$catter"
until_waiting
is "$(ncount)" 1 "stopped and continued: cat still waits"
hold_stop
wait "$catter"
is "$?:$(wc -c <"$WORK/stopped")" "0:4" "stopped and continued: cat reads once the lock is free"

# rm --sem leaves a set of another user's, of the same key
F6=$WORK/other
: >"$F6"
chmod 666 "$F6"
is "$(nobody "$DEMO" "$F6" init)" ready "another user's set"
okey=$(printf '0x%08x' "$("$S" ftok "$F6" J | awk '{ print $NF }')")
id=$("$S" create -s 4096 -k "$okey")
run "$S" rm --sem "$id"
is "$rc:$(ipcs -s | grep -c "^$okey ")" "1:1" "rm --sem: another user's set of the same key is left"
like "$err" "the semaphore set of key $okey is of uid 65534, not of the segment's owner or creator: not removed" \
	"rm --sem: says why"
run "$S" cat --sem 0x1 --sem-ftok "$F:J" --ftok "$F:R"
is "$rc" 2 "--sem and --sem-ftok: exit 2"

# create --sem: the set beside the segment, free, ready for the programs
id=$("$S" create -s 64K -k 0x5e --sem -m 0640)
run ipcs -s
like "$(awk '$1 == "0x0000005e"' <<<"$out")" "^0x0000005e +[0-9]+ +root +640 +1 *$" \
	"create --sem: a set of the segment's key and mode, one semaphore"
run "$S" stat "$id"
like "$out" "Semaphores: +set [0-9]+ of the same key, 1 semaphore" "stat: the set of the same key"
like "$out" "Semaphore 0: +value 1, last pid [0-9]+, 0 waiting" "stat: free (1), nobody waiting"
run "$S" attach-write --sem 0x5e -k 0x5e --string ok --wait 0
is "$rc" 0 "create --sem: the set is ready (initialised), attach-write --sem takes it at once"
run "$S" create -s 4096 -k 0x5f --sem=0x5e
is "$rc" 1 "create --sem=KEY of a set that exists: exit 1"
is "$("$S" list -rn -o KEY --key 0x5f)" "" "create --sem failing: no segment left behind"
run "$S" create -s 4096 --sem
is "$rc" 2 "create --sem of a private segment: exit 2 (no key to share)"
# gc never touches a set; rm --sem removes it, when asked
run "$S" gc -q --older-than 0 --key 0x5e
is "$rc:$("$S" list -rn -o KEY --key 0x5e):$(ipcs -s | grep -c 0x0000005e)" "0::1" \
	"gc removes the orphan segment, never its semaphore set"
id=$("$S" create -s 4096 -k 0x5e)
run "$S" rm -v --sem "$id"
is "$rc:$(ipcs -s | grep -c 0x0000005e)" "0:0" "rm --sem: the segment and the set of its key"
like "$err" "removed the semaphore set of key 0x0000005e" "rm --sem -v: says so"
id=$("$S" create -s 4096 -k 0x5e)
run "$S" rm --sem "$id"
is "$rc:$err" "1:shmtool: no semaphore set with key 0x0000005e" "rm --sem without a set: the segment removed, exit 1"

run "$S" cat --sem-num 1 --ftok "$F:R"
is "$rc" 2 "--sem-num without --sem: exit 2"
run "$S" cat --sem 0x1 --wait soon --ftok "$F:R"
is "$rc" 2 "--wait soon: exit 2"
run "$S" cat --sem 0 --ftok "$F:R"
is "$rc" 2 "--sem 0: exit 2"

done_testing

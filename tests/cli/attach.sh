#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Who is attached: PIDS, NPROCS, ATTACHED and PARTIAL in list, the
# process table of stat. In private IPC, PID and mount namespaces, so the
# only processes are this test's and every pid is known.
. "$(dirname "$0")/lib.sh"
in_private_ipc_pid "$@"
export TZ=UTC

S=$SHMTOOL
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
sorted() { tr ' ' '\n' <<<"$*" | sort -n | paste -sd, -; }
processes() { awk '$1 == "Processes:" { print $2 }' <<<"$out"; }  # of stat's record

a=$("$SHM_HELPER" create 0x11 12288 600)     # three pages, for the split
b=$("$SHM_HELPER" create 0x22 4096 666)
c=$("$SHM_HELPER" create 0x33 4096 600)      # never attached

# nothing attached yet: the columns say none, and not partial
run "$S" list -rn -o ID,NPROCS,PIDS,PARTIAL --key 0x11
is "$out" "$a 0  no" "no process attached: NPROCS 0, empty PIDS, not partial"

hold "$a" "$a"                  # one process, two mappings
p_twice=$holder
spawn fork "$a" "$b"            # a parent and its forked child
p_parent=$holder
p_child=${line#ready }
spawn split "$a"                # one attach split in three by mprotect
p_split=$holder
hold -r "$b"                    # read-only
p_ro=$holder
# a process in a nested IPC namespace: its first segment gets the same id
# as ours, and its maps show that inode
spawn_cmd unshare --ipc "$SHM_HELPER" ownhold 0x99 4096 600
p_other=$holder
is "$line" "$a" "the nested namespace's segment collides with segment $a"
like "$(grep -c "00:01 $a .*/SYSV00000099" "/proc/$p_other/maps")" "^1$" \
	"the nested process maps inode $a"
[ "$p_child" -gt 0 ] && [ "$p_child" != "$p_parent" ]
ok $? "the forked child has its own pid ($p_child)"

pids_a=$(sorted "$p_twice" "$p_parent" "$p_child" "$p_split")
pids_b=$(sorted "$p_parent" "$p_child" "$p_ro")

# nattch counts mappings: 2 + 1 + 1 (fork) + 3 (split)
is "$("$SHM_HELPER" stat "$a" | awk '$1 == "nattch" { print $2 }')" 7 "the kernel counts 7 mappings of $a"

run "$S" list -rn -o ID,NATTCH,NPROCS,PIDS --sort ID
is "$rc" 0 "list -o ...,NPROCS,PIDS: exit 0"
is "$err" "" "root sees every process: nothing on stderr"
is "$out" "$(printf '%s 7 4 %s\n%s 3 3 %s\n%s 0 0 ' "$a" "$pids_a" "$b" "$pids_b" "$c")" \
	"PIDS and NPROCS: processes, not mappings; the nested process is not there"
[[ ",$pids_a,$pids_b," != *",$p_other,"* ]]
ok $? "the process in the nested namespace ($p_other) is no attacher"

run "$S" list -rn -o ATTACHED --key 0x22
is "$out" "$(sed 's/\([0-9][0-9]*\)/\1(shm-helper)/g' <<<"$pids_b")" "ATTACHED: pid(command name)"

run "$S" list -rn -o ID,NPROCS --sort NPROCS
is "$out" "$(printf '%s 0\n%s 3\n%s 4' "$c" "$b" "$a")" "--sort NPROCS"
run "$S" list -rn -o ID --sort PIDS
is "$(head -n 1 <<<"$out")" "$c" "--sort PIDS: no process first"

run "$S" list -r -o +PIDS --key 0x11
is "$(head -n 1 <<<"$out")" "KEY ID OWNER PERMS SIZE NATTCH STATUS CTIME CPID LPID COMMAND PIDS" \
	"+PIDS appends to the default columns"
like "$(tail -n 1 <<<"$out")" " $pids_a\$" "+PIDS: the pids"

# JSON: NPROCS a number; PARTIAL comes along as a boolean
run "$S" list -J -o ID,NPROCS --key 0x11
is "$(jq -c '.shm[0]' <<<"$out")" "{\"id\":$a,\"nprocs\":4,\"partial\":false}" \
	"JSON: nprocs a number, partial added"
run "$S" list -J -o ID,PIDS,PARTIAL --key 0x33
# (an array without a number: libsmartcols before 2.39 writes [null])
is "$(jq -c '.shm[0] | [.id, (.pids | type), (.pids | map(numbers)), .partial]' <<<"$out")" \
	"[$c,\"array\",[],false]" "JSON: no process: PIDS an array of none, not partial"
run "$S" list -J -o ID,PIDS,ATTACHED --key 0x11
is "$(jq -c '.shm[0] | [(.pids | map(tostring) | join(",")), (.attached | type)]' <<<"$out")" \
	"[\"$pids_a\",\"array\"]" "JSON: PIDS and ATTACHED are arrays"
run "$S" list -J --output-all
is "$(jq '.shm[0] | length' <<<"$out")" 34 "--output-all has the attach and owner columns"

# stat: the table of attached processes
run "$S" stat "$a"
is "$rc" 0 "stat: exit 0"
is "$(processes)" 4 "stat: 4 processes"
table=$(sed -n '/^ *PID /,$p' <<<"$out")
is "$(head -n 1 <<<"$table" | tr -s ' ' | sed 's/^ //')" "PID USER COMMAND MAPPINGS ACCESS RANGES" \
	"stat: the process table's columns"
is "$(tail -n +2 <<<"$table" | awk '{ print $1 }' | paste -sd, -)" "$pids_a" "stat: one line per process, by pid"
row() { grep -E "^ *$1 " <<<"$table" | tr -s ' ' | sed 's/^ //'; }
first_last() {	# the segment's first and last address in a process's maps
	awk -v id="$2" '$5 == id && $6 ~ /^\/SYSV/ { split($1, r, "-"); if (!s) s = r[1]; e = r[2] }
		END { print s "-" e }' "/proc/$1/maps"
}
all_ranges() {
	awk -v id="$2" '$5 == id && $6 ~ /^\/SYSV/ { print $1 }' "/proc/$1/maps" | paste -sd, -
}
is "$(row "$p_split")" "$p_split root $SHM_HELPER split $a 3 rw,ro $(first_last "$p_split" "$a")" \
	"stat: the split process: 3 mappings, rw and ro, one range"
is "$(row "$p_twice")" "$p_twice root $SHM_HELPER hold $a $a 2 rw $(all_ranges "$p_twice" "$a")" \
	"stat: attached twice: 2 mappings, two ranges"
is "$(row "$p_child")" "$p_child root $SHM_HELPER fork $a $b 1 rw $(first_last "$p_child" "$a")" \
	"stat: the forked child"
run "$S" stat "$b"
table=$(sed -n '/^ *PID /,$p' <<<"$out")
like "$(row "$p_ro")" "^$p_ro root .* 1 ro [0-9a-f]+-[0-9a-f]+\$" "stat: a read-only attach is ro"
like "$out" "Last pid: +$p_ro \($SHM_HELPER hold -r $b\)" "stat: the last pid's command while it runs"
run "$S" stat "$c"
is "$(processes)" 0 "stat: an unattached segment has 0 processes"
[[ "$out" != *MAPPINGS* ]]
ok $? "stat: no process table without processes"
run "$S" stat --json "$a"
is "$(jdocs <<<"$out" | jq -c '.shm[0] | [.nprocs, (.pids | map(tostring) | join(",")), .partial]')" \
	"[4,\"$pids_a\",false]" "stat --json: nprocs, pids, partial"

# a process that exits is gone from the answer
release "$p_parent"
wait "$p_child" 2>/dev/null
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -d "/proc/$p_child" ] || break; sleep 0.1; done
run "$S" list -rn -o ID,NATTCH,NPROCS,PIDS --key 0x22
is "$out" "$b 1 1 $p_ro" "after the fork parent and child exit, only the read-only holder"

# An unprivileged caller cannot read root's processes: it says so once,
# and marks exactly the figures that may be short.
spawn_cmd setpriv --reuid=65534 --regid=65534 --clear-groups "$SHM_HELPER" hold "$b"
p_nobody=$holder
d=$("$SHM_HELPER" create 0x44 4096 666)
spawn_cmd setpriv --reuid=65534 --regid=65534 --clear-groups "$SHM_HELPER" hold "$d"
p_nobody_d=$holder

run nobody "$S" list -rn -o ID,NATTCH,NPROCS,PIDS --sort ID
is "$rc" 0 "unprivileged list: exit 0"
is "$out" "$(printf '%s 5 0+ ...\n%s 2 1+ %s,...\n%s 0 0 \n%s 1 1 %s' \
	"$a" "$b" "$p_nobody" "$c" "$d" "$p_nobody_d")" \
	"unprivileged: partial where mappings are missing, complete where all are found"
like "$err" "^shmtool: cannot inspect [0-9]+ process(es)? \(permission denied\): attached processes of 2 segments are partial\$" \
	"unprivileged: one message on stderr"
run nobody "$S" list -rn -o ATTACHED --key 0x22
is "$out" "$p_nobody(shm-helper),..." "unprivileged ATTACHED ends in ,..."
run nobody "$S" list -J -o ID,NPROCS --key 0x22
is "$(jq -c '.shm[0]' <<<"$out")" "{\"id\":$b,\"nprocs\":1,\"partial\":true}" \
	"unprivileged JSON: nprocs stays a number, partial true"
run nobody "$S" stat "$a"
like "$out" "Processes: +0\+ \(partial: 0 of 5 mappings found\)" "unprivileged stat: partial, with the figures"
like "$err" "cannot inspect" "unprivileged stat: the message"
run nobody "$S" stat "$d"
is "$(processes)" 1 "unprivileged stat of its own holder's segment: complete"
is "$err" "" "unprivileged stat, nothing missing: no message"

# the default columns never scan /proc: no message even when unprivileged
run nobody "$S" list
is "$rc:$err" "0:" "default columns: no /proc scan, no message"
run nobody "$S" list -o ID,NATTCH,CPID,COMMAND
is "$err" "" "other columns: no /proc scan"

run "$S" list --list-columns -r -n
is "$(awk '{ print $1 }' <<<"$out" | grep -E '^(PIDS|NPROCS|ATTACHED|PARTIAL)$' | paste -sd, -)" "PIDS,NPROCS,ATTACHED,PARTIAL" \
	"--list-columns: the attach columns"
like "$(grep PARTIAL <<<"$out")" "boolean" "--list-columns: PARTIAL is a boolean"

# a process whose main thread ended runs on in another thread, attached:
# the leader (a zombie) has empty maps and no namespace links, the
# thread has both
e=$("$SHM_HELPER" create 0x55 4096 600)
spawn holdthread "$e"
p_leaderless=$holder
is "$(cut -d' ' -f3 "/proc/$p_leaderless/stat")" Z "leader ended: the leader shows Z"
run "$S" list -rn -o ID,NATTCH,NPROCS,PIDS,PARTIAL --key 0x55
is "$out" "$e 1 1 $p_leaderless no" "leader ended: the process is attached, PIDS complete"
run "$S" stat "$e"
table=$(sed -n '/^ *PID /,$p' <<<"$out")
is "$(processes)" 1 "leader ended: stat counts the process"
like "$(row "$p_leaderless")" "^$p_leaderless root (.* )?1 rw [0-9a-f]+-[0-9a-f]+\$" "leader ended: stat's table has it"
release "$p_leaderless"

done_testing

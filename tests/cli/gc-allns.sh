#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# gc --all-namespaces (-A): the gc of every IPC namespace that a process
# is in, each removal made inside the segment's own namespace (the same
# ids are in each), one table with NS first, one summary; a namespace
# that cannot be entered is said, makes the exit status 1, and the rest
# goes on. In PID and IPC namespaces of the test's own: only its
# processes are seen.
. "$(dirname "$0")/lib.sh"
in_private_ipc_pid "$@"
S=$SHMTOOL
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
ns_of() { stat -L -c %i "/proc/$1/ns/ipc"; }
# keys_in PID: the keys of the segments of that process's namespace
keys_in() {
	nsenter --ipc="/proc/$1/ns/ipc" tail -n +2 /proc/sysvipc/shm |
		awk '{ printf "0x%08x\n", $1 < 0 ? $1 + 4294967296 : $1 }' | sort | paste -sd' '
}

# ours: segment 0 an orphan (0x10), segment 1 attached (0x11)
own=$(ns_of $$)
"$S" create -s 4K -k 0x10 >/dev/null
a=$("$S" create -s 4K -k 0x11)
hold "$a"
# a second namespace: segment 0 an orphan (0x20), segment 1 attached
# (0x21); a third: segment 0 an orphan whose creator is gone (0x30),
# segment 1 one whose creator runs (0x31)
spawn_cmd unshare --ipc sh -c '"$0" create -s 8K -k 0x20 >/dev/null &&
	id=$("$0" create -s 4K -k 0x21) && exec "$1" hold "$id"' "$S" "$SHM_HELPER"
p1=$holder ns1=$(ns_of "$holder")
spawn_cmd unshare --ipc sh -c '"$0" create -s 16K -k 0x30 >/dev/null &&
	exec "$1" own 0x31 4096 600' "$S" "$SHM_HELPER"
p2=$holder ns2=$(ns_of "$holder")
is "$(keys_in $$):$(keys_in "$p1"):$(keys_in "$p2")" \
	"0x00000010 0x00000011:0x00000020 0x00000021:0x00000030 0x00000031" "the three namespaces"

# the grace period holds in each
run "$S" gc -A --dry-run
is "$rc:$out" "0:" "gc -A --dry-run: exit 0, no candidates"
like "$err" "^would remove 0 segments \(0B\); kept 4 idle for less than 5m\$" \
	"gc -A: one summary, counted over every namespace"

# a dry run: the orphans of every namespace, NS first, nothing changed
run "$S" gc -A --dry-run --older-than 0
is "$rc" 0 "gc -A --dry-run --older-than 0: exit 0"
is "$(head -n 1 <<<"$out" | tr -s ' ' | sed 's/^ //')" \
	"NS ID KEY OWNER SIZE AGE CPID COMMAND LPID LCOMMAND ACTION REASON" "gc -A: NS first"
like "$err" "^would remove 4 segments \(32K\)\$" "gc -A --dry-run: the summary of all"
run "$S" gc -A --dry-run --older-than 0 -rn -o NS,ID,KEY,ACTION
is "$out" "$(printf '%s\n' "$own 0 0x00000010 would\\x20remove" "$ns1 0 0x00000020 would\\x20remove" \
	"$ns2 0 0x00000030 would\\x20remove" "$ns2 1 0x00000031 would\\x20remove" | sort -n -k1,1 -s)" \
	"gc -A --dry-run: each namespace's orphans, by namespace"
is "$(keys_in $$):$(keys_in "$p1"):$(keys_in "$p2")" \
	"0x00000010 0x00000011:0x00000020 0x00000021:0x00000030 0x00000031" "a dry run changes nothing"
run "$S" gc --dry-run --older-than 0 -rn -o NS,KEY
is "$out" "$own 0x00000010" "gc without -A: this namespace only"

# the filters apply in each namespace
run "$S" gc -A --dry-run --older-than 0 --min-size 8K --exclude-key 0x30 -rn -o NS,KEY
is "$out" "$ns1 0x00000020" "gc -A: --min-size and --exclude-key in every namespace"
like "$err" "kept 1 by --exclude-key" "gc -A: the exclusion counted"
run "$S" gc -A --dry-run --older-than 0 --creator-gone -rn -o NS,KEY
is "$(awk '{ print $2 }' <<<"$out" | sort | paste -sd' ')" "0x00000010 0x00000020 0x00000030" \
	"gc -A --creator-gone: the creator of 0x31 runs in its namespace"

# JSON: one array, the namespace in each row, one summary
run "$S" gc -A --dry-run --older-than 0 -J -o ID,KEY
is "$(jdocs <<<"$out" | jq -c '[.shm[] | [.ns, .id, .key]] | sort')" \
	"$(jq -nc --argjson o "$own" --argjson a "$ns1" --argjson b "$ns2" \
		'[[$o,0,"0x00000010"],[$a,0,"0x00000020"],[$b,0,"0x00000030"],[$b,1,"0x00000031"]] | sort')" \
	"gc -A --json: ns in each row"
is "$(jdocs <<<"$out" | jq -c '.summary[0] | [.action, .count, .bytes]')" '["would remove",4,32768]' \
	"gc -A --json: the summary of all"

# a real removal: segment 0 of the second namespace, and no other
# segment 0
run "$S" gc -A --older-than 0 --key 0x20 -rn -o NS,ID,ACTION
is "$rc:$out" "0:$ns1 0 removed" "gc -A --key: removed in its namespace"
is "$(keys_in $$):$(keys_in "$p1"):$(keys_in "$p2")" \
	"0x00000010 0x00000011:0x00000021:0x00000030 0x00000031" \
	"gc -A: segment 0 of that namespace went, the other segments 0 stayed"

# --interactive: the question names the namespace, the answer counts
# there
run sh -c 'echo n | "$0" gc -A --older-than 0 --key 0x30 -i -rn -o NS,ID,ACTION,REASON' "$S"
is "$rc:$out" "0:$ns2 0 skipped declined" "gc -A -i: n keeps it"
like "$err" "^remove segment 0 of IPC namespace $ns2 \(key 0x00000030, 16K\)\? \[y/N\] " \
	"gc -A -i: the question names the namespace"
run sh -c 'echo y | "$0" gc -A --older-than 0 --key 0x30 -i -rn -o NS,ID,ACTION' "$S"
is "$rc:$out" "0:$ns2 0 removed" "gc -A -i: y removes it"
is "$(keys_in $$):$(keys_in "$p2")" "0x00000010 0x00000011:0x00000031" "gc -A -i: in its namespace only"

# -q: every namespace's orphans go, silently; attached ones stay
run "$S" gc -A -q --older-than 0
is "$rc:$out:$err" "0::" "gc -A -q: exit 0, silent"
is "$(keys_in $$):$(keys_in "$p1"):$(keys_in "$p2")" "0x00000011:0x00000021:" \
	"gc -A: the orphans of every namespace removed, the attached kept"

# what -A does not go with
expect_status 2 "--all-namespaces does not go with --ipc-ns" "gc -A with --ipc-ns" \
	"$S" --ipc-ns "$p1" gc -A
expect_status 2 "--all-namespaces does not apply to POSIX objects" "gc -A --posix" "$S" gc -A --posix
expect_status 2 "--all-namespaces does not apply to POSIX objects" "gc --posix --all-namespaces" \
	"$S" gc --posix --all-namespaces

# a namespace that cannot be entered: nobody's process in a namespace
# of root's user namespace; the rest is done, the status is 1
spawn_cmd unshare --ipc setpriv --reuid=65534 --regid=65534 --clear-groups "$SHM_HELPER" own 0x40 4K 600
p3=$holder
nobody "$S" create -s 4K -k 0x12 >/dev/null
run nobody "$S" gc -A --older-than 0 -rn -o NS,KEY,ACTION
is "$rc" 1 "a namespace that cannot be entered: exit 1"
like "$err" "cannot enter the IPC namespace of process $p3: " "a namespace that cannot be entered: said"
is "$out" "$own 0x00000012 removed" "a namespace that cannot be entered: the others are done"
like "$err" "removed 1 segment \(4K\)" "a namespace that cannot be entered: the summary of the rest"
is "$(keys_in "$p3")" "0x00000040" "a namespace that cannot be entered: untouched"

# -q: a failure is said with its namespace (the same id is in others)
"$S" create -s 4K -k 0x13 >/dev/null
id=$("$S" list -rn -o ID --key 0x13)
run nobody "$S" gc -A -q --older-than 0
is "$rc" 1 "gc -A -q, a segment that cannot be removed: exit 1"
like "$err" "cannot remove segment $id of IPC namespace $own: permission denied" \
	"gc -A -q: the failure names the namespace"

done_testing

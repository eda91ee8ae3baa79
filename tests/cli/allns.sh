#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# list --all-namespaces (-A): the segments of every IPC namespace that a
# process is in, NS first, one table (one JSON array), sorted across
# namespaces, with the attached processes of each row's own namespace;
# a namespace that cannot be entered is said and makes the exit status
# 1, and the rest is listed. In PID and IPC namespaces of the test's own:
# only its processes are seen.
. "$(dirname "$0")/lib.sh"
in_private_ipc_pid "$@"
S=$SHMTOOL
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
ns_of() { stat -L -c %i "/proc/$1/ns/ipc"; }

# ours: segment 0 of 8K, attached once
own=$(ns_of $$)
a=$("$S" create -s 8K -k 0x10)
hold "$a"
# two more namespaces, each with a process: the first with segments of
# 1M, 3K and 2K (nobody attached), the second with segment 0 of 4K
# attached twice
spawn_cmd unshare --ipc sh -c '"$0" create -s 1M -k 0x20 >/dev/null &&
	"$0" create -s 3K -k 0x21 >/dev/null && exec "$1" own 0x22 2048 600' "$S" "$SHM_HELPER"
p1=$holder ns1=$(ns_of "$holder")
spawn_cmd unshare --ipc sh -c 'id=$("$0" create -s 4K -k 0x30) && exec "$1" hold "$id"' "$S" "$SHM_HELPER"
p2=$holder ns2=$(ns_of "$holder")
spawn_cmd nsenter --ipc="/proc/$p2/ns/ipc" "$SHM_HELPER" hold 0
p2b=$holder

run "$S" list -A
is "$rc:$err" "0:" "list -A: exit 0, quiet"
is "$(head -n 1 <<<"$out" | tr -s ' ' | sed 's/^ //')" \
	"NS KEY ID OWNER PERMS SIZE NATTCH STATUS CTIME CPID LPID COMMAND" "list -A: NS first"
run "$S" list -A -rn -o NS,KEY,SIZE -b
is "$out" "$(printf '%s\n' "$own 0x00000010 8192" "$ns1 0x00000020 1048576" "$ns1 0x00000021 3072" \
	"$ns1 0x00000022 2048" "$ns2 0x00000030 4096" | sort -n -k1,1 -s)" \
	"list -A: every namespace's segments, by namespace then id"
run "$S" list -rn -o NS,KEY
is "$out" "$own 0x00000010" "list without -A: NS is this namespace"

# one JSON array, the namespace in each row (NS added to the columns)
run "$S" list -A -J -o ID,KEY
is "$(jq -c '[.shm[] | [.ns, .key]] | sort' <<<"$out")" \
	"$(jq -nc --argjson o "$own" --argjson a "$ns1" --argjson b "$ns2" \
		'[[$o,"0x00000010"],[$a,"0x00000020"],[$a,"0x00000021"],[$a,"0x00000022"],[$b,"0x00000030"]] | sort')" \
	"list -A --json: one array, ns in each row"

# sorted across namespaces
run "$S" list -A -rn -o KEY --sort -SIZE
is "$(tr '\n' ' ' <<<"$out")" "0x00000020 0x00000010 0x00000030 0x00000021 0x00000022 " \
	"list -A --sort -SIZE: largest first, whatever the namespace"

# segment 0 of each namespace: its own attached processes
run "$S" list -A -rn -o NS,ID,NPROCS,PIDS --key 0x30
is "$out" "$ns2 0 2 $(printf '%s\n' "$p2" "$p2b" | sort -n | paste -sd,)" \
	"list -A: the attached processes of a segment are those of its namespace"
run "$S" list -A -rn -o NS,KEY,NPROCS --sort NPROCS
is "$(awk '{ print $2 ":" $3 }' <<<"$out" | tr '\n' ' ')" \
	"0x00000020:0 0x00000021:0 0x00000022:0 0x00000010:1 0x00000030:2 " \
	"list -A --sort NPROCS: each row counted in its namespace"

# metrics -A: each namespace's series, labelled by its inode
run "$S" metrics -A
is "$rc" 0 "metrics -A: exit 0"
is "$(grep '^shmtool_segments{' <<<"$out" | sort)" "$(printf '%s\n' \
	"shmtool_segments{ipc_namespace=\"$ns1\"} 3" "shmtool_segments{ipc_namespace=\"$ns2\"} 1" \
	"shmtool_segments{ipc_namespace=\"$own\"} 1" | sort)" "metrics -A: a series per namespace"
is "$(grep -c '^# TYPE shmtool_segments gauge$' <<<"$out")" 1 "metrics -A: each family once"
like "$(grep '^shmtool_owner_bytes{' <<<"$out" | grep "\"$ns1\"")" \
	"^shmtool_owner_bytes\\{ipc_namespace=\"$ns1\",uid=\"0\",user=\"root\"\\} $((1048576 + 3072 + 2048))\$" \
	"metrics -A: the owner series carry the namespace too"
is "$(grep -c 'shmtool_limit_shmmni_segments{ipc_namespace=' <<<"$out")" 3 "metrics -A: each namespace's limits"
if command -v promtool >/dev/null; then
	run promtool check metrics <<<"$("$S" metrics -A)"
	is "$rc:$out$err" "0:" "metrics -A: promtool check metrics"
else
	skip "no promtool: metrics -A not checked by it"
fi
run "$S" metrics -A --posix
is "$rc" 2 "metrics -A --posix: exit 2"
run "$S" --ipc-ns "$p1" metrics -A
is "$rc" 2 "--ipc-ns with metrics -A: exit 2"

# what -A does not go with
run "$S" --ipc-ns "$p1" list -A
is "$rc" 2 "--ipc-ns with list -A: exit 2"
like "$err" "--all-namespaces does not go with --ipc-ns" "--ipc-ns with list -A: says why"
run "$S" --ipc-ns "$p1" list -A --posix
is "$rc" 2 "--ipc-ns with list -A --posix: exit 2"

# a namespace that cannot be entered: nobody's process in a namespace
# of root's user namespace (nobody may read its ns/ipc, not setns)
spawn_cmd unshare --ipc setpriv --reuid=65534 --regid=65534 --clear-groups "$SHM_HELPER" own 0x40 4K 600
p3=$holder
run nobody "$S" list -A -rn -o KEY
is "$rc" 1 "a namespace that cannot be entered: exit 1"
like "$err" "cannot enter the IPC namespace of process $p3: " "a namespace that cannot be entered: said"
is "$out" "0x00000010" "a namespace that cannot be entered: the others are listed"
like "$err" "cannot inspect [0-9]+ process" "nobody cannot inspect root's processes: said"

done_testing

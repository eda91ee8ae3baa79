#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Mappings that only look like System V attachments: any user can make
# its own user and mount namespaces, make a tmpfs their root and map a
# file /SYSV... whose inode is a segment's id. The maps line then has the
# name and the inode of an attachment but another device, and no
# " (deleted)" unless the file is removed. Such a process is no
# attacher. Also: a segment of huge pages (another device: the kernel's
# hugetlbfs mount) is still found, when huge pages can be had.
. "$(dirname "$0")/lib.sh"
in_private_ipc_pid "$@"

S=$SHMTOOL
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

# ids 0..5 in this new namespace; a new tmpfs numbers its files from 2 up
for k in 1 2 3 4 5 6; do last=$("$SHM_HELPER" create "0x5$k" 4096 600); done
del=$((last - 1))       # faked with " (deleted)"; also really attached
kept=$last              # faked without it

if ! $NOBODY unshare -Urm true 2>/dev/null; then
	skip "no unprivileged user namespaces here"
else
	spawn_cmd $NOBODY unshare -Urm "$SHM_HELPER" fakesysv /tmp "$del"
	fake_del=$holder
	line_del=$line
	spawn_cmd $NOBODY unshare -Urm "$SHM_HELPER" fakesysv /tmp "$kept" keep
	fake_kept=$holder
	line_kept=$line
fi
if [ "${line_del:-}" != ready ] || [ "${line_kept:-}" != ready ]; then
	skip "cannot fake the mappings: ${line_del:-} ${line_kept:-}"
else
	like "$(grep -E " $del +/SYSV[0-9a-f]{8} \(deleted\)\$" "/proc/$fake_del/maps")" \
		"^[0-9a-f]+-[0-9a-f]+ rw-s 0+ [0-9a-f]+:[0-9a-f]+ $del " \
		"the fake maps a deleted /SYSV file of inode $del"
	like "$(grep -E " $kept +/SYSV[0-9a-f]{8}\$" "/proc/$fake_kept/maps")" \
		"^[0-9a-f]+-[0-9a-f]+ rw-s 0+ [0-9a-f]+:[0-9a-f]+ $kept " \
		"the other maps a /SYSV file of inode $kept, not deleted"
	hold "$del" "$kept"
	real=$holder

	run "$S" list -rn -o ID,NATTCH,NPROCS,PIDS,PARTIAL --sort ID
	is "$rc:$err" "0:" "list: exit 0, nothing on stderr"
	is "$(grep -E "^($del|$kept) " <<<"$out")" \
		"$(printf '%s 1 1 %s no\n%s 1 1 %s no' "$del" "$real" "$kept" "$real")" \
		"list: only the real attacher, neither fake"
	run "$S" list -J -o ID,NPROCS,ATTACHED
	is "$(jq -c ".shm[] | select(.id == $kept)" <<<"$out")" \
		"{\"id\":$kept,\"nprocs\":1,\"attached\":[\"$real(shm-helper)\"],\"partial\":false}" \
		"list --json: the fake is not attached"
	for id in "$del" "$kept"; do
		run "$S" stat "$id"
		is "$(awk '$1 == "Processes:" { print $2 }' <<<"$out")" 1 "stat $id: one process, the real one"
		table=$(sed -n '/^ *PID /,$p' <<<"$out")
		is "$(tail -n +2 <<<"$table" | awk '{ print $1 }' | paste -sd, -)" "$real" \
			"stat $id: the table has the real attacher alone"
	done
	release "$real"
	release "$fake_del"
	release "$fake_kept"
fi

# Huge pages: the segment is a file of the kernel's hugetlbfs mount of
# its page size. vm.nr_hugepages is the machine's: raised by one page
# only when none is free, and put back.
huge_kb=$(awk '$1 == "Hugepagesize:" { print $2 }' /proc/meminfo)
free_huge() { awk '$1 == "HugePages_Free:" { print $2 }' /proc/meminfo; }
old_nr=""
restore_nr() { [ -z "$old_nr" ] || echo "$old_nr" >/proc/sys/vm/nr_hugepages; old_nr=""; }
trap 'restore_nr; cleanup' EXIT
if [ -n "$huge_kb" ] && [ "$(free_huge)" = 0 ] && [ -w /proc/sys/vm/nr_hugepages ]; then
	old_nr=$(cat /proc/sys/vm/nr_hugepages)
	echo $((old_nr + 1)) >/proc/sys/vm/nr_hugepages 2>/dev/null
fi
huge=""
if [ -n "$huge_kb" ] && [ "$(free_huge)" -gt 0 ]; then
	huge=$("$SHM_HELPER" create 0x77 $((huge_kb * 1024)) 4600 2>/dev/null)  # SHM_HUGETLB
fi
if [ -z "$huge" ]; then
	skip "no huge page to be had"
else
	hold "$huge"
	hholder=$holder
	like "$(grep -E " $huge +/SYSV00000077 \(deleted\)\$" "/proc/$hholder/maps")" \
		"^[0-9a-f]+-[0-9a-f]+ rw-s 0+ [0-9a-f]+:[0-9a-f]+ $huge " "the huge page segment is mapped"
	run "$S" list -rn -o ID,NATTCH,NPROCS,PIDS,PARTIAL --key 0x77
	is "$rc:$out" "0:$huge 1 1 $hholder no" "list: the holder of a huge page segment"
	run "$S" stat "$huge"
	is "$(awk '$1 == "Processes:" { print $2 }' <<<"$out")" 1 "stat: the holder of a huge page segment"
	release "$hholder"
	"$SHM_HELPER" rmid "$huge"
fi
restore_nr

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# list reads the segments by shmctl(SHM_STAT_ANY), and /proc/sysvipc/shm
# only for RSS and SWAP: both must show what the kernel's own file shows,
# field by field, for segments of every kind.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"
export TZ=UTC

H=$SHM_HELPER
cols=KEY,ID,PERMS,STATUS,SIZE,CPID,LPID,NATTCH,UID,GID,CUID,CGID,ATIME,DTIME,CTIME
list_raw() { "$SHMTOOL" list -rn -b --numeric-perms --time-format iso "$@"; }

# index 0, attached: a key above 0x7fffffff, which the file prints signed
a=$("$H" create 0xdeadbeef 4096 0640)
hold "$a"
"$H" create 0x80000000 4096 0600 >/dev/null
"$H" create 0x7fffffff 8192 0644 >/dev/null
# above 4 GiB (never touched: no memory taken)
"$H" create 0 6442450944 0600 >/dev/null
l=$("$H" create 0x1234 4096 0600)
"$H" lock "$l"
# removed while attached: key 0 and SHM_DEST
d=$("$H" create 0x4321 4096 0600)
hold "$d"
"$H" rmid "$d"
# attached and detached by a process that runs on
t=$("$H" create 0 4096 0600)
spawn touch "$t"
# owner changed after creation; created by another user
c=$("$H" create 0 4096 0660)
"$H" chown "$c" 1234
setpriv --reuid=65534 --regid=65534 --clear-groups "$H" create 0x77 4096 0600 >/dev/null
# the kernel gives indexes round (64 at least before one comes again,
# with the next sequence number in the id's upper bits): ids above 32767,
# and holes
for i in $(seq 70); do "$H" rmid "$("$H" create 0 4096 0600)"; done
"$H" create 0 4096 0600 >/dev/null
h=$("$H" create 0 4096 0600)
"$H" create 0 4096 0600 >/dev/null
"$H" rmid "$h"

iso() { [ "$1" = 0 ] || date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# The kernel's lines as list -rn -b --numeric-perms --time-format iso
# shows the columns $cols (and RSS,SWAP with "memory"): fields converted
# one by one, nothing taken from shmtool.
proc_rows() {
	local key id perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime rss swap p st
	tail -n +2 /proc/sysvipc/shm |
	while read -r key id perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime rss swap; do
		p=$((8#$perms))
		st=
		[ $((p & 01000)) -eq 0 ] || st=dest
		[ $((p & 02000)) -eq 0 ] || st=${st:+$st,}locked
		printf '0x%08x %s %04o %s %s %s %s %s %s %s %s %s %s %s %s' \
			$((key & 0xffffffff)) "$id" $((p & 0777)) "$st" "$size" "$cpid" "$lpid" \
			"$nattch" "$uid" "$gid" "$cuid" "$cgid" "$(iso "$atime")" "$(iso "$dtime")" \
			"$(iso "$ctime")"
		[ "${1:-}" != memory ] || printf ' %s %s' "$rss" "$swap"
		printf '\n'
	done
}

want=$(proc_rows)
want_mem=$(proc_rows memory)
is "$(wc -l <<<"$want")" 11 "11 segments in /proc/sysvipc/shm"
like "$(awk '$2 >= 32768' <<<"$want")" . "ids above 32767"
# the highest index: where the kernel's IPC_INFO ends the walk
last=$(tail -n +2 /proc/sysvipc/shm | awk '{ print $2 % 32768 }' | sort -n | tail -n 1)
like "$want" '^0xdeadbeef [0-9]+ 0640  4096 [0-9]+ [0-9]+ 1 ' "a key above 0x7fffffff, attached"
like "$want" ' 0600 dest 4096 ' "a removed segment"
like "$want" ' 0600 locked 4096 ' "a locked segment"
like "$want" ' 6442450944 ' "a size above 4 GiB"
like "$want" ' 0 0 65534 65534 ' "created by another user"
like "$want" ' 1234 0 0 0 ' "the owner changed"

run list_raw -o "$cols"
is "$rc:$err" "0:" "SHM_STAT_ANY: exit 0, quiet"
is "$out" "$want" "SHM_STAT_ANY: every segment, field by field as /proc/sysvipc/shm, in its order"

run list_raw -o "$cols,RSS,SWAP"
is "$rc:$err" "0:" "RSS and SWAP from /proc/sysvipc/shm: exit 0, quiet"
is "$out" "$want_mem" "RSS and SWAP from /proc/sysvipc/shm: every field as the file shows it"

run list_raw -o "$cols" --sort RSS
is "$(sort <<<"$out")" "$(sort <<<"$want")" "sorted by RSS: every segment"

# SHM_STAT_ANY needs no read permission: nobody sees every segment too
run setpriv --reuid=65534 --regid=65534 --clear-groups "$SHMTOOL" list -rn -b \
	--numeric-perms --time-format iso -o "$cols"
is "$rc:$out" "0:$want" "an unprivileged user: every segment, readable or not"

# which source each reads (LeakSanitizer cannot run under ptrace)
traced() {	# traced STRACE-OPTION... -- CMD...
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -o "$WORK/trace" -e trace=openat,shmctl "${opts[@]}" "$@" >"$WORK/out" 2>/dev/null
	out=$(cat "$WORK/out")
}
if command -v strace >/dev/null; then
	traced -- "$SHMTOOL" list -rn -o ID
	is "$(grep -c 'sysvipc/shm' "$WORK/trace")" 0 "without RSS or SWAP: /proc/sysvipc/shm not opened"
	is "$(grep -c 'SHM_STAT_ANY' "$WORK/trace")" $((last + 1)) \
		"without RSS or SWAP: one SHM_STAT_ANY an index, up to the highest"
	traced -- "$SHMTOOL" list -rn -o ID,RSS
	is "$(grep -c 'sysvipc/shm' "$WORK/trace")" 1 "RSS: /proc/sysvipc/shm opened"
	is "$(grep -c 'SHM_STAT_ANY' "$WORK/trace")" 0 "RSS: no SHM_STAT_ANY"

	# A security module refusing SHM_STAT_ANY for one segment (here the
	# third shmctl: IPC_INFO, index 0, index 1): /proc/sysvipc/shm lists
	# it, and so does list, after the others.
	traced -e inject=shmctl:error=EACCES:when=3 -- \
		"$SHMTOOL" list -rn -b --numeric-perms --time-format iso -o "$cols"
	like "$(cat "$WORK/trace")" 'shmctl\(1, SHM_STAT_ANY, [^)]*\) = -1 EACCES .*INJECTED' \
		"the refusal is SHM_STAT_ANY's of index 1"
	is "$(sort <<<"$out")" "$(sort <<<"$want")" "SHM_STAT_ANY refused once: still every segment"
	is "$(tail -n 1 <<<"$out")" "$(sed -n 2p <<<"$want")" "the refused one, from /proc, comes last"
else
	for i in 1 2 3 4 5 6 7; do skip "no strace"; done
fi

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# limits: the kernel's limits beside what is used of them, the figures
# lsipc -g and ipcs -l give in the same namespace; sysctls set in the
# test's own IPC namespace show; --usage as ipcs -u; --posix of a tmpfs
# of the test's own; JSON types; unprivileged and --ipc-ns.
. "$(dirname "$0")/lib.sh"
in_private_shm "$@"
private_dev_shm 16m
S=$SHMTOOL
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
# cell ROW COLUMN [OPTIONS...]: one figure, raw and exact
cell() {
	local row=$1 col=$2
	shift 2
	"$S" limits -rnb -o "RESOURCE,$col" "$@" | awk -v r="$row" '$1 == r { print $2 }'
}

# values of our own: the namespace's sysctls are its own
sysctl -qw kernel.shmmni=100 kernel.shmall=5000 kernel.shmmax=1048576
"$S" create -s 64K >/dev/null
"$S" create -s 200000 >/dev/null
run "$S" limits
is "$rc:$err" "0:" "limits: exit 0, quiet"
is "$(head -n 1 <<<"$out" | tr -s ' ')" "RESOURCE DESCRIPTION LIMIT USED USE%" "limits: lsipc -g's columns"
is "$(cell SHMMNI LIMIT):$(cell SHMMNI USED)" "100:2" "SHMMNI: kernel.shmmni, the segments in use"
pages=$(( (65536 + 4095) / 4096 + (200000 + 4095) / 4096 ))
is "$(cell SHMALL LIMIT):$(cell SHMALL USED)" "5000:$pages" "SHMALL: kernel.shmall, the pages allocated"
is "$(cell SHMMAX LIMIT):$(cell SHMMAX USED)" "1048576:200000" "SHMMAX: kernel.shmmax, the largest segment"
is "$(cell SHMMIN LIMIT):$(cell SHMMIN USED)" "1:" "SHMMIN: 1, nothing used"
is "$(cell SHMMNI USE%)" "2.00%" "USE%: used over limit"
is "$(cell SHMALL LIMIT-BYTES):$(cell SHMALL USED-BYTES)" "$((5000 * 4096)):$((pages * 4096))" \
	"SHMALL in bytes: pages times the page size"
is "$("$S" limits -rn -o RESOURCE,LIMIT | awk '$1 == "SHMMAX" { print $2 }')" 1M "SHMMAX for people without -b"

# the same as lsipc -g and ipcs -l say
if command -v lsipc >/dev/null; then
	is "$(cell SHMMNI LIMIT):$(cell SHMMNI USED)" \
		"$(lsipc -g --raw --noheadings --bytes -o RESOURCE,LIMIT,USED | awk '$1 == "SHMMNI" { print $2 ":" $3 }')" \
		"SHMMNI: as lsipc -g says"
	# lsipc's SHMALL use is the sum of the sizes over the page size (64
	# here); the kernel counts whole pages per segment (65), as ipcs -u
	is "$(cell SHMALL LIMIT)" \
		"$(lsipc -g --raw --noheadings --bytes -o RESOURCE,LIMIT | awk '$1 == "SHMALL" { print $2 }')" \
		"SHMALL: the limit lsipc -g says"
	is "$(cell SHMMAX LIMIT)" "$(lsipc -g --raw --noheadings --bytes -o RESOURCE,LIMIT | awk '$1 == "SHMMAX" { print $2 }')" \
		"SHMMAX: as lsipc -g says"
else
	skip "no lsipc: limits not compared with it"
fi
is "$(cell SHMMNI LIMIT)" "$(ipcs -m -l | sed -n 's/^max number of segments = //p')" "SHMMNI: as ipcs -l says"

# -e: pairs a shell reads, USE% as USE_PCT
run "$S" limits -e -o RESOURCE,USE%,LIMIT-BYTES
is "$(eval "$(head -n 2 <<<"$out" | tail -n 1)"; echo "$RESOURCE $USE_PCT $LIMIT_BYTES")" \
	"SHMALL $(cell SHMALL USE%) 19.5M" "limits -e: shell names, USE_PCT and LIMIT_BYTES"

# JSON: typed, null where a row has no figure
run "$S" limits -J --output-all
is "$(jq -c '.limits[] | select(.resource == "SHMMIN") | [.limit, .used, ."use%", .unit]' <<<"$out")" \
	'[1,null,null,"bytes"]' "JSON: numbers, null for what a row has not"
is "$(jq -c '.limits[] | select(.resource == "SHMMNI") | [.limit, .used, ."use%", ."limit-bytes"]' <<<"$out")" \
	'[100,2,2,null]' "JSON: USE% a number of percent"

# --usage: ipcs -u's figures, and the sysctls (in a namespace of their
# own: shm_rmid_forced=1 removes every unattached segment at once)
run "$S" limits --usage -rn -o RESOURCE,USED
is "$rc" 0 "limits --usage: exit 0"
is "$(awk '$1 == "SEGMENTS" || $1 == "PAGES" || $1 == "RMID_FORCED" || $1 == "NEXT_ID"' <<<"$out" | tr '\n' ' ')" \
	"SEGMENTS 2 PAGES $pages RMID_FORCED 0 NEXT_ID  " "limits --usage: segments, pages, the sysctls (next id unset)"
is "$(awk '$1 == "PAGES" { print $2 }' <<<"$out")" \
	"$(ipcs -m -u | sed -n 's/^pages allocated *//p')" "limits --usage: pages as ipcs -u says"
run "$S" limits --usage -J
is "$(jq -c '.usage[] | select(.resource == "NEXT_ID") | .used' <<<"$out")" null "NEXT_ID unset: null"
run unshare --ipc sh -c 'echo 77 >/proc/sys/kernel/shm_next_id && echo 1 >/proc/sys/kernel/shm_rmid_forced &&
	exec "$0" limits --usage -rn -o RESOURCE,USED' "$S"
is "$(awk '$1 == "RMID_FORCED" || $1 == "NEXT_ID"' <<<"$out" | tr '\n' ' ')" "RMID_FORCED 1 NEXT_ID 77 " \
	"limits --usage: the namespace's sysctls"

# --posix: the tmpfs of /dev/shm, 16 MiB
head -c 1048576 /dev/zero >/dev/shm/one
run "$S" limits --posix -rnb -o RESOURCE,LIMIT,USED
is "$(awk '$1 == "SIZE"' <<<"$out")" "SIZE 16777216 1048576" "limits --posix: the tmpfs size and bytes used"
like "$(awk '$1 == "INODES"' <<<"$out")" "^INODES [0-9]+ [0-9]+$" "limits --posix: its files"
run "$S" limits --posix --usage
is "$rc" 2 "--posix with --usage: exit 2"

# unprivileged, and in another namespace
run nobody "$S" limits -rnb -o RESOURCE,LIMIT
is "$rc:$(awk '$1 == "SHMMNI" { print $2 }' <<<"$out")" "0:100" "limits unprivileged"
spawn_cmd unshare --ipc sh -c 'sysctl -qw kernel.shmmni=7 && exec "$0" own 0 4096 600' "$SHM_HELPER"
run "$S" --ipc-ns "$holder" limits -rnb -o RESOURCE,LIMIT,USED
is "$(awk '$1 == "SHMMNI" { print $2 ":" $3 }' <<<"$out")" "7:1" "--ipc-ns: that namespace's limits and use"

run "$S" limits extra
is "$rc" 2 "an argument: exit 2"

done_testing

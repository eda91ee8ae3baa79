#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shmtool stat: records and JSON against IPC_STAT, unknown ids and keys,
# unreadable segments.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"
export TZ=UTC

id0=$("$SHM_HELPER" create 0x2a 4096 600)
id1=$("$SHM_HELPER" create 0 65536 644)
hold "$id1"

run "$SHMTOOL" stat --json "$id0" "$id1"
is "$rc" 0 "stat --json of two ids: exit 0"
out=$(jdocs <<<"$out")
is "$(jq '.shm | length' <<<"$out")" 2 "two records"
for id in "$id0" "$id1"; do
	row=$(jq -c ".shm[] | select(.id == $id)" <<<"$out")
	while read -r name value; do
		case $name in
		key)  continue ;;
		mode) continue ;;
		atime|dtime|ctime)
			if [ "$value" = 0 ]; then exp=null
			else exp=$(date -u -d "@$value" +%Y-%m-%dT%H:%M:%SZ); fi ;;
		*) exp=$value ;;
		esac
		is "$(jq -r ".$name" <<<"$row")" "$exp" "stat $id: $name matches IPC_STAT"
	done < <("$SHM_HELPER" stat "$id")
done
is "$(jq -r ".shm[] | select(.id == $id0) | .key" <<<"$out")" 0x0000002a "stat --json key"
is "$(jq -r ".shm[] | select(.id == $id0) | .rss" <<<"$out")" null "rss unknown without --memory"

run "$SHMTOOL" stat "$id0"
is "$rc" 0 "stat ID: exit 0"
like "$out" "Key: +0x0000002a" "record: key"
like "$out" "Mode: +0600 \(rw-------\)" "record: full mode and symbolic"
like "$out" "Size: +4096 \(4K\)" "record: exact and human size"
like "$out" "Attached: +never" "record: never attached"
like "$out" "Creator pid: +[0-9]+ \(not running\)" "record: creator gone"

# a locked segment: Mode holds the permission bits only (the kernel's
# SHM_LOCKED bit, 02000, would read as setgid); Status tells the lock
locked=$("$SHMTOOL" create -s 4096 -m 0640 --lock)
run "$SHMTOOL" stat "$locked"
like "$out" "Mode: +0640 \(rw-r-----\)" "record of a locked segment: Mode without the status bits"
like "$out" "Status: +locked" "record of a locked segment: Status says it"
"$SHMTOOL" rm "$locked"

run "$SHMTOOL" stat -k 0x2a
is "$rc" 0 "stat -k KEY: exit 0"
like "$out" "Id: +$id0" "stat -k finds the segment by key"

run "$SHMTOOL" stat --memory --json "$id1"
out=$(jdocs <<<"$out")
is "$(jq -r '.shm[0].rss | type' <<<"$out")" number "--memory adds rss"

# unknown ids and keys: message, status 1, the others still printed
run "$SHMTOOL" stat "$id0" 99999 "$id1"
is "$rc" 1 "an unknown id: exit 1"
like "$err" "no segment with id 99999" "an unknown id: message"
is "$(grep -c '^Id:' <<<"$out")" 2 "the other ids still print"
expect_status 1 "no segment with key 0x00000bad" "an unknown key" "$SHMTOOL" stat -k 0xbad

# usage errors
expect_status 2 "no segment given" "no id" "$SHMTOOL" stat
expect_status 2 "invalid segment id: 'abc'" "a bad id" "$SHMTOOL" stat abc
expect_status 2 "invalid segment id: '-1'" "a negative id" "$SHMTOOL" stat -- -1
expect_status 2 "segment id out of range" "an id past INT_MAX" "$SHMTOOL" stat 2147483648
expect_status 2 "key 0 is IPC_PRIVATE" "key 0" "$SHMTOOL" stat -k 0
expect_status 2 "invalid key: 'zz'" "a bad key" "$SHMTOOL" stat -k zz
expect_status 2 "invalid time format" "a bad time format" "$SHMTOOL" stat --time-format x "$id0"

# an unprivileged caller can stat root's 0600 segment (SHM_STAT_ANY)
if command -v setpriv >/dev/null; then
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$SHMTOOL" stat --json "$id0"
	is "$rc" 0 "unprivileged stat of a 0600 segment: exit 0"
	is "$(jdocs <<<"$out" | jq -r '.shm[0].size')" 4096 "unprivileged stat reads the size"
fi

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shmtool list against the kernel's own answer (IPC_STAT through the
# helper), every option and filter.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"
export TZ=UTC

perms_sym() {	# octal mode -> rwxr-x---
	local m=$((8#$1)) s="" i bits=rwxrwxrwx
	for i in 0 1 2 3 4 5 6 7 8; do
		if (( m & (256 >> i) )); then s+=${bits:i:1}; else s+=-; fi
	done
	printf '%s' "$s"
}

# an empty namespace
run "$SHMTOOL" list --json
is "$rc" 0 "empty namespace: exit 0"
is "$(jq '.shm | length' <<<"$out")" 0 "empty namespace: empty JSON array"

# segments covering the kernel's corner cases
id_neg=$("$SHM_HELPER" create 0xdeadbeef 4096 600)        # key printed signed
id_priv=$("$SHM_HELPER" create 0 1000000 640)
own 0x1234 8192 644                 # its creator stays alive
id_att=$line
id_dest=$("$SHM_HELPER" create 0x5678 4096 600)
id_lock=$("$SHM_HELPER" create 0x9abc 4096 600)
hold "$id_att" "$id_att"          # two mappings in one process
hold "$id_dest"
"$SHM_HELPER" rmid "$id_dest"
"$SHM_HELPER" lock "$id_lock"
is "$id_neg" 0 "shmid 0 is a valid first id"

run "$SHMTOOL" list --json --output-all
is "$rc" 0 "list --json --output-all: exit 0"
json=$out
is "$(jq '.shm | length' <<<"$json")" 5 "five segments listed"
is "$(jq '.shm[0] | length' <<<"$json")" 34 "--output-all gives all 34 columns"

# every field of every segment equals IPC_STAT
for id in "$id_neg" "$id_priv" "$id_att" "$id_dest" "$id_lock"; do
	row=$(jq -c ".shm[] | select(.id == $id)" <<<"$json")
	while read -r name value; do
		case $name in
		key)   exp=$(printf '0x%08x' $((value & 0xffffffff))); field=key ;;
		mode)  exp=$(perms_sym "$value"); field=perms ;;
		atime|dtime|ctime)
			field=$name
			if [ "$value" = 0 ]; then exp=null
			else exp=$(date -u -d "@$value" +%Y-%m-%dT%H:%M:%SZ); fi ;;
		*)     exp=$value; field=$name ;;
		esac
		is "$(jq -r ".$field" <<<"$row")" "$exp" "segment $id: $name matches IPC_STAT"
	done < <("$SHM_HELPER" stat "$id")
done

is "$(jq ".shm[] | select(.id == $id_att) | .ctime | fromdateiso8601" <<<"$json")" \
	"$("$SHM_HELPER" stat "$id_att" | awk '$1 == "ctime" { print $2 }')" \
	"JSON times in UTC end in Z: jq's fromdateiso8601 reads them"
is "$(jq -r ".shm[] | select(.id == $id_neg) | .key" <<<"$json")" 0xdeadbeef "a negative key prints as 0xdeadbeef"
is "$(jq -r ".shm[] | select(.id == $id_dest) | .status" <<<"$json")" dest "removed-but-attached is dest"
is "$(jq -r ".shm[] | select(.id == $id_dest) | .key" <<<"$json")" 0x00000000 "removed segment has key 0"
is "$(jq -r ".shm[] | select(.id == $id_lock) | .status" <<<"$json")" locked "SHM_LOCK shows locked"
is "$(jq -r ".shm[] | select(.id == $id_att) | .nattch" <<<"$json")" 2 "nattch counts mappings"
is "$(jq -r ".shm[] | select(.id == $id_priv) | .atime" <<<"$json")" null "never attached: atime null"
is "$(jq -r ".shm[] | select(.id == $id_priv) | .size | type" <<<"$json")" number "JSON size is a number"
is "$(jq -r ".shm[] | select(.id == $id_priv) | .rss | type" <<<"$json")" number "JSON rss is a number"
is "$(jq -r ".shm[] | select(.id == $id_att) | .command" <<<"$json")" "$SHM_HELPER own 0x1234 8192 644" \
	"COMMAND is the live creator's command line"
is "$(jq -r ".shm[] | select(.id == $id_neg) | .command" <<<"$json")" null "COMMAND is null when the creator is gone"

# the default table
run "$SHMTOOL" list
is "$rc" 0 "list: exit 0"
is "$(head -n 1 <<<"$out" | tr -s ' ')" "KEY ID OWNER PERMS SIZE NATTCH STATUS CTIME CPID LPID COMMAND" "default columns"
is "$(wc -l <<<"$out")" 6 "header and five rows"
like "$out" "0xdeadbeef +0 root +rw------- +4K +0 " "human size and symbolic perms"

# output formats
run "$SHMTOOL" list -rn -o ID,SIZE --bytes --sort ID
is "$out" "$(printf '0 4096\n1 1000000\n2 8192\n3 4096\n4 4096')" "--raw --noheadings --bytes --sort"
run "$SHMTOOL" list -e -o KEY,NATTCH --key 0x1234
is "$out" 'KEY="0x00001234" NATTCH="2"' "--export and --key"
run "$SHMTOOL" list -rn -o PERMS --numeric-perms --key 0x1234
is "$out" 0644 "--numeric-perms: four digits"
run "$SHMTOOL" list -rn -o ID,SIZE --sort SIZE -b
is "$(head -n 1 <<<"$out")" "0 4096" "--sort SIZE: smallest first"
is "$(tail -n 1 <<<"$out")" "1 1000000" "--sort SIZE: largest last"
# descending: -COLUMN or --reverse, the whole order turned round (ties by id too)
asc=$("$SHMTOOL" list -rn -o ID,SIZE --sort SIZE -b)
is "$("$SHMTOOL" list -rn -o ID,SIZE --sort -SIZE -b)" "$(tac <<<"$asc")" "--sort -SIZE: largest first"
is "$("$SHMTOOL" list -rn -o ID,SIZE --sort SIZE --reverse -b)" "$(tac <<<"$asc")" "--sort SIZE --reverse: the same"
is "$("$SHMTOOL" list -rn -o ID,SIZE --sort -SIZE --reverse -b)" "$asc" "--sort -SIZE --reverse: smallest first again"
expect_status 2 "--reverse goes with --sort" "--reverse without --sort" "$SHMTOOL" list --reverse
expect_status 2 "unknown column ''" "--sort -: no column" "$SHMTOOL" list --sort -
run "$SHMTOOL" list -r -o +RSS,SWAP
is "$(head -n 1 <<<"$out")" "KEY ID OWNER PERMS SIZE NATTCH STATUS CTIME CPID LPID COMMAND RSS SWAP" "+LIST appends to the default columns"
run "$SHMTOOL" list -rn -o ID --time-format iso -o CTIME
like "$out" "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([+-][0-9]{2}:[0-9]{2}|Z)\$" "--time-format iso: RFC 3339"
run "$SHMTOOL" list -n -o CTIME --time-format full
like "$out" "^[A-Z][a-z]{2} [A-Z][a-z]{2} " "--time-format full"
run "$SHMTOOL" list --list-columns
is "$rc" 0 "--list-columns: exit 0"
is "$(tail -n +2 <<<"$out" | wc -l)" 34 "--list-columns: 34 columns"
like "$(grep '^AGE ' <<<"$out")" "since creation or the last chmod/chown \(ctime\)" \
	"--list-columns: AGE says that IPC_SET restarts it, as the kernel's ctime does"
like "$(grep '^ATIME ' <<<"$out")" "\(also ATTACH, lsipc's name\)" "--list-columns: ATIME shows lsipc's name"
# lsipc's names where shmtool's differ are taken as they are
is "$("$SHMTOOL" list -rn -o ID,ATTACH,DETACH --sort ID)" "$("$SHMTOOL" list -rn -o ID,ATIME,DTIME --sort ID)" \
	"-o ATTACH,DETACH: lsipc's names for ATIME and DTIME"
is "$("$SHMTOOL" list -J -o ATTACH | jq -r '.shm[0] | keys[]')" atime "-o ATTACH: the JSON key is still atime"
like "$out" "COMMAND" "--list-columns names COMMAND"
run "$SHMTOOL" list -H -J
is "$(jq -r '.columns[0].name' <<<"$out")" KEY "--list-columns --json"

# filters
run "$SHMTOOL" list -rn -o ID --orphaned --sort ID
is "$out" "$(printf '%s\n%s\n%s' "$id_neg" "$id_priv" "$id_lock")" "--orphaned: unattached, not dest"
run "$SHMTOOL" list -rn -o ID --key 0xdeadbeef
is "$out" "$id_neg" "--key with a high-bit key"
run "$SHMTOOL" list -rn -o ID --key -559038737
is "$out" "$id_neg" "--key accepts the signed form"
run "$SHMTOOL" list -rn -o ID -u root
is "$(wc -l <<<"$out")" 5 "-u root: all five"
run "$SHMTOOL" list -rn -o ID -u 65534
is "$out" "" "-u 65534: none"

# usage errors
expect_status 2 "unknown column 'NOPE'" "-o with an unknown column" "$SHMTOOL" list -o ID,NOPE
expect_status 2 "unknown column 'NOPE'" "--sort with an unknown column" "$SHMTOOL" list --sort NOPE
expect_status 2 "invalid time format 'long'" "bad --time-format" "$SHMTOOL" list --time-format long
expect_status 2 "unknown user 'no-such-user'" "-u with an unknown user" "$SHMTOOL" list -u no-such-user
expect_status 2 "invalid key: '0xZZ'" "--key with a bad key" "$SHMTOOL" list --key 0xZZ
expect_status 2 "unexpected argument 'extra'" "a stray argument" "$SHMTOOL" list extra
expect_status 2 "mutually exclusive" "--json with --raw" "$SHMTOOL" list --json --raw
expect_status 2 "mutually exclusive" "--output with --output-all" "$SHMTOOL" list -o ID --output-all

# an unprivileged caller still sees root's 0600 segments
if command -v setpriv >/dev/null; then
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$SHMTOOL" list -rn -o ID
	is "$rc" 0 "unprivileged list: exit 0"
	is "$(wc -l <<<"$out")" 5 "unprivileged list sees all five segments"
fi

done_testing

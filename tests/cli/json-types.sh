#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Every column's JSON type is the one its --list-columns TYPE promises:
# number, size and seconds are JSON numbers, boolean a JSON boolean,
# string and time JSON strings, numbers and strings arrays of them; any
# of them null when unknown. For the
# segments (list, gc, stat), the POSIX objects (list --posix) and the
# namespaces, with every column.
. "$(dirname "$0")/lib.sh"
in_private_shm_pid "$@"
private_dev_shm

S=$SHMTOOL
export TZ=UTC
"$S" create -s 4K -k 0x7001 >/dev/null
id=$("$S" create -s 8K)
hold "$id"
dest=$("$S" create -s 1K)
hold "$dest"
"$S" rm "$dest" 2>/dev/null
head -c 100 /dev/zero >/dev/shm/obj
spawn posixmap /dev/shm/obj

# check_types WHAT LIST-COLUMNS-COMMAND... -- JSON-COMMAND...: every
# member of every object of the document's array has the type of its
# column (the key is the column's name in lower case)
check_types() {
	local what=$1 cols=() doc=() types bad
	shift
	while [ "$1" != -- ]; do cols+=("$1"); shift; done
	shift
	doc=("$@")
	types=$("${cols[@]}" --list-columns -rn | awk '{ print tolower($1), $2 }')
	bad=$("${doc[@]}" | jq -s '.[0]' | jq -r --arg types "$types" '
		($types | split("\n") | map(split(" ") | {(.[0]): .[1]}) | add) as $t
		| [.[] | arrays] | first | .[] | to_entries[]
		| select(.value != null)
		| . as $e | ($t[$e.key] // "missing") as $want
		| (if ($want | IN("number", "size", "seconds")) then "number"
		   elif $want == "boolean" then "boolean"
		   elif ($want | IN("string", "time")) then "string"
		   elif ($want | IN("numbers", "strings")) then "array"
		   else "no such column" end) as $json
		| select(($e.value | type) != $json or ($json == "array" and
			any($e.value[]; . != null and type != ($want | rtrimstr("s")))))
		| "\($e.key): \($e.value | type), the column says \($want)"' | sort -u)
	is "$bad" "" "$what: every value has its column's JSON type"
	# and each column is in the document
	is "$("${doc[@]}" | jq -s '.[0]' | jq -r '[.[] | arrays] | first | .[0] | keys | length')" \
		"$(wc -l <<<"$types")" "$what: every column is a member"
}

check_types "list --output-all" "$S" list -- "$S" list --output-all -J
stat_columns() { "$S" stat -J "$id" | jq 'select(.shm)'; }
check_types "stat" "$S" list -- stat_columns
check_types "gc --output-all" "$S" gc -- "$S" gc --dry-run --older-than 0 --output-all -J
check_types "list --posix --output-all" "$S" list --posix -- "$S" list --posix --output-all -J
check_types "namespaces --output-all" "$S" namespaces -- "$S" namespaces --output-all -J
# the documents that shmtool(1)'s JSON OUTPUT names: the member of each,
# in order
keys_of() { "$@" 2>/dev/null | jq -s -c 'map(keys[])'; }
is "$(keys_of "$S" list -J)" '["shm"]' "list -J: shm"
is "$(keys_of "$S" stat -J "$id")" '["shm","processes"]' "stat -J: shm, then processes"
is "$(keys_of "$S" stat --posix obj -J)" '["posix","processes"]' "stat --posix -J: posix, then processes"
is "$(keys_of "$S" gc --dry-run -J)" '["shm","summary"]' "gc -J: shm, then summary"
is "$(keys_of "$S" list --posix -J)" '["posix"]' "list --posix -J: posix"
is "$(keys_of "$S" gc --posix --dry-run --force -J)" '["posix","summary"]' "gc --posix -J: posix, then summary"
is "$(keys_of "$S" namespaces -J)" '["namespaces"]' "namespaces -J: namespaces"
is "$(keys_of "$S" list --list-columns -J)" '["columns"]' "--list-columns -J: columns"
is "$("$S" gc --dry-run -J | jq -c 'select(.summary) | .summary[0] | keys')" \
	'["action","bytes","count","reason"]' "gc -J: the summary's members"
is "$("$S" gc --dry-run -J | jq -c 'select(.summary) | .summary[0] | [.action, .reason, (.count | type), (.bytes | type)]')" \
	'["would remove",null,"number","number"]' "gc -J: the summary's first row, typed"
is "$("$S" stat --posix obj -J 2>/dev/null | jq -c 'select(.processes) | .processes[0] | keys')" \
	'["command","name","pid","use","user"]' "stat --posix -J: each process's members"
is "$("$S" stat --posix obj -J 2>/dev/null | jq -c 'select(.posix) | .posix[0] | [(.size, .uid, .inode, .nprocs | type), .mode]')" \
	'["number","number","number","number","0644"]' "stat --posix -J: the object's fields, typed"
# stat -J of a segment has the processes as stat --posix -J has them,
# with the mappings the text shows
is "$("$S" stat "$id" -J | jq -c 'select(.processes) | .processes[0] | keys')" \
	'["access","command","id","mappings","pid","ranges","user"]' "stat -J: each process's members"
is "$("$S" stat "$id" -J | jq -s -c '[.[1].processes[] | .pid] == .[0].shm[0].pids')" \
	true "stat -J: the processes are the PIDS"
is "$("$S" stat "$id" -J | jq -s -c '[.[1].processes[] | .id] | unique')" "[$id]" \
	"stat -J: each process names its segment"
is "$("$S" stat "$id" -J | jq 'select(.processes) | .processes[0].mappings')" \
	"$("$S" stat "$id" | awk '$1 ~ /^[0-9]+$/ { print $(NF - 2); exit }')" "stat -J: the mappings the text shows"
is "$("$S" stat -k 0x7001 -J | jq -c 'select(.processes) | .processes')" '[]' "stat -J of a segment nobody holds: no process"

# a column that is null is null, not a string: a time that never happened
is "$("$S" list -J -o ID,ATIME --key 0x7001 | jq '.shm[0].atime')" null "a time that never happened is null"

done_testing

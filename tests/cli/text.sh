#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Text read from the system (command lines, command names, user names,
# POSIX object names) reaches each output once encoded: the aligned
# table escapes what would drive a terminal; raw and export output carry
# the exact text, escaped by libsmartcols as lsipc's is; JSON carries the
# exact text (invalid UTF-8 bytes as U+FFFD) and stays valid JSON. Runs
# in private IPC and mount namespaces: a tmpfs of its own on /dev/shm and
# an /etc/passwd with an odd user bound over the real one.
. "$(dirname "$0")/lib.sh"
in_private_shm "$@"
mount --make-rprivate / 2>/dev/null
private_dev_shm
export LC_ALL=C.UTF-8

S=$SHMTOOL
D=/dev/shm
# a control byte: C0, DEL, or a C1 control as UTF-8 (0xc2 0x80-0x9f)
has_ctl() { LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]' <<<"$1"; }
# json_ok DOC DESCRIPTION: UTF-8, jq and python's json read it (each of
# its documents: stat and gc print two, one after the other)
json_ok() {
	iconv -f UTF-8 -t UTF-8 <<<"$1" >/dev/null 2>&1
	ok $? "$2: valid UTF-8"
	jq -e . <<<"$1" >/dev/null 2>&1
	ok $? "$2: jq reads it"
	if command -v python3 >/dev/null; then
		python3 -c '
import json, sys
text, dec, at = sys.stdin.read(), json.JSONDecoder(), 0
while text[at:].strip():
    at = len(text) - len(text[at:].lstrip())
    at = dec.raw_decode(text, at)[1]' <<<"$1" 2>/dev/null
		ok $? "$2: python's json reads it"
	else
		ok 0 "$2: # SKIP no python3"
	fi
}
# the rows of a table, sorted: shmtool and lsipc need not list alike
sorted() { "$@" | sort; }

# ---- a creator's command line ----

# argv[0] with a blank, a newline and a backslash; COMMAND is the
# command line with its NULs as blanks
nl_cmd=$'a b\nc\\d'
spawn_cmd bash -c 'exec -a "$1" "$2" own 0 4096 600' _ "$nl_cmd" "$SHM_HELPER"
nl_id=$line
nl_pid=$holder
is "$(tr '\0' ' ' </proc/"$nl_pid"/cmdline)" "$nl_cmd own 0 4096 600 " "the creator's command line holds the bytes"

run "$S" list -J -o ID,COMMAND
is "$rc" 0 "list -J: exit 0"
is "$(jq -r ".shm[] | select(.id == $nl_id) | .command" <<<"$out")" "$nl_cmd own 0 4096 600" \
	"list -J: the exact command line, escaped once (jq -r decodes it)"
like "$out" '"a b\\nc\\\\d own 0 4096 600"' "list -J: as JSON writes it (\\n and \\\\)"
json_ok "$out" "list -J"

for loc in C.UTF-8 C; do
	is "$(LC_ALL=$loc sorted "$S" list -rn -o ID,COMMAND)" "$(LC_ALL=$loc sorted lsipc -m -r --noheadings -o ID,COMMAND)" \
		"list -r ($loc): as lsipc -r prints it"
	is "$(LC_ALL=$loc sorted "$S" list -en -o COMMAND)" "$(LC_ALL=$loc sorted lsipc -m -e --noheadings -o COMMAND)" \
		"list -e ($loc): as lsipc -e prints it"
done
is "$("$S" list -rn -o ID,COMMAND | grep "^$nl_id ")" "$nl_id a\\x20b\\x0ac\\x5cd\\x20own\\x200\\x204096\\x20600" \
	"list -r: each byte escaped once"

run "$S" list -n -o ID,COMMAND
is "$(awk -v id="$nl_id" '$1 == id' <<<"$out" | sed 's/^ *[0-9]* //')" 'a b\x0ac\\d own 0 4096 600' \
	"list: the aligned table shows the newline and the backslash escaped"
has_ctl "$out"
is "$?" 1 "list: no control byte reaches the terminal"

run "$S" stat -J "$nl_id"
is "$(jdocs <<<"$out" | jq -r '.shm[0].command')" "$nl_cmd own 0 4096 600" "stat -J: the exact command line"
run "$S" stat "$nl_id"
is "$(sed -n 's/^Creator pid: *[0-9]* (\(.*\))$/\1/p' <<<"$out")" 'a b\x0ac\\d own 0 4096 600' \
	"stat: the record shows it escaped once"

# an escape sequence, a C1 control (CSI) and a byte that is no UTF-8
esc_cmd=$'e\e[31mx\xc2\x9by\xffz'
spawn_cmd bash -c 'exec -a "$1" "$2" own 0 4096 600' _ "$esc_cmd" "$SHM_HELPER"
esc_id=$line
run "$S" list -J -o ID,COMMAND
json_ok "$out" "list -J of an escape sequence and invalid UTF-8"
is "$(jq -r ".shm[] | select(.id == $esc_id) | .command" <<<"$out")" \
	$'e\e[31mx\xef\xbf\xbdy\xef\xbf\xbdz own 0 4096 600' "list -J: exact, the C1 control and the invalid byte as U+FFFD"
like "$out" '"e\\u001b\[31mx' "list -J: ESC as \\u001b"
for loc in C.UTF-8 C; do
	run env LC_ALL=$loc "$S" list -rn -o ID,COMMAND
	has_ctl "$out"
	is "$?" 1 "list -r ($loc): no control byte"
	is "$(sort <<<"$out")" "$(LC_ALL=$loc sorted lsipc -m -r --noheadings -o ID,COMMAND)" "list -r ($loc): as lsipc -r"
	run env LC_ALL=$loc "$S" list -en -o ID,COMMAND
	has_ctl "$out"
	is "$?" 1 "list -e ($loc): no control byte"
	is "$(sort <<<"$out")" "$(LC_ALL=$loc sorted lsipc -m -e --noheadings -o ID,COMMAND)" "list -e ($loc): as lsipc -e"
done
is "$("$S" list -en -o ID,COMMAND | grep "^ID=\"$esc_id\"")" \
	"ID=\"$esc_id\" COMMAND=\"e\\x1b[31mx\\xc2\\x9by\\xffz own 0 4096 600\"" "list -e: each byte escaped once"
run "$S" list -n -o ID,COMMAND
is "$(awk -v id="$esc_id" '$1 == id' <<<"$out" | sed 's/^ *[0-9]* //')" 'e\x1b[31mx\xc2\x9by\xffz own 0 4096 600' \
	"list: the aligned table escapes ESC, C1 and the invalid byte"
has_ctl "$out"
is "$?" 1 "list: no control byte reaches the terminal"

# the namespaces table: the command line of a namespace's process
spawn_cmd unshare --ipc bash -c 'exec -a "$1" "$2" own 0 4096 600' _ "$nl_cmd" "$SHM_HELPER"
nspid=$holder
run "$S" namespaces -J -o PID,COMMAND
is "$(jq -r ".namespaces[] | select(.pid == $nspid) | .command" <<<"$out")" "$nl_cmd own 0 4096 600" \
	"namespaces -J: the exact command line"
is "$("$S" namespaces -rn -o PID,COMMAND 2>/dev/null | grep "^$nspid ")" "$nspid a\\x20b\\x0ac\\x5cd\\x20own\\x200\\x204096\\x20600" \
	"namespaces -r: escaped once"
release "$nspid"

# ---- a command name (comm) in ATTACHED ----

cp "$SHM_HELPER" "$WORK/"$'c\\d\e[1m'
spawn_cmd "$WORK/"$'c\\d\e[1m' hold "$nl_id"
cpid=$holder
run "$S" list -J -o ID,ATTACHED
is "$(jq -r ".shm[] | select(.id == $nl_id) | .attached[]" <<<"$out")" \
	"$cpid(c\\d"$'\e'"[1m)" "ATTACHED -J: the exact command name"
run "$S" list -n -o ID,ATTACHED
like "$(awk -v id="$nl_id" '$1 == id' <<<"$out")" "$cpid\\(c\\\\\\\\d\\\\x1b\\[1m\\)" "ATTACHED: escaped once in the table"
has_ctl "$out"
is "$?" 1 "ATTACHED: no control byte reaches the terminal"
like "$("$S" list -rn -o ID,ATTACHED | grep "^$nl_id ")" "$cpid\\(c\\\\x5cd\\\\x1b\\[1m\\)" "ATTACHED -r: escaped once"
release "$cpid"

# ---- a user name ----

# a passwd of this mount namespace only, with a user named by odd bytes
odd_user=$'u\\v\e[1mw\xff'
cp /etc/passwd "$WORK/passwd"
printf '%s:x:4242:4242::/nonexistent:/bin/false\n' "$odd_user" >>"$WORK/passwd"
if mount --bind "$WORK/passwd" /etc/passwd && [ "$(getent passwd 4242 | cut -d: -f1)" = "$odd_user" ]; then
	uid_id=$("$S" create -s 4K)
	"$SHM_HELPER" chown "$uid_id" 4242 >/dev/null
	run "$S" list -J -o ID,OWNER
	json_ok "$out" "list -J of an odd user name"
	is "$(jq -r ".shm[] | select(.id == $uid_id) | .owner" <<<"$out")" $'u\\v\e[1mw\xef\xbf\xbd' \
		"list -J: the exact user name, the invalid byte as U+FFFD"
	for loc in C.UTF-8 C; do
		is "$(LC_ALL=$loc sorted "$S" list -rn -o ID,OWNER)" "$(LC_ALL=$loc sorted lsipc -m -r --noheadings -o ID,OWNER)" \
			"list -r ($loc): the user name as lsipc -r prints it"
	done
	run "$S" list -n -o ID,OWNER
	is "$(awk -v id="$uid_id" '$1 == id { print $2 }' <<<"$out")" 'u\\v\x1b[1mw\xff' "list: the user name escaped once"
	run "$S" stat "$uid_id"
	is "$(sed -n 's/^Owner: *//p' <<<"$out")" 'u\\v\x1b[1mw\xff (uid 4242)' "stat: the user name escaped once"
	run "$S" metrics
	like "$out" 'shmtool_owner_segments\{uid="4242",user="u\\\\v'$'\e''\[1mw'$'\xef\xbf\xbd''"\} 1' \
		"metrics: the user name as the format escapes it, the invalid byte as U+FFFD"
	if command -v promtool >/dev/null; then
		run promtool check metrics <<<"$out"
		is "$rc:$out$err" "0:" "metrics of an odd user name: promtool check metrics passes"
	else
		ok 0 "# SKIP promtool is not installed"
	fi
	"$S" rm "$uid_id"
	umount /etc/passwd
else
	for i in 1 2 3 4 5 6 7 8 9 10; do ok 0 "# SKIP cannot bind a passwd over /etc/passwd"; done
fi

# ---- a POSIX object name ----

px=$'p q\nr\\s\e[1m\xfft'
px_json=$'p q\nr\\s\e[1m\xef\xbf\xbdt'
head -c 1 /dev/zero >"$D/$px"
run "$S" list --posix -J -o NAME
json_ok "$out" "list --posix -J"
is "$(jq -r '.posix[].name' <<<"$out")" "$px_json" "list --posix -J: the exact name, the invalid byte as U+FFFD"
for loc in C.UTF-8 C; do
	run env LC_ALL=$loc "$S" list --posix -rn -o NAME
	is "$out" 'p\x20q\x0ar\x5cs\x1b[1m\xfft' "list --posix -r ($loc): each byte escaped once"
	run env LC_ALL=$loc "$S" list --posix -en -o NAME
	is "$out" 'NAME="p q\x0ar\x5cs\x1b[1m\xfft"' "list --posix -e ($loc): each byte escaped once"
done
run "$S" list --posix -n -o NAME
is "$out" 'p q\x0ar\\s\x1b[1m\xfft' "list --posix: the aligned table escapes once"
has_ctl "$out"
is "$?" 1 "list --posix: no control byte reaches the terminal"

run "$S" stat --posix "$px"
is "$rc" 0 "stat --posix of the odd name: exit 0"
is "$(sed -n 's/^Name: *//p' <<<"$out")" 'p q\x0ar\\s\x1b[1m\xfft' "stat --posix: the record shows the name escaped once"
has_ctl "$out"
is "$?" 1 "stat --posix: no control byte reaches the terminal"
run "$S" stat --posix -J "$px"
json_ok "$out" "stat --posix -J"
is "$(jdocs <<<"$out" | jq -r '.posix[0].name')" "$px_json" "stat --posix -J: the exact name"
is "$(jdocs <<<"$out" | jq -r '.posix[0].path')" "$D/$px_json" "stat --posix -J: the exact path"

run "$S" gc --posix --dry-run --older-than 0 -J -o NAME,ACTION
json_ok "$out" "gc --posix -J"
is "$(jdocs <<<"$out" | jq -r '.posix[].name')" "$px_json" "gc --posix -J: the exact name"
run "$S" gc --posix --dry-run --older-than 0 -rn -o NAME
is "$out" 'p\x20q\x0ar\x5cs\x1b[1m\xfft' "gc --posix -r: escaped once"
rm "$D/$px"

run "$S" create --posix "$px" -s 4K -J
json_ok "$out" "create --posix -J"
is "$(jq -r '.name' <<<"$out")" "$px_json" "create --posix -J: the exact name"
is "$(jq -r '.path' <<<"$out")" "$D/$px_json" "create --posix -J: the exact path"
rm -f "$D/$px"

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Terminal safety: a creator whose command line holds escape sequences
# and invalid UTF-8 shows up escaped in tables and in stat, escaped once
# by libsmartcols in raw output, and as valid JSON (valid UTF-8, parsed
# by jq) of the exact text in --json. tests/cli/text.sh has the rest.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"
export LC_ALL=C.UTF-8

S=$SHMTOOL
evil=$'\e]0;owned\a\e[2J\e[31mred\xff\xc2\x9b1m caf\xc3\xa9'
shown='\x1b]0;owned\x07\x1b[2J\x1b[31mred\xff\xc2\x9b1m café own 0 4096 600'
spawn_cmd bash -c 'exec -a "$0" "$1" own 0 4096 600' "$evil" "$SHM_HELPER"
id=$line
has_ctl() { LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' <<<"$1"; }

# tables and stat's record show sanitize()'s escapes as they are; raw
# output holds the exact text, which libsmartcols escapes once (\xNN
# for each control, blank or non-ASCII byte, as lsipc -r)
raw='\x1b]0;owned\x07\x1b[2J\x1b[31mred\xff\xc2\x9b1m\x20caf\xc3\xa9\x20own\x200\x204096\x20600'
run "$S" list -o ID,COMMAND
is "$rc" 0 "list: exit 0"
is "$(tail -n 1 <<<"$out" | sed 's/^ *[0-9]* //')" "$shown" "list: the command line escaped once in the table"
has_ctl "$out"
is "$?" 1 "list: no control byte reaches the terminal"
run "$S" list -rn -o ID,COMMAND
is "$out" "$id $raw" "list -r: escaped once (raw output escapes blanks and non-ASCII too)"
run "$S" stat "$id"
has_ctl "$out"
is "$?" 1 "stat: no control byte reaches the terminal"
is "$(sed -n 's/^Creator pid: *[0-9]* (\(.*\))$/\1/p' <<<"$out")" "$shown" "stat: the command line escaped once"

run "$S" list -J -o ID,COMMAND
is "$rc" 0 "list --json: exit 0"
iconv -f UTF-8 -t UTF-8 <<<"$out" >/dev/null 2>&1
ok $? "list --json: valid UTF-8"
is "$(jq -r '.shm[0].command' <<<"$out")" $'\e]0;owned\a\e[2J\e[31mred\xef\xbf\xbd\xef\xbf\xbd1m caf\xc3\xa9 own 0 4096 600' \
	"list --json: the exact command line, the invalid byte and the C1 control as U+FFFD"
has_ctl "$out"
is "$?" 1 "list --json: no control byte in the document"
run "$S" stat -J "$id"
jq -e . <<<"$out" >/dev/null
ok $? "stat --json: valid JSON"

# namespaces: the command line of a namespace's process, escaped once
# (no \x5c for the backslash of an escape, nor for one of the command)
spawn_cmd unshare --ipc bash -c 'exec -a "$0" "$1" own 0 4096 600' $'ns\e[31m\\x41' "$SHM_HELPER"
nspid=$holder
run "$S" namespaces -n -o PID,COMMAND
is "$rc" 0 "namespaces: exit 0"
is "$(awk -v p="$nspid" '$1 == p' <<<"$out" | sed 's/^ *[0-9]* //')" 'ns\x1b[31m\\x41 own 0 4096 600' \
	"namespaces: the command line escaped once"
has_ctl "$out"
is "$?" 1 "namespaces: no control byte reaches the terminal"
release "$nspid"

# in a locale without UTF-8 every byte above 0x7f is escaped too
run env LC_ALL=C "$S" list -n -o COMMAND
like "$out" 'caf\\xc3\\xa9' "C locale: UTF-8 escaped as bytes in the table"
run env LC_ALL=C "$S" list -rn -o COMMAND
is "$out" "$raw" "C locale: raw output as in a UTF-8 one"

# on an 80-column terminal a long command line is cut to fit, unless
# --notruncate keeps it whole (the table then runs wider than the screen)
long="/opt/$(printf 'c%.0s' $(seq 150))"
spawn_cmd bash -c 'exec -a "$0" "$1" own 0 4096 600' "$long" "$SHM_HELPER"
lid=$line
on_tty() {
	script -qec "stty cols 80; $(printf '%q ' "$@")" /dev/null >"$WORK/tty"
	local rc=$?
	tr -d '\r' <"$WORK/tty"
	return $rc
}
out=$(on_tty "$S" list -o ID,OWNER,COMMAND)
is "$?" 0 "80 columns: exit 0"
row=$(awk -v id="$lid" '$1 == id' <<<"$out")
like "$row" '^ *[0-9]+ +root +/opt/ccc' "80 columns: the long command line's row is shown"
is "$(wc -L <<<"$out")" 80 \
	"80 columns: the table fills the terminal and no line is wider"
grep -qF -- "$long" <<<"$out"
is "$?" 1 "80 columns: the long command line is cut"
out=$(on_tty "$S" list --notruncate -o ID,OWNER,COMMAND)
is "$?" 0 "80 columns, --notruncate: exit 0"
row=$(awk -v id="$lid" '$1 == id' <<<"$out")
like "$row" "^ *$lid +root +$long own 0 4096 600\$" "80 columns, --notruncate: the whole command line"

done_testing

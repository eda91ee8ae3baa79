#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Hostile command lines, table-driven: bad numbers, overflow, negative
# ids, empty strings, unknown columns, conflicting options, missing
# arguments, odd bytes. Each must fail with its exit status and a message
# on stderr that names the bad value (escaped: no control byte reaches
# the terminal), print nothing on stdout and leave every segment as it
# was.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"

S=$SHMTOOL
id=$("$S" create -s 4096 -k 0x4242)
"$S" attach-write "$id" --string "keep me"
"$S" create -s 64 >/dev/null
touch "$WORK/f"
long9=$(printf '9%.0s' $(seq 5000))
cols70=$(printf 'ID,%.0s' $(seq 70))ID
before=$(shm_snapshot)
data_before=$("$S" cat "$id" | od -An -tx1)

tried=0
# hostile STATUS TEXT ARGS...: TEXT must appear in stderr as is
hostile() {
	local want=$1 text=$2 desc now
	shift 2
	desc=$(printf '%q ' "$@")
	desc=${desc% }
	tried=$((tried + 1))
	run "$S" "$@"
	is "$rc" "$want" "$desc: exit status $want"
	if [[ "$err" == *"$text"* ]]; then ok 0 "$desc: the message names '$text'"
	else ok 1 "$desc: the message names '$text'"; echo "#   stderr: $err"; fi
	is "$out" "" "$desc: nothing on stdout"
	LC_ALL=C grep -q '[[:cntrl:]]' <<<"$err"
	is "$?" 1 "$desc: no control byte on stderr"
	now=$(shm_snapshot)
	is "$now" "$before" "$desc: /proc/sysvipc/shm unchanged"
	before=$now
}

# numbers: garbage, signs, bases, spaces
hostile 2 "invalid size: '12Q'"        create -s 12Q
hostile 2 "invalid size: '-1'"         create -s -1
hostile 2 "invalid size: ' 1'"         create -s " 1"
hostile 2 "invalid size: '0x'"         create -s 0x
hostile 2 "invalid size: '16E'"        create -s 16E
hostile 2 "invalid size: '0'"          create -s 0
hostile 2 "invalid mode: '8'"          create -s 1 -m 8
hostile 2 "invalid mode: '-600'"       create -s 1 -m -600
hostile 2 "invalid mode: '07777'"      create -s 1 -m 07777
hostile 2 "invalid key: '0x'"          create -s 1 -k 0x
hostile 2 "invalid key: '-0x1'"        rm -k -0x1
hostile 2 "invalid key: '0xZZ'"        list --key 0xZZ
hostile 2 "invalid segment id: '1e3'"  stat 1e3
hostile 2 "invalid segment id: '0x10'" stat 0x10
hostile 2 "invalid segment id: '+5'"   stat +5
hostile 2 "invalid segment id: ' 5'"   stat " 5"
hostile 2 "invalid offset: '1x'"       attach-write "$id" --offset 1x --string a
hostile 2 "invalid duration: '5x'"     gc --older-than 5x
hostile 2 "invalid size: '1Q'"         gc --min-size 1Q
hostile 2 "invalid project '00'"       ftok "$WORK/f" 00
hostile 2 "invalid project '256'"      ftok "$WORK/f" 256
hostile 2 "invalid ftok project in '$WORK/f:256'" create -s 1 --ftok "$WORK/f:256"

# overflow
hostile 2 "size out of range: '99999999999999999999'" create -s 99999999999999999999
hostile 2 "size out of range: '18446744073709551616'" create -s 18446744073709551616
hostile 2 "size out of range: '17179869184T'"         create -s 17179869184T
hostile 2 "segment id out of range: '2147483648'"     stat 2147483648
hostile 2 "segment id out of range: '$long9'"         rm "$long9"
hostile 2 "key out of range: '0x100000000'"           create -s 1 -k 0x100000000
hostile 2 "key out of range: '-2147483649'"           stat -k -2147483649
hostile 2 "invalid length: '18446744073709551616'"    cat "$id" --length 18446744073709551616
hostile 2 "invalid duration: '106751991167301d'"      gc --older-than 106751991167301d
hostile 2 "invalid duration: '99999999999999999999s'" gc --older-than 99999999999999999999s

# negative ids and offsets
hostile 2 "invalid segment id: '-1'"   stat -- -1
hostile 2 "invalid segment id: '-5'"   rm -- -5
hostile 2 "invalid offset: '-1'"       cat "$id" --offset -1
hostile 2 "invalid segment id: '-0'"   cat -- -0

# empty strings
hostile 2 "invalid size: ''"           create -s ""
hostile 2 "invalid mode: ''"           create -s 1 -m ""
hostile 2 "invalid key: ''"            stat -k ""
hostile 2 "invalid segment id: ''"     rm ""
hostile 2 "invalid ftok path: ''"      cat --ftok ""
hostile 2 "invalid ftok path: ':R'"    create -s 1 --ftok :R
hostile 2 "invalid project ''"         ftok "$WORK/f" ""
hostile 2 "unknown column ''"          list -o ""
hostile 2 "unknown column ''"          list -o ID,
hostile 2 "unknown column ''"          list --sort ""
hostile 2 "unknown user ''"            gc -u ""
hostile 2 "invalid time format ''"     list --time-format ""
hostile 2 "unknown command ''"         ""

# unknown columns and values
hostile 2 "unknown column 'NOPE'"      list -o ID,NOPE
hostile 2 "unknown column 'ACTION'"    list -o +ACTION
hostile 2 "unknown column 'NOPE'"      gc -o ACTION,NOPE
hostile 2 "too many columns"           list -o "$cols70"
hostile 2 "unknown user '99999999999999999999'" list -u 99999999999999999999
hostile 2 "invalid time format 'long'" stat --time-format long "$id"
hostile 2 "key 0 is IPC_PRIVATE"       cat -k 0

# conflicting options, extra arguments
hostile 2 "--key and --ftok are mutually exclusive" create -s 1 -k 1 --ftok "$WORK/f"
hostile 2 "--reuse needs --key"        create -s 1 --reuse
hostile 2 "--json and --raw are mutually exclusive" list -J -r
hostile 2 "--export and --json are mutually exclusive" namespaces -e -J
hostile 2 "--output and --output-all are mutually exclusive"  list -o ID --output-all
hostile 2 "mutually exclusive"         attach-write "$id" --string a --file /dev/null
hostile 2 "mutually exclusive"         gc --dry-run -i
hostile 2 "--quiet and --json are mutually exclusive" gc -q -J
hostile 2 "give one segment only"      cat "$id" "$id"
hostile 2 "unexpected argument 'extra'" create -s 1 -m 0644 extra
hostile 2 "unexpected argument 'c'"    ftok a b c
hostile 2 "unexpected argument 'x'"    gc x

# missing arguments
hostile 2 "requires an argument -- 's'"      create -s
hostile 2 "'--output' requires an argument"  list --output
hostile 2 "'--older-than' requires an argument" gc --older-than
hostile 2 "no segment given"                 rm
hostile 2 "no segment given"                 stat
hostile 2 "no path given"                    ftok
hostile 2 "no size given"                    create
hostile 2 "no command given"

# odd bytes: escaped in the message, never sent to the terminal
hostile 2 "invalid segment id: '1\\x1b[31mX'"  stat $'1\e[31mX'
hostile 2 "unknown column '\\x1b]0;owned\\x07'" list -o $'ID,\e]0;owned\a'
hostile 2 "invalid size: '1\\xff'"             create -s $'1\xff'
hostile 2 "invalid key: '0x1\\x0a2'"           stat -k $'0x1\n2'
hostile 2 "unknown command '\\x1b[2J'"         $'\e[2J'
hostile 2 "invalid segment id: '\\xc2\\x9b6n'" rm $'\xc2\x9b6n'
hostile 2 "invalid ftok path: '\\x08\\x08:'"    rm --ftok $'\b\b:'
hostile 2 "unknown user 'ro\\x09ot'"           list -u $'ro\tot'
hostile 2 "unknown user 'a\\\\x1b'"           gc -u 'a\x1b'

is "$(shm_snapshot)" "$before" "after $tried hostile command lines: /proc/sysvipc/shm unchanged"
is "$("$S" cat "$id" | od -An -tx1)" "$data_before" "after $tried hostile command lines: the data unchanged"
ok "$([ "$tried" -ge 40 ] && echo 0 || echo 1)" "at least 40 hostile command lines ($tried)"
echo "# hostile command lines tried: $tried"

done_testing

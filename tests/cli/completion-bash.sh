#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The bash completion (completions/bash/shmtool): source it, fill
# COMP_WORDS and COMP_CWORD as bash does, call the function, read COMPREPLY.
. "$(dirname "$0")/lib.sh"
try_private_ipc "$@"

. "$TOP_SRCDIR/completions/bash/shmtool"
run complete -p shmtool
is "$out" "complete -F _shmtool shmtool" "the script registers _shmtool for shmtool"

complete_line() {
	local words
	read -ra words <<<"$1"
	[[ $1 == *' ' ]] && words+=("")
	COMP_WORDS=("${words[@]}")
	COMP_CWORD=$((${#words[@]} - 1))
	COMP_LINE=$1
	COMP_POINT=${#1}
	COMPREPLY=()
	_shmtool shmtool "${words[COMP_CWORD]}" "${words[COMP_CWORD - 1]}"
	[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}"
}
complete_bounded() {
	timeout 30 bash -c '. "$1"; '"$(declare -f complete_line)"'; complete_line "$2"' _ \
		"$TOP_SRCDIR/completions/bash/shmtool" "$1"
}
PREFIXED=yes
. "$(dirname "$0")/completion.inc"

# bash splits --output=ID,S at '=' (COMP_WORDBREAKS)
COMP_WORDS=(shmtool list --output = ID,S)
COMP_CWORD=4
_shmtool shmtool
is "${COMPREPLY[*]}" "ID,SIZE ID,STATUS ID,SWAP" "--output=ID,S offers the S columns after ID,"
COMP_WORDS=(shmtool list --time-format = '')
_shmtool shmtool
is "${COMPREPLY[*]}" "short full iso" "--time-format= offers the formats"
if [ "$IN_NS" = 1 ]; then
	COMP_WORDS=(shmtool gc --exclude-key = 0x5100002a --exclude-key '')
	COMP_CWORD=6
	_shmtool shmtool
	is "${COMPREPLY[*]}" "0x00000777" "--exclude-key=KEY, split at '=': not that key again"
else
	skip "cannot create an IPC namespace: no keys"
fi

done_testing

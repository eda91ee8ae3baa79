#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The fish completion (completions/fish/shmtool.fish), found where fish looks
# for it (fish_complete_path) and asked with `complete -C`.
. "$(dirname "$0")/lib.sh"
try_private_ipc "$@"

script=$TOP_SRCDIR/completions/fish/shmtool.fish
if ! command -v fish >/dev/null; then
	echo "1..0 # SKIP fish is not installed"
	exit 0
fi
run fish -n "$script"
is "$rc:$err" "0:" "fish -n shmtool.fish: no syntax error"

mkdir "$WORK/fish"
cp "$script" "$WORK/fish/shmtool.fish"
complete_line() {	# the candidates without their descriptions
	HOME=$WORK fish -N -c 'set -p fish_complete_path $argv[1]; complete -C $argv[2]' \
		"$WORK/fish" "$1" | cut -f1
}
complete_bounded() {
	local got rc
	got=$(HOME=$WORK timeout 30 fish -N -c 'set -p fish_complete_path $argv[1]; complete -C $argv[2]' \
		"$WORK/fish" "$1")
	rc=$?
	[ -z "$got" ] || cut -f1 <<<"$got"
	return $rc
}
PREFIXED=yes
. "$(dirname "$0")/completion.inc"

set_is "shmtool list --output=ID,S" "--output=ID,SIZE --output=ID,STATUS --output=ID,SWAP" \
	"--output=ID,S offers the S columns after ID,"
run fish -N -c "set -p fish_complete_path $WORK/fish; complete -C 'shmtool r'"
like "$out" "^rm	remove segments" "'shmtool r' has rm with the command table's summary"

done_testing

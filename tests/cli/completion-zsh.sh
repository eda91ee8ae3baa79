#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The zsh completion (completions/zsh/_shmtool): it parses, and an interactive
# zsh in a pseudo-terminal (zsh-complete.zsh, zsh/zpty) offers the right
# matches for each command line.
. "$(dirname "$0")/lib.sh"
try_private_ipc "$@"

script=$TOP_SRCDIR/completions/zsh/_shmtool
if ! command -v zsh >/dev/null; then
	echo "1..0 # SKIP zsh is not installed"
	exit 0
fi
run zsh -n "$script"
is "$rc:$err" "0:" "zsh -n _shmtool: no syntax error"
is "$(head -n1 "$script")" "#compdef shmtool" "_shmtool starts with #compdef shmtool"

complete_line() {
	zsh -f "$TOP_SRCDIR/tests/cli/zsh-complete.zsh" "$TOP_SRCDIR/completions/zsh" "$1"
}
complete_bounded() { timeout 30 zsh -f "$TOP_SRCDIR/tests/cli/zsh-complete.zsh" "$TOP_SRCDIR/completions/zsh" "$1"; }
# what the terminal shows after LINE<TAB>, with a warnings format set
zsh_screen() {
	SHMTOOL_COMPLETION_TIMEOUT=120 zsh -f "$TOP_SRCDIR/tests/cli/zsh-complete.zsh" "$TOP_SRCDIR/completions/zsh" "$1" screen
}
PATH=$(dirname "$SHMTOOL"):$PATH
run complete_line "shmtool "
if [ "$rc" -eq 0 ] && [ -n "$out" ]; then
	ok 0 "zsh completes in a pseudo-terminal"
else
	ok 1 "zsh completes in a pseudo-terminal (rc $rc: $err)"
	done_testing
	exit
fi

# Nothing to offer: a plain hint, not zsh's list of the descriptions it
# tried ("no matches for: `argument', `segment id or POSIX object'...")
if [ "$IN_NS" = 1 ]; then	# a namespace of its own, no segments yet
	run zsh_screen "shmtool stat "
	like "$out" "no segments" "no segments: 'stat <TAB>' says so"
	! grep -q "\`argument'" <<<"$out"
	ok $? "no segments: not the list of descriptions tried"
	run zsh_screen "shmtool rm -k "
	like "$out" "no segments with a key" "no keys: 'rm -k <TAB>' says so"
else
	skip "cannot create an IPC namespace: no empty namespace"
	skip "cannot create an IPC namespace: no empty namespace"
	skip "cannot create an IPC namespace: no empty namespace"
fi
run zsh_screen "shmtool --ipc-ns 2147483647 stat "
like "$out" "cannot list the segments" "the program fails: 'stat <TAB>' says it cannot list the segments"

PREFIXED=no
. "$(dirname "$0")/completion.inc"

set_is "shmtool list --output=ID,S" "SIZE STATUS SWAP" "--output=ID,S offers the S columns"
run zsh_screen "shmtool stat 999999"
! grep -q "\`argument'" <<<"$out"
ok $? "an id that matches none: zsh's message names no 'argument'"

done_testing

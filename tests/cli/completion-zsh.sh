#!/bin/bash
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
PATH=$(dirname "$SHMTOOL"):$PATH
run complete_line "shmtool "
if [ "$rc" -eq 0 ] && [ -n "$out" ]; then
	ok 0 "zsh completes in a pseudo-terminal"
else
	ok 1 "zsh completes in a pseudo-terminal (rc $rc: $err)"
	done_testing
	exit
fi
PREFIXED=no
. "$(dirname "$0")/completion.inc"

set_is "shmtool list --output=ID,S" "SIZE STATUS SWAP" "--output=ID,S offers the S columns"

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The licence, GPL-2.0-or-later, is stated everywhere it must be: COPYING
# holds the GPL version 2, `shmtool --version` and shmtool(1) name it,
# and every tracked source, header, script, test, man page, completion,
# m4 file, Makefile.am/Makemodule.am, configure.ac and unit file carries
# the SPDX line at the top (line 1, or line 2 after a `#!` or `#compdef`
# line). The file list comes from git: in a tarball that part is skipped.
. "$(dirname "$0")/lib.sh"

id='SPDX-License-Identifier: GPL-2.0-or-later'

grep -q '^ *GNU GENERAL PUBLIC LICENSE' "$TOP_SRCDIR/COPYING" 2>/dev/null &&
	grep -q '^ *Version 2, June 1991' "$TOP_SRCDIR/COPYING"
ok $? "COPYING is the GNU GPL version 2"

run "$SHMTOOL" --version
like "$out" "GPL-2\.0-or-later" "--version names the licence"
like "$(head -n 1 <<<"$out")" '^shmtool [0-9]+\.[0-9]+\.[0-9]+$' "--version: the version alone on line 1"

sed -n '/^\.SH COPYRIGHT/,/^\.SH /p' "$TOP_SRCDIR/man/shmtool.1" | grep -q 'GPL\|General Public License'
ok $? "shmtool(1) has a COPYRIGHT section naming the licence"

# licensed FILE: whether FILE (a path in the tree) must carry the line
licensed() {
	case $1 in
	tests/fuzz/corpus/* | tests/fixtures/*) return 1 ;;
	.ci/packages*) return 1 ;;	# package lists, read by xargs
	*.c | *.h | *.sh | *.inc | *.zsh | *.fish | *.1 | *.am | *.ac | *.m4) return 0 ;;
	*.in | *.service | *.timer | completions/* | systemd/* | debian/rules) return 0 ;;
	esac
	[ "$(head -c 2 "$TOP_SRCDIR/$1")" = '#!' ]
}

# at_top FILE: the line is line 1, or line 2 after a #! or #compdef line
at_top() {
	local first second
	{ IFS= read -r first; IFS= read -r second; } <"$TOP_SRCDIR/$1"
	case $first in *"$id"*) return 0 ;; esac
	case $first in '#!'* | '#compdef'*) ;; *) return 1 ;; esac
	case $second in *"$id"*) return 0 ;; esac
	return 1
}

top=$(git -C "$TOP_SRCDIR" rev-parse --show-toplevel 2>/dev/null)
if ! command -v git >/dev/null; then
	skip "no git: cannot list the tracked files"
elif [ -z "$top" ] || [ "$(cd "$top" && pwd -P)" != "$(cd "$TOP_SRCDIR" && pwd -P)" ]; then
	skip "not a git checkout (a release tarball?): the tracked files are unknown"
else
	n=0 missing=""
	while IFS= read -r f; do
		[ -f "$TOP_SRCDIR/$f" ] && licensed "$f" || continue
		n=$((n + 1))
		at_top "$f" || missing+=" $f"
	done < <(git -C "$TOP_SRCDIR" ls-files)
	ok "$([ "$n" -gt 100 ] && echo 0 || echo 1)" "$n tracked files must carry the SPDX line"
	is "${missing# }" "" "each carries '$id' at its top"
	for f in src/shmtool.c man/shmtool.1 configure.ac Makefile.am completions/zsh/_shmtool \
		tests/cli/lib.sh; do
		licensed "$f"
		ok $? "$f is among the files checked"
	done
fi

done_testing

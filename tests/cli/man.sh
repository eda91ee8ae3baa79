#!/bin/bash
# The man page renders without warnings and matches the code: every long
# option and every column is documented.
. "$(dirname "$0")/lib.sh"

man=$TOP_SRCDIR/man/shmtool.1

if command -v mandoc >/dev/null; then
	run mandoc -Tlint -W warning "$man"
	is "$out$err" "" "mandoc -Tlint: no warnings"
fi
run groff -man -ww -z "$man"
is "$rc:$err" "0:" "groff -man -ww -z: no warnings"

# every long option in the code appears in the page (as \-\-name)
opts=$(grep -ho '{ *"[a-z][a-z0-9-]*", *\(no\|required\|optional\)_argument' \
	"$TOP_SRCDIR"/src/*.c "$TOP_SRCDIR"/src/*.h | sed 's/{ *"\([^"]*\)".*/\1/' | sort -u)
[ -n "$opts" ]
ok $? "found the long options in src/"
for o in $opts; do
	grep -q -- "\\\\-\\\\-$(sed 's/-/\\\\-/g' <<<"$o")" "$man"
	ok $? "option --$o is in the man page"
done

# the COLUMNS section lists exactly the program's columns, in order
page_cols=$(sed -n '/^\.SH COLUMNS/,/^\.SH /p' "$man" | grep -A1 '^\.TP' | grep '^\.B ' | awk '{ print $2 }')
prog_cols=$("$SHMTOOL" list --list-columns --raw --noheadings | awk '{ print $1 }')
is "$(echo $page_cols)" "$(echo $prog_cols)" "the man page's columns match list --list-columns"

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages render without warnings and match the code: one page per
# command, every long option of a command in its page, every column in
# the list page, every page in the distribution.
. "$(dirname "$0")/lib.sh"

mandir=$TOP_SRCDIR/man
page_of() { if [ -n "$1" ]; then echo "$mandir/shmtool-$1.1"; else echo "$mandir/shmtool.1"; fi; }
# the long options a page documents: those in the heading of an item
# (.TP) of its OPTIONS section, "\-\-output\-all" read as "--output-all"
documented() {
	sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$1" | grep -A1 '^\.TP' | grep '^\.B' |
		grep -o '\\-\\-[a-z0-9\\-]*' | sed 's/\\-/-/g; s/\\.*$//'
}

# "-x, --long" for each item of OPTIONS headed .BR \-x ", " \-\-long
short_pairs_man() {
	sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$1" | grep -A1 '^\.TP' |
		sed -n 's/^\.BR* \\-\([a-zA-Z0-9]\) ", " \\-\\-\([a-z0-9\\-]*\).*/-\1, --\2/p' |
		sed 's/\\-/-/g; s/"$//' | sort -u
}

cmds=$(commands)
[ -n "$cmds" ]
ok $? "shmtool --help lists the commands"
# the descriptors, each in its command's own file src/cmd/NAME.c
src_cmds=$(cd "$TOP_SRCDIR/src/cmd" && for f in *.c; do
	sed -n '/^const struct command cmd_/,/^};/s/^\t\.name = "\(.*\)",$/\1/p' "$f" |
		grep -x "${f%.c}"
done | sort)
is "$(echo $(sort <<<"$cmds"))" "$(echo $src_cmds)" "the command table has one command per src/cmd/NAME.c, its descriptor there"

pages=$(cd "$mandir" && ls *.1 | LC_ALL=C sort)
for p in $pages; do
	if command -v mandoc >/dev/null; then
		run mandoc -Tlint -W warning "$mandir/$p"
		is "$out$err" "" "$p: mandoc -Tlint: no warnings"
	fi
	run groff -man -ww -z "$mandir/$p"
	is "$rc:$err" "0:" "$p: groff -man -ww -z: no warnings"
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES 'EXIT STATUS' FILES 'SEE ALSO'; do
		grep -q "^\.SH \"\?$s\"\?\$" "$mandir/$p"
		ok $? "$p: has a $s section"
	done
	see=$(sed -n '/^\.SH "\?SEE ALSO/,/^\.SH /p' "$mandir/$p")
	missing=""
	for ref in 'ipcs (1)' 'ipcrm (1)' 'lsipc (1)' 'shmget (2)' 'shmat (2)' 'shmctl (2)' 'ftok (3)'; do
		grep -q "^\.BR $ref" <<<"$see" || missing="$missing $ref"
	done
	is "$missing" "" "$p: SEE ALSO has ipcs, ipcrm, lsipc, shmget, shmat, shmctl, ftok"
	grep -qw "${p%.1}" "$TOP_SRCDIR/man/Makemodule.am"
	ok $? "$p is in dist_man_MANS"
done
is "$(echo $pages)" "$(echo $( { echo shmtool.1; printf 'shmtool-%s.1\n' $cmds; } | LC_ALL=C sort))" \
	"one page per command and no other"

for c in "" $cmds; do
	page=$(page_of "$c")
	name=$(basename "$page" .1)
	[ -f "$page" ] || { ok 1 "$name.1 exists"; continue; }
	opts=$(longopts_of "$c")
	[ -n "$opts" ]
	ok $? "$name: found the long options in src/"
	if [ -n "$c" ]; then
		help=$("$SHMTOOL" "$c" --help)
		grep -q "^\.TH SHMTOOL\\\\-$(tr a-z A-Z <<<"$c" | sed 's/-/\\\\-/g') 1 " "$page"
		ok $? "$name: .TH names the command"
		grep -q "^\.BR $(sed 's/-/\\\\-/g' <<<"$name") (1)" "$mandir/shmtool.1"
		ok $? "shmtool.1 refers to $name(1)"
	else
		help=$("$SHMTOOL" --help)
	fi
	doc=$(documented "$page")
	is "$(sort <<<"$doc" | uniq -d | tr '\n' ' ')" "" "$name: no option twice in OPTIONS"
	extra=""
	for d in $doc; do
		grep -qx -- "${d#--}" <<<"$opts" || extra="$extra $d"
	done
	is "$extra" "" "$name: OPTIONS holds no option the command lacks"
	# the short letter of each option, the same in --help and the page
	is "$(short_pairs_man "$page")" "$(grep -oE -- '^ +-[a-zA-Z0-9], --[a-z0-9-]+' <<<"$help" | sed 's/^ *//' | sort -u)" \
		"$name: the same short options in --help and OPTIONS"
	for o in $opts; do
		grep -qx -- "--$o" <<<"$doc"
		ok $? "$name: option --$o is in the page's OPTIONS"
		grep -qE -- "(^|[ ,])--$o( |$)" <<<"$help"
		ok $? "$name: option --$o is in --help"
	done
done

# one short letter, one meaning: -x is the same long option in every
# command that has it
pairs=$(for c in $cmds; do "$SHMTOOL" "$c" --help; done |
	grep -oE -- '^ +-[a-zA-Z0-9], --[a-z0-9-]+' | sed 's/^ *//' | sort -u)
is "$(awk -F', ' '{ print $1 }' <<<"$pairs" | uniq -d | tr '\n' ' ')" "" \
	"each short letter means one long option in every command"
is "$("$SHMTOOL" cat -s 0 2>&1 >/dev/null | head -n 1)" "shmtool cat: invalid option -- 's'" \
	"cat -s is no more (-s is --size)"
is "$("$SHMTOOL" stat --help | grep -c -- '-M, --memory')" 1 "stat --memory is -M (-m is --mode)"

# the classic shmdemo workflow is in the examples
ex=$(sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$mandir/shmtool.1")
for step in 'create \\-\\-ftok' 'attach\\-write \\-\\-ftok' 'cat \\-\\-ftok' 'rm \\-\\-ftok'; do
	grep -q "^shmtool $step" <<<"$ex"
	ok $? "shmtool.1 examples: shmtool $step"
done

# the COLUMNS section lists exactly the program's columns, in order
man=$(page_of list)
page_cols=$(sed -n '/^\.SH COLUMNS/,/^\.SH /p' "$man" | grep -A1 '^\.TP' | grep '^\.B ' | awk '{ print $2 }')
prog_cols=$("$SHMTOOL" list --list-columns --raw --noheadings | awk '{ print $1 }')
[ -n "$prog_cols" ]
ok $? "list --list-columns prints columns"
is "$(echo $page_cols)" "$(echo $prog_cols)" "shmtool-list.1's columns match list --list-columns"

# where to report bugs: the address configure.ac gives (./configure --help)
bugs=$(sed -n 's/^#define PACKAGE_BUGREPORT "\(.*\)"$/\1/p' "$TOP_BUILDDIR/config.h")
like "$bugs" '^[^ ]+@[^ ]+$' "configure.ac names an address for bug reports"
is "$(sed -n '/^\.SH REPORTING BUGS/,/^\.SH /p' "$(page_of)" | sed -n 's/^\.MT //p')" "$bugs" \
	"shmtool.1's REPORTING BUGS gives that address"

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make install` into a DESTDIR puts the program, every man page and the
# completions where configure said, a bash with that completion directory
# completes `shmtool <TAB>`, and `make uninstall` takes everything away.
. "$(dirname "$0")/lib.sh"

: "${MAKE:=make}" "${BINDIR:?}" "${MANDIR:?}"
dest=$WORK/dest
# a make of our own, not a job of the make running the tests
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL $MAKE -s -C "$TOP_BUILDDIR" "$@"; }

run mk install DESTDIR="$dest"
is "$rc" 0 "make install DESTDIR=... succeeds"
[ "$rc" -eq 0 ] || echo "# $err"
test -x "$dest$BINDIR/shmtool"
ok $? "the program is in bindir"
for p in "$TOP_SRCDIR"/man/*.1; do
	test -f "$dest$MANDIR/man1/$(basename "$p")"
	ok $? "$(basename "$p") is in mandir/man1"
done
for spec in "BASH:shmtool" "ZSH:_shmtool" "FISH:shmtool.fish"; do
	var=${spec%%:*}COMPLETIONDIR file=${spec#*:}
	dir=${!var}
	if [ -n "$dir" ]; then
		cmp -s "$dest$dir/$file" "$TOP_SRCDIR/completions/$(tr A-Z a-z <<<"${spec%%:*}")/$file"
		ok $? "the ${spec%%:*} completion is $dir/$file"
	else
		found=$(find "$dest" -name "$file" ! -path "*/bin/*")
		is "$found" "" "no ${spec%%:*} completion installed (configured without)"
	fi
done

# bash, with bash-completion and the installed directory, completes
# `shmtool <TAB>` the way an interactive shell does: the default handler
# loads the completion on first use, then the function runs.
bc=/usr/share/bash-completion/bash_completion
if [ -z "$BASHCOMPLETIONDIR" ]; then
	skip "configured without a bash completion"
elif [ ! -r "$bc" ]; then
	skip "bash-completion is not installed"
else
	dir=$dest$BASHCOMPLETIONDIR
	# bash-completion looks in $BASH_COMPLETION_USER_DIR/completions first
	mkdir -p "$WORK/user"
	ln -s "$dir" "$WORK/user/completions"
	run env -i HOME="$WORK" PATH="$dest$BINDIR:/usr/bin:/bin" \
		BASH_COMPLETION_USER_DIR="$WORK/user" bash --norc --noprofile -c '
		. '"$bc"'
		complete -p shmtool >/dev/null 2>&1 && echo "loaded too early"
		_completion_loader shmtool
		spec=$(complete -p shmtool) || exit 1
		fn=${spec#*-F }; fn=${fn%% *}
		COMP_WORDS=(shmtool ""); COMP_CWORD=1; COMP_LINE="shmtool "; COMP_POINT=8
		"$fn" shmtool "" shmtool
		printf "%s\n" "${COMPREPLY[@]}"'
	is "$rc" 0 "bash loaded the installed completion"
	is "$(echo $out)" "$(echo $(commands))" "installed: 'shmtool <TAB>' offers the commands"
fi

run mk uninstall DESTDIR="$dest"
is "$rc" 0 "make uninstall succeeds"
is "$(find "$dest" -type f)" "" "make uninstall leaves no file"

done_testing

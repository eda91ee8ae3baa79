#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make install` into a DESTDIR puts the program, every man page, the
# completions and the systemd units (not enabled) where configure said, a
# bash with that completion directory completes `shmtool <TAB>`, and
# `make uninstall` takes everything away. With another prefix given to
# make, every file lands below it (but those whose directory configure
# was told is elsewhere), and the units run the program there.
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

# the units, as systemd/ makes them, where configure said; none enabled
if [ -n "${SYSTEMDSYSTEMUNITDIR:-}" ]; then
	for u in shmtool-metrics.service shmtool-gc.service shmtool-metrics.timer shmtool-gc.timer; do
		want=$TOP_SRCDIR/systemd/$u
		[ -f "$want.in" ] && want=$want.in
		is "$(cat "$dest$SYSTEMDSYSTEMUNITDIR/$u" 2>&1)" "$(sed "s|@bindir@|$BINDIR|g" "$want")" \
			"$u is in $SYSTEMDSYSTEMUNITDIR, @bindir@ made $BINDIR"
	done
else
	is "$(find "$dest" -name 'shmtool-*.service' -o -name 'shmtool-*.timer')" "" \
		"no unit installed (configured without)"
fi
is "$(find "$dest" -type l -o -name '*.wants')" "" "no unit enabled: no link, no .wants directory"

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

# another prefix, given to make: every file below DESTDIR/PREFIX, but in
# a directory configure was named outside its prefix (--with-X=DIR), or
# systemd's /lib/systemd/system when the prefix is systemd's own (/usr)
p=$WORK/prefix dest=$WORK/dest2
outside=()
args=$("$TOP_BUILDDIR/config.status" --config)
for spec in bash-completion-dir:"$BASHCOMPLETIONDIR" zsh-completion-dir:"$ZSHCOMPLETIONDIR" \
	fish-completion-dir:"$FISHCOMPLETIONDIR" systemdsystemunitdir:"${SYSTEMDSYSTEMUNITDIR:-}"; do
	d=${spec#*:}
	case $d in "" | "$PREFIX"/*) continue ;; esac
	if [[ $args == *"--with-${spec%%:*}="* ]] ||
		{ [ "${spec%%:*}" = systemdsystemunitdir ] &&
		  [ "$PREFIX" = "$(pkg-config --variable=prefix systemd 2>/dev/null)" ]; }; then
		outside+=("$dest$d/")
	fi
done
run mk install prefix="$p" DESTDIR="$dest"
is "$rc" 0 "make install prefix=DIR DESTDIR=... succeeds"
stray=""
while IFS= read -r f; do
	case $f in "$dest$p"/*) continue ;; esac
	for d in "${outside[@]}"; do
		case $f in "$d"*) continue 2 ;; esac
	done
	stray+=" ${f#"$dest"}"
done < <(find "$dest" -type f)
is "${stray# }" "" "prefix=DIR: every file below DIR"
test -x "$dest$p/bin/shmtool"
ok $? "prefix=DIR: the program in DIR/bin"
ls "$dest$p/share/man/man1/shmtool.1" >/dev/null 2>&1
ok $? "prefix=DIR: the man pages in DIR/share/man"
units=$(find "$dest" -name 'shmtool-*.service')
if [ -n "${SYSTEMDSYSTEMUNITDIR:-}" ] && [ -n "$units" ]; then
	is "$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' $units | sort -u)" "$p/bin/shmtool" \
		"prefix=DIR: the units run DIR/bin/shmtool"
else
	skip "configured without the units"
fi
run mk uninstall prefix="$p" DESTDIR="$dest"
is "$rc:$(find "$dest" -type f)" "0:" "make uninstall prefix=DIR leaves no file"
# the units in the build tree made again for the configured bindir
mk systemd/shmtool-metrics.service systemd/shmtool-gc.service >/dev/null

done_testing

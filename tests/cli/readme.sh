#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# README.md keeps up with the tree: its Layout table names every source
# file of src/ in a row of its folder (a command's own file,
# src/cmd/NAME.c, goes by the command) and every script of bench/, and each Prometheus rule file it
# shows is one that promtool accepts.
. "$(dirname "$0")/lib.sh"

readme=$TOP_SRCDIR/README.md
layout=$(sed -n '/^## Layout$/,/^## [^L]/p' "$readme")
like "$layout" '^\| `src/cmd/` \|' "README.md has a Layout table"

cmds=" $(commands | tr '\n' ' ') "
n=0 missing=
for f in "$TOP_SRCDIR"/src/*.c "$TOP_SRCDIR"/src/*/*.c; do
	name=${f##*/}
	name=${name%.c}
	case $f in
	*/src/cmd/*) [[ $cmds == *" $name "* ]] && continue ;;
	esac
	n=$((n + 1))
	# the rows of its folder: those whose first cell starts src/DIR/
	dir=${f#"$TOP_SRCDIR"/}
	dir=${dir%/*}
	grep -F "| \`$dir/" <<<"$layout" | grep -qF -e "$name.c" -e "$name.[ch]" ||
		missing+=" ${f#"$TOP_SRCDIR"/}"
done
ok "$([ "$n" -ge 30 ] && echo 0 || echo 1)" "$n source files to find in the Layout table"
is "${missing# }" "" "the Layout table names every source file"

missing=
for f in "$TOP_SRCDIR"/bench/*.sh "$TOP_SRCDIR"/bench/run-all; do
	name=${f##*/}
	[ "$name" = lib.sh ] && continue
	grep -qF "\`$name\`" <<<"$layout" || missing+=" bench/$name"
done
is "${missing# }" "" "the Layout table names every benchmark"

# each ```yaml block of README.md that holds groups: a rule file
if command -v promtool >/dev/null; then
	awk -v dir="$WORK" '
		/^```yaml$/ { f = sprintf("%s/rules-%d.yml", dir, ++n); on = 1; next }
		/^```$/ { on = 0 }
		on { print > f }' "$readme"
	n=0
	for f in "$WORK"/rules-*.yml; do
		[ -f "$f" ] && grep -q '^groups:' "$f" || continue
		n=$((n + 1))
		run promtool check rules "$f"
		is "$rc" 0 "promtool check rules: README.md's rule file $n${err:+ ($err)}"
	done
	ok "$([ "$n" -ge 2 ] && echo 0 || echo 1)" "$n rule files in README.md"
else
	skip "no promtool: README.md's rules are not checked"
fi

done_testing

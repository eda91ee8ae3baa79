#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The release tarball carries what `make bench` runs: every file of
# bench/ is in Makefile.am's EXTRA_DIST (a script left out would make
# `make bench` of a tarball fail), and run-all runs every benchmark
# script there is.
. "$(dirname "$0")/lib.sh"

am=$TOP_SRCDIR/Makefile.am
# the words of every EXTRA_DIST assignment, continuation lines joined
dist=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$am" |
	sed -n 's/^EXTRA_DIST[[:space:]]*+\{0,1\}=//p' | tr -s ' \t' '\n' | sed '/^$/d')
like "$dist" '^bench/run-all$' "EXTRA_DIST read from Makefile.am"

n=0 missing=
for f in "$TOP_SRCDIR"/bench/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	f=bench/${f##*/}
	grep -qxF "$f" <<<"$dist" || missing+=" $f"
done
ok "$([ "$n" -ge 8 ] && echo 0 || echo 1)" "$n files in bench/"
is "${missing# }" "" "every file of bench/ is in EXTRA_DIST"

missing=
for f in "$TOP_SRCDIR"/bench/*.sh; do
	f=${f##*/}
	[ "$f" = lib.sh ] && continue
	grep -q "\"\$here/$f\"" "$TOP_SRCDIR/bench/run-all" || missing+=" $f"
done
is "${missing# }" "" "bench/run-all runs every benchmark script"

done_testing

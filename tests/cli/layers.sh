#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The folders of src/ are layers, and the #include lines show it:
#   lib/   knows nothing of shared memory: includes only lib/
#   core/  the kernel and /proc: includes core/ and lib/
#   out/   presentation: core's types, but no system call (none of the
#          headers that declare them)
#   cmd/   one file per command: may use all
# and nothing below cmd/ reaches up into it (README.md, "Source map").
. "$(dirname "$0")/lib.sh"

src=$TOP_SRCDIR/src
# the headers of ours that FILE includes, one a line ("core/sysv.h")
ours() { sed -n 's/^#include "\([^"]*\)".*/\1/p' "$1"; }

# check LAYER ALLOWED-REGEX: every include of ours in src/LAYER/ matches
check() {
	local layer=$1 allowed=$2 f bad all=
	for f in "$src/$layer"/*.[ch]; do
		bad=$(ours "$f" | grep -Ev "^($allowed)/" | tr '\n' ' ')
		[ -z "$bad" ] || all+="${f#$src/}: $bad; "
	done
	is "$all" "" "$layer/ includes only $allowed"
}

for d in lib core out cmd; do
	[ -d "$src/$d" ]
	ok $? "src/$d exists"
done
check lib 'lib'
check core 'core|lib'
check out 'out|core|lib'
check cmd 'cmd|out|core|lib'
is "$(ours "$src/shmtool.c" | grep -Ev '^(cmd|core|lib)/' | tr '\n' ' ')" "" \
	"main includes commands, core and lib"

# every source is in a layer: none left at the top but main
is "$(cd "$src" && ls *.[ch] 2>/dev/null | grep -vx shmtool.c | tr '\n' ' ')" "" \
	"src/ holds only main beside the layer folders"

# out/ makes no system call: none of the headers that declare them
syscalls='unistd|fcntl|dirent|sched|sys/(shm|ipc|stat|mman|syscall|mount|statfs|wait)'
bad=$(grep -lE "^#include <($syscalls)\.h>" "$src"/out/*.[ch] | sed "s|$src/||" | tr '\n' ' ')
is "$bad" "" "out/ includes no header of system calls"

# a planted breach is seen: the check can fail
tmp=$(mktemp -d)
mkdir "$tmp/lib" && printf '#include "core/sysv.h"\n' >"$tmp/lib/x.c"
is "$(src=$tmp; ours "$tmp/lib/x.c" | grep -Ev '^(lib)/')" "core/sysv.h" \
	"an include of core/ in lib/ is found"
rm -rf "$tmp"

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# JSON carries no raw control character: not C0 (escaped), and not C1
# either (U+0080-U+009F: CSI, OSC, ST... which xterm and VTE act on in
# UTF-8): each C1 becomes U+FFFD, the same in every document.
. "$(dirname "$0")/lib.sh"
in_private_shm_pid "$@"
private_dev_shm

S=$SHMTOOL
name=$(printf 'c1\xc2\x9b2J\xc2\x9d0;x\xc2\x9c')
printf x >"/dev/shm/$name"
touch -d '1 hour ago' "/dev/shm/$name"
has_c1() { LC_ALL=C grep -c $'\xc2[\x80-\x9f]' <<<"$1"; }

run "$S" stat --posix -J "$name"
is "$rc:$(has_c1 "$out")" "0:0" "stat --posix -J: no raw C1 character"
run "$S" list --posix -J -o NAME
is "$rc:$(has_c1 "$out")" "0:0" "list --posix -J: no raw C1 character"
shown=$(printf 'c1\xef\xbf\xbd2J\xef\xbf\xbd0;x\xef\xbf\xbd')
is "$(jq -r '.posix[0].name' <<<"$out")" "$shown" "list --posix -J: each C1 as U+FFFD"
is "$("$S" stat --posix -J "$name" 2>/dev/null | jdocs | jq -r '.posix[0].name')" "$shown" "stat --posix -J: the same name"
run "$S" gc --posix --force --dry-run --older-than 0 -J -o NAME
is "$(has_c1 "$out")" "0" "gc --posix --dry-run -J: no raw C1 character"
is "$(jdocs <<<"$out" | jq -r '.posix[0].name')" "$shown" "gc --posix -J: the same name"

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Standard descriptors closed by the caller: shmtool opens them on
# /dev/null first, so that no file it opens takes their numbers and
# receives its messages or output, or gives what it reads as input.
# Private IPC and mount namespaces, with a tmpfs of its own on /dev/shm.
. "$(dirname "$0")/lib.sh"
in_private_shm "$@"
private_dev_shm

S=$SHMTOOL
D=/dev/shm
fingerprint() { stat -c '%s' "$1" && sha256sum <"$1"; }
long=$(printf 'x%.0s' $(seq 70))

# a POSIX object on an error path with stdout and stderr closed: the
# object would be descriptor 2, and the warning written into it
"$S" create --posix obj -s 64 >/dev/null
"$S" attach-write --posix obj --string 'the bytes of the object'
before=$(fingerprint "$D/obj")
"$S" attach-write --posix obj --string "$long" 1>&- 2>&-
is "$?" 1 "attach-write --posix, stdout and stderr closed, data too long: exit 1"
is "$(fingerprint "$D/obj")" "$before" "stdout and stderr closed: the object's bytes and size unchanged"
"$S" attach-write --posix obj --string "$long" 2>&-
is "$?" 1 "attach-write --posix, stderr closed: exit 1"
is "$(fingerprint "$D/obj")" "$before" "stderr closed: the object unchanged"
"$S" cat --posix obj --string 1>&-
is "$?" 0 "cat --posix with stdout closed: exit 0, the output discarded"
is "$(fingerprint "$D/obj")" "$before" "cat --posix with stdout closed: the object unchanged"

# create --posix with stdout closed: the name printed goes nowhere, not
# into the object
"$S" create --posix made -s 1K 1>&-
is "$?" 0 "create --posix with stdout closed: exit 0"
is "$(fingerprint "$D/made")" "$(head -c 1024 /dev/zero | fingerprint /dev/stdin | sed 1s/.*/1024/)" \
	"create --posix with stdout closed: the object holds zeros"

# System V, as root: the segment's own file would be descriptor 0, and
# standard input the segment itself
id=$("$S" create -s 4096)
head -c 4096 /dev/urandom >"$WORK/data"
"$S" attach-write "$id" --file "$WORK/data"
"$S" attach-write "$id" --offset 10 -v 0<&- 2>"$WORK/err"
is "$?:$(cat "$WORK/err")" "0:wrote 0 bytes to segment $id at offset 10" \
	"attach-write with stdin closed: empty input, exit 0"
"$S" cat "$id" | cmp -s - "$WORK/data"
ok $? "attach-write with stdin closed: the segment unchanged"
"$S" attach-write "$id" --nul 0<&- 2>&-
is "$?" 0 "attach-write --nul with stdin and stderr closed: exit 0"
is "$("$S" cat "$id" --length 1 | od -An -tx1 | tr -d ' ')" 00 "attach-write --nul, stdin closed: only the NUL"
"$S" attach-write "$id" --file "$WORK/data"
"$S" cat "$id" 0<&- | cmp -s - "$WORK/data"
ok $? "cat with stdin closed: the bytes"
"$S" cat "$id" 1>&- 2>"$WORK/err"
is "$?:$(cat "$WORK/err")" "0:" "cat with stdout closed: exit 0, quiet"
"$S" cat "$id" | cmp -s - "$WORK/data"
ok $? "cat with stdout closed: the segment unchanged"
"$S" list 0<&- 1>&- 2>&-
is "$?" 0 "list with every standard descriptor closed: exit 0"

done_testing

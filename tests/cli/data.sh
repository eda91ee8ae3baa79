#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# attach-write and cat: byte-exact round trips, offsets, bounds, sources,
# the classic ftok example both ways, pipes and write errors.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"

S=$SHMTOOL
id=$("$S" create -s 4096)

# text
run "$S" attach-write "$id" --string "hello, world"
is "$rc:$out:$err" "0::" "attach-write --string: exit 0, quiet"
run "$S" cat "$id" --length 12
is "$out" "hello, world" "cat returns the text"
run "$S" cat "$id" --string
is "$out" "hello, world" "cat --string stops at the first NUL"
"$S" cat "$id" --string >"$WORK/s"
is "$(wc -c <"$WORK/s")" 12 "cat --string adds no newline"
"$S" cat "$id" --string --newline >"$WORK/s"
is "$(wc -c <"$WORK/s")" 13 "cat --string --newline adds one"

# binary data with NULs, a full-size write, byte for byte
head -c 4096 /dev/urandom >"$WORK/bin"
printf 'a\0b\0\0c' | dd of="$WORK/bin" bs=1 seek=100 conv=notrunc status=none
run "$S" attach-write "$id" --file "$WORK/bin" -v
is "$rc" 0 "attach-write --file of exactly the segment's size"
like "$err" "wrote 4096 bytes to segment $id at offset 0" "-v reports the bytes"
"$S" cat "$id" >"$WORK/back"
cmp -s "$WORK/bin" "$WORK/back"
ok $? "cat returns the binary data byte for byte"

# an offset write from standard input
printf 'XYZ' | "$S" attach-write "$id" --offset 4093
is "$?" 0 "attach-write from stdin at an offset that just fits"
is "$("$S" cat "$id" --offset 4093)" XYZ "cat --offset reads it back"
is "$("$S" cat "$id" --offset 4090 --length 3 | od -An -tx1 | tr -d ' ')" \
	"$(dd if="$WORK/bin" bs=1 skip=4090 count=3 status=none | od -An -tx1 | tr -d ' ')" \
	"bytes before the offset are unchanged"

# --nul
run "$S" attach-write "$id" --string abc --nul
is "$("$S" cat "$id" --length 4 | od -An -tx1 | tr -d ' ')" 61626300 "--nul writes a terminating NUL"

# a 1-byte segment
one=$("$S" create -s 1)
printf 'Q' | "$S" attach-write "$one"
is "$("$S" cat "$one")" Q "a 1-byte segment round trip"
expect_status 1 "2 bytes at offset 0 overflow segment $one \(1 byte\) by 1 byte;" "a 1-byte segment refuses 2 bytes" \
	"$S" attach-write "$one" --string QQ

# bounds: data that does not fit is refused whole, whatever its source
"$S" cat "$id" >"$WORK/before"
expect_status 1 "data does not fit: 5 bytes at offset 4094 overflow segment $id \(4096 bytes\) by 3 bytes; nothing written" \
	"a string past the end" "$S" attach-write "$id" --string 12345 --offset 4094
"$S" cat "$id" | cmp -s - "$WORK/before"
ok $? "a string past the end: nothing written"
head -c 5000 /dev/zero | tr '\0' 'z' >"$WORK/big"
expect_status 1 "overflow segment $id \(4096 bytes\) by 904 bytes" "a file past the end" \
	"$S" attach-write "$id" --file "$WORK/big"
"$S" cat "$id" | cmp -s - "$WORK/before"
ok $? "a file past the end: nothing written"
cat "$WORK/big" | "$S" attach-write "$id" 2>"$WORK/err"
is "$?" 1 "a pipe longer than the segment: exit 1"
like "$(cat "$WORK/err")" "input is longer than the 4096 bytes left in segment $id; nothing written" "a pipe longer than the segment: message"
"$S" cat "$id" | cmp -s - "$WORK/before"
ok $? "a pipe longer than the segment: nothing written"
head -c 4096 /dev/zero | tr '\0' 'p' | "$S" attach-write "$id" --nul 2>"$WORK/err"
is "$?:$(cat "$WORK/err")" "1:shmtool: input is longer than the 4095 bytes left in segment $id; nothing written" \
	"a pipe that leaves no room for --nul"
"$S" cat "$id" | cmp -s - "$WORK/before"
ok $? "a pipe that leaves no room for --nul: nothing written"

# input whose size stat does not give (/proc: 0, /sys: a page, whatever
# they hold) is read whole first: refused whole if it does not fit,
# written if it does
small=$("$S" create -s 100)
head -c 100 /dev/urandom >"$WORK/small"
"$S" attach-write "$small" --file "$WORK/small"
expect_status 1 "^shmtool: input is longer than the 100 bytes left in segment $small; nothing written\$" \
	"--file /proc/self/status into 100 bytes" "$S" attach-write "$small" --file /proc/self/status
"$S" cat "$small" | cmp -s - "$WORK/small"
ok $? "--file /proc/self/status into 100 bytes: the segment unchanged"
expect_status 1 "input is longer than the 90 bytes left in segment $small; nothing written" \
	"/proc/self/status on standard input, at an offset" \
	"$S" attach-write "$small" --offset 10 </proc/self/status
"$S" cat "$small" | cmp -s - "$WORK/small"
ok $? "/proc/self/status on standard input: the segment unchanged"
run "$S" attach-write "$id" --file /proc/self/status --nul
is "$rc" 0 "--file /proc/self/status into a segment where it fits"
is "$("$S" cat "$id" --string | head -n 2 | cut -f1 | tr "\n" " ")" "Name: Umask: " "--file /proc/self/status: its text arrived"
if [ -r /sys/devices/system/cpu/online ]; then
	run "$S" attach-write "$small" --file /sys/devices/system/cpu/online -v
	is "$rc" 0 "a /sys file of a page by stat into 100 bytes: it fits"
	is "$("$S" cat "$small" --length "$(wc -c </sys/devices/system/cpu/online)")" \
		"$(cat /sys/devices/system/cpu/online)" "a /sys file: its text arrived"
fi

expect_status 1 "offset 4097 is past the end of segment $id \(4096 bytes\)" "attach-write --offset past the end" \
	"$S" attach-write "$id" --string x --offset 4097
expect_status 1 "offset 5000 is past the end of segment $id" "cat --offset past the end" "$S" cat "$id" --offset 5000
# every byte count takes the suffixes and the hex of a size
"$S" attach-write "$id" --string XY --offset 1K
is "$("$S" cat "$id" --offset 0x400 --length 2)" XY "--offset 1K writes, --offset 0x400 reads the same byte"
is "$("$S" cat "$id" --offset 1024 --length 0x1)" X "--length 0x1: one byte"
expect_status 2 "invalid offset: '1Q'" "cat --offset with a bad suffix" "$S" cat "$id" --offset 1Q
expect_status 2 "invalid length: '0x'" "cat --length 0x" "$S" cat "$id" --length 0x

# a refusal changes nothing in the kernel's view: the segment is not even
# attached, so its attach time and last pid stay as they were
untouched=$("$SHMTOOL" create -s 100)
times() { "$SHM_HELPER" stat "$untouched" | awk '$1 == "atime" || $1 == "lpid" || $1 == "nattch" { printf "%s=%s ", $1, $2 }'; }
before=$(times)
is "$before" "lpid=0 nattch=0 atime=0 " "a segment never attached"
run "$S" cat "$untouched" --offset 101
is "$rc:$(times)" "1:$before" "cat --offset past the end: not attached"
run "$S" attach-write "$untouched" --string x --offset 101
is "$rc:$(times)" "1:$before" "attach-write --offset past the end: not attached"
run "$S" attach-write "$untouched" --string "$(head -c 101 /dev/zero | tr '\0' x)"
is "$rc:$(times)" "1:$before" "attach-write of a string too long: not attached"
run "$S" attach-write "$untouched" < <(head -c 101 /dev/zero)
is "$rc:$(times)" "1:$before" "attach-write of a pipe too long: read first, not attached"
like "$err" "input is longer than the 100 bytes left in segment $untouched; nothing written" \
	"a pipe too long: the message"
run "$S" attach-write "$untouched" --string x -v
is "$rc:$err" "0:wrote 1 byte to segment $untouched at offset 0" "-v: 1 byte, not 1 bytes"

# hex dump
"$S" attach-write "$one" --string A
run "$S" cat "$one" --hex
is "$out" "00000000  41                                                |A|" "cat --hex"

# the classic example, both ways
touch "$WORK/demo"
"$TOP_BUILDDIR/tests/shmdemo" "$WORK/demo" "written by the demo"
run "$S" cat --ftok "$WORK/demo:R" --string
is "$out" "written by the demo" "cat --ftok --string reads the classic example's text"
run "$S" attach-write --ftok "$WORK/demo" --string "written by shmtool" --nul
is "$("$TOP_BUILDDIR/tests/shmdemo" "$WORK/demo")" 'segment contains: "written by shmtool"' \
	"the classic example reads what shmtool wrote"
run "$S" cat -k "$("$S" ftok "$WORK/demo")" --string
is "$out" "written by shmtool" "cat -k with the key that ftok prints"

# output errors
big=$("$S" create -s 1M)
"$S" cat "$big" 2>"$WORK/err" | head -c 10 >/dev/null
is "${PIPESTATUS[0]}" 0 "cat | head -c 10: exit 0"
is "$(cat "$WORK/err")" "" "cat | head -c 10: quiet"
"$S" cat "$id" >/dev/full 2>"$WORK/err"
is "$?" 1 "cat >/dev/full: exit 1"
like "$(cat "$WORK/err")" "write error: No space left on device" "cat >/dev/full: message"

# unknown segments and bad input
expect_status 1 "no segment with id 99999" "cat an unknown id" "$S" cat 99999
expect_status 1 "no segment with id 99999" "attach-write an unknown id" "$S" attach-write 99999 --string x
expect_status 1 "no segment with key 0x00000bad" "cat an unknown key" "$S" cat -k 0xbad
expect_status 1 "cannot open '$WORK/missing'" "attach-write --file missing" "$S" attach-write "$id" --file "$WORK/missing"
expect_status 2 "no segment given" "cat without a segment" "$S" cat
expect_status 2 "give one segment only" "cat with two" "$S" cat "$id" "$one"
expect_status 2 "give one segment only" "cat with a key and an id" "$S" cat -k 0xbad "$id"
expect_status 2 "^shmtool: no segment given\$" "attach-write without a segment" "$S" attach-write --string x
expect_status 2 "give one segment only" "attach-write with two" "$S" attach-write "$id" "$one" --string x
expect_status 2 "invalid offset: '-1'" "a negative offset" "$S" cat "$id" --offset -1
expect_status 2 "invalid length: 'x'" "a bad length" "$S" cat "$id" --length x
expect_status 2 "^shmtool: --string and --file are mutually exclusive\$" "--string with --file" \
	"$S" attach-write "$id" --string a --file /dev/null
expect_status 2 "^shmtool: --file and --string are mutually exclusive\$" "--file with --string" \
	"$S" attach-write "$id" --file /dev/null --string a
expect_status 2 "invalid segment id: 'abc'" "a bad id" "$S" attach-write abc --string x

# as an unprivileged user: root's 0600 segment is out of reach, 0644 is readable
if command -v setpriv >/dev/null; then
	nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	priv=$("$S" create -s 64 -m 600)
	"$S" attach-write "$priv" --string secret
	pub=$("$S" create -s 64 -m 644)
	"$S" attach-write "$pub" --string public --nul
	before=$(shm_snapshot)
	denied="cannot attach segment $priv: permission denied"
	# valgrind's own shmat wrapper needs IPC_STAT for the size and turns
	# the kernel's EACCES into EINVAL
	[ -n "${SHMTOOL_VALGRIND:-}" ] && denied="$denied|no segment with id $priv"
	expect_status 1 "$denied" "unprivileged attach-write" \
		nobody "$S" attach-write "$priv" --string XXXXXX
	is "$("$S" cat "$priv" --string)" secret "unprivileged attach-write: bytes unchanged"
	expect_status 1 "$denied" "unprivileged cat of 0600" \
		nobody "$S" cat "$priv"
	run nobody "$S" cat "$pub" --string
	is "$rc:$out" "0:public" "unprivileged cat of 0644 works"
	is "$(shm_snapshot)" "$before" "unprivileged: segments unchanged"

	# an unprivileged caller cannot open the segment's file through
	# /proc/self/map_files: the bytes go through the mapping instead
	shared=$("$S" create -s 8192 -m 666)
	head -c 8192 /dev/urandom >"$WORK/rand"
	chmod 644 "$WORK/rand"
	chmod 755 "$WORK"
	run nobody "$S" attach-write "$shared" --file "$WORK/rand"
	is "$rc" 0 "unprivileged attach-write --file through the mapping"
	"$S" cat "$shared" | cmp -s - "$WORK/rand"
	ok $? "unprivileged attach-write: the bytes arrived"
	nobody "$S" cat "$shared" | cmp -s - "$WORK/rand"
	ok $? "unprivileged cat through the mapping returns them"
	printf 'piped' | nobody "$S" attach-write "$shared" --offset 8187
	is "$?" 0 "unprivileged attach-write from a pipe"
	is "$("$S" cat "$shared" --offset 8187)" piped "the piped bytes arrived"
	"$S" cat "$shared" >"$WORK/shared"
	head -c 9000 /dev/zero | nobody "$S" attach-write "$shared" 2>"$WORK/err2"
	is "$?" 1 "unprivileged: a pipe longer than the segment fails"
	like "$(cat "$WORK/err2")" "input is longer than the 8192 bytes left in segment $shared; nothing written" \
		"unprivileged: a pipe longer than the segment: message"
	"$S" cat "$shared" | cmp -s - "$WORK/shared"
	ok $? "unprivileged: a pipe longer than the segment: nothing written"
	small=$("$S" create -s 100 -m 666)
	"$S" attach-write "$small" --file "$WORK/small"
	expect_status 1 "input is longer than the 100 bytes left in segment $small; nothing written" \
		"unprivileged: --file /proc/self/status into 100 bytes" \
		nobody "$S" attach-write "$small" --file /proc/self/status
	"$S" cat "$small" | cmp -s - "$WORK/small"
	ok $? "unprivileged: --file /proc/self/status into 100 bytes: the segment unchanged"
fi

done_testing

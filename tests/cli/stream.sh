#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# cat and attach-write touch only the pages they copy: a large segment
# that nobody has written holds no memory, and `cat | head -c 10` or a
# few bytes written into it must not make it resident, as root (through
# the segment's own file) or as another user (through the mapping), for
# a size that is a whole number of pages or not. Private IPC and mount
# namespaces, with a tmpfs of its own on /dev/shm for the POSIX objects.
. "$(dirname "$0")/lib.sh"
in_private_shm "$@"
private_dev_shm

S=$SHMTOOL
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
# the resident bytes of segment ID, from the kernel
rss() { awk -v id="$1" '$2 == id { print $15 }' /proc/sysvipc/shm; }
# at most this much may become resident: one step of the copy and a pipe
LIMIT=$((16 << 20))
BIG=$((256 << 20))
small() {	# small ID DESCRIPTION: the segment's RSS is under LIMIT
	local r
	r=$(rss "$1")
	ok "$([ -n "$r" ] && [ "$r" -lt "$LIMIT" ] && echo 0 || echo 1)" "$2"
	[ -n "$r" ] && [ "$r" -ge "$LIMIT" ] && echo "#   rss: $r bytes"
}

# cat | head -c 10: as root, as nobody, a size of whole pages or not
for who in root nobody; do
	for size in $BIG $((BIG + 100)); do
		id=$("$S" create -s "$size" -m 644)
		if [ $who = root ]; then
			"$S" cat "$id" 2>"$WORK/err" | head -c 10 >"$WORK/out"
		else
			nobody "$S" cat "$id" 2>"$WORK/err" | head -c 10 >"$WORK/out"
		fi
		is "${PIPESTATUS[0]}:$(od -An -tx1 <"$WORK/out" | tr -d ' ')" "0:00000000000000000000" \
			"$who: cat of $size bytes | head -c 10: exit 0, the bytes"
		small "$id" "$who: cat of $size bytes | head -c 10 leaves the segment unpopulated"
	done
done

# the other ways of reading: --hex, --string, --offset near the end
id=$("$S" create -s $((BIG + 100)) -m 644)
for who in root nobody; do
	run_as() { if [ $who = root ]; then "$@"; else nobody "$@"; fi; }
	run_as "$S" cat "$id" --hex 2>"$WORK/err" | head -c 10 >"$WORK/out"
	is "${PIPESTATUS[0]}:$(cat "$WORK/out")" "0:00000000  " "$who: cat --hex | head -c 10"
	run run_as "$S" cat "$id" --string
	is "$rc:$out" "0:" "$who: cat --string of a segment of zeros: nothing"
	run run_as "$S" cat "$id" --offset $((BIG + 95)) --hex
	is "$rc:$out" "0:1000005f  00 00 00 00 00                                    |.....|" \
		"$who: cat --hex --offset near the end"
done
small "$id" "cat --hex, --string, --offset leave the segment unpopulated"

# a few bytes into a large segment, from a pipe and from a file: only
# their page becomes resident, and the heap holds no more than the input
# (a 1 TiB segment: a buffer of the room left would not even be had)
printf 'hello' >"$WORK/five"
chmod 755 "$WORK"
chmod 644 "$WORK/five"
tera=$("$S" create -s 1T --noreserve -m 666)
for who in root nobody; do
	run_as() { if [ $who = root ]; then "$@"; else nobody "$@"; fi; }
	id=$("$S" create -s "$BIG" -m 666)
	run run_as "$S" attach-write "$id" --offset 1000000 --file "$WORK/five"
	is "$rc" 0 "$who: attach-write --file of 5 bytes into $BIG bytes"
	printf 'world' | run_as "$S" attach-write "$id" --offset 100000000
	is "$?" 0 "$who: attach-write from a pipe into $BIG bytes"
	is "$("$S" cat "$id" --offset 1000000 --length 5)$("$S" cat "$id" --offset 100000000 --length 5)" \
		helloworld "$who: the bytes arrived"
	small "$id" "$who: attach-write of a few bytes leaves the rest unpopulated"
	printf 'tera' | run_as "$S" attach-write "$tera" --offset $((1 << 39))
	is "$?" 0 "$who: attach-write from a pipe into 1 TiB"
	is "$("$S" cat "$tera" --offset $((1 << 39)) --length 4)" tera "$who: the bytes arrived in 1 TiB"
	small "$tera" "$who: 1 TiB: only the page written is resident"
done

# a POSIX object: cat --posix of a large sparse object allocates nothing
truncate -s $BIG /dev/shm/sparse
chmod 644 /dev/shm/sparse
for who in root nobody; do
	run_as() { if [ $who = root ]; then "$@"; else nobody "$@"; fi; }
	run_as "$S" cat --posix sparse 2>"$WORK/err" | head -c 10 >"$WORK/out"
	is "${PIPESTATUS[0]}:$(wc -c <"$WORK/out")" "0:10" "$who: cat --posix | head -c 10"
	run_as "$S" cat --posix sparse --hex 2>"$WORK/err" | head -c 10 >"$WORK/out"
	is "${PIPESTATUS[0]}:$(cat "$WORK/out")" "0:00000000  " "$who: cat --posix --hex | head -c 10"
	run run_as "$S" cat --posix sparse --string
	is "$rc:$out" "0:" "$who: cat --posix --string of zeros"
done
is "$(stat -c %b /dev/shm/sparse)" 0 "cat --posix of a sparse object allocates none of its blocks"

# the bytes across the steps (2 MiB raw, 64 KiB looked at), for a size
# that is not a whole number of pages, through the segment's file (root)
# and through the mapping (nobody), and through a POSIX object's file
size=$((3 * 1024 * 1024 + 100))
head -c "$size" /dev/urandom | tr '\0' x >"$WORK/data"
chmod 644 "$WORK/data"
id=$("$S" create -s "$size" -m 644)
"$S" attach-write "$id" --file "$WORK/data"
cp "$WORK/data" /dev/shm/data
chmod 644 /dev/shm/data
for who in root nobody; do
	run_as() { if [ $who = root ]; then "$@"; else nobody "$@"; fi; }
	for what in "$id" "--posix data"; do
		run_as "$S" cat $what | cmp -s - "$WORK/data"
		ok $? "$who: cat $what of $size bytes: every byte"
		run_as "$S" cat $what --offset 65530 --length 2097160 |
			cmp -s - <(tail -c +65531 "$WORK/data" | head -c 2097160)
		ok $? "$who: cat $what --offset --length across steps"
		run_as "$S" cat $what --string | cmp -s - "$WORK/data"
		ok $? "$who: cat $what --string with no NUL: every byte"
		run_as "$S" cat $what --hex >"$WORK/hex.$who"
		is "$(wc -l <"$WORK/hex.$who"):$(tail -n 1 "$WORK/hex.$who" | cut -c1-8)" \
			"$(((size + 15) / 16)):00300060" "$who: cat $what --hex: every row"
	done
done
cmp -s "$WORK/hex.root" "$WORK/hex.nobody"
ok $? "cat --hex: the same dump through the file and through the mapping"
for nul in $((2 * 1024 * 1024 + 5)) 65541; do	# the later one first
	"$S" attach-write "$id" --offset "$nul" --string '' --nul
	printf '\0' | dd of=/dev/shm/data bs=1 seek="$nul" conv=notrunc status=none
	for who in root nobody; do
		run_as() { if [ $who = root ]; then "$@"; else nobody "$@"; fi; }
		for what in "$id" "--posix data"; do
			run_as "$S" cat $what --string | cmp -s - <(head -c "$nul" "$WORK/data")
			ok $? "$who: cat $what --string stops at a NUL at $nul"
		done
	done
done

done_testing

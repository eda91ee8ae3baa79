#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Ten thousand segments: the table is printed in chunks and by two
# threads; the pieces must join into one table and one JSON document
# with every segment once, in the kernel's order, laid out alike.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"

sysctl -q -w kernel.shmmni=32768
"$SHM_HELPER" many 10000 4096
kernel_ids=$(tail -n +2 /proc/sysvipc/shm | awk '{ print $2 }')

run "$SHMTOOL" list
is "$rc" 0 "list of 10000: exit 0"
is "$(wc -l <<<"$out")" 10001 "a header and 10000 rows"
is "$(tail -n +2 <<<"$out" | awk '{ print length($0) }' | sort -u | wc -l)" 1 "every row has the same width"
is "$(head -n 1 <<<"$out" | grep -c '^KEY')" 1 "one header, at the top"
is "$(grep -c '^KEY' <<<"$out")" 1 "no header repeated between pieces"
is "$(tail -n +2 <<<"$out" | awk '{ print $2 }')" "$kernel_ids" "ids in the kernel's order"

run "$SHMTOOL" list -rn -o ID
is "$out" "$kernel_ids" "raw output: every id once, in order"

run "$SHMTOOL" list -J -o ID,SIZE
is "$rc" 0 "JSON of 10000: exit 0"
is "$(jq -r '.shm[].id' <<<"$out")" "$kernel_ids" "JSON: one valid document, every id once, in order"
is "$(jq '[.shm[].size] | add' <<<"$out")" 40960000 "JSON: sizes are numbers"

# a user at its process limit gets no second thread: one prints it all
# (valgrind and LeakSanitizer need threads of their own)
nproc1() {
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		setpriv --reuid=65534 --regid=65534 --clear-groups prlimit --nproc=1 "$@"
}
if command -v setpriv >/dev/null && command -v prlimit >/dev/null && [ -z "$VG_LOGS" ]; then
	run nproc1 "$SHMTOOL" list -rn -o ID
	is "$rc:$err" "0:" "no thread to be had (RLIMIT_NPROC): exit 0, quiet"
	is "$out" "$kernel_ids" "no thread to be had: every id once, in order"
	run nproc1 "$SHMTOOL" list -J -o ID
	is "$(jq -r '.shm[].id' <<<"$out")" "$kernel_ids" "no thread to be had: JSON of every id"
else
	skip "no setpriv or prlimit, or under valgrind: a user at its process limit"
	skip "no setpriv or prlimit, or under valgrind: every id"
	skip "no setpriv or prlimit, or under valgrind: JSON of every id"
fi

run "$SHMTOOL" gc --dry-run --older-than 0 -J -o ID
out=$(jdocs <<<"$out")
is "$(jq '.shm | length' <<<"$out"):$(jq '.summary[0].count' <<<"$out")" "10000:10000" \
	"gc JSON of 10000 with its summary"

done_testing

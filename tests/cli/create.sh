#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# shmtool create: keys, ftok, modes, sizes, the limits, --reuse, --json.
. "$(dirname "$0")/lib.sh"
in_private_ipc "$@"

run "$SHMTOOL" create -s 1M
is "$rc" 0 "create -s 1M: exit 0"
like "$out" '^[0-9]+$' "prints the id alone"
id=$out
read -r key size mode <<<"$("$SHM_HELPER" stat "$id" | awk '$1=="key"{k=$2} $1=="size"{s=$2} $1=="mode"{m=$2} END{print k, s, m}')"
is "$key" 0 "no key: IPC_PRIVATE"
is "$size" 1048576 "1M is 1048576 bytes"
is "$mode" 600 "default mode 0600"

run "$SHMTOOL" create -s 4096 -k 0xdeadbeef -m 640
is "$rc" 0 "create with a key and a mode"
id2=$out
is "$("$SHM_HELPER" stat "$id2" | awk '$1=="key"{print $2}')" -559038737 "the key reached the kernel"
is "$("$SHM_HELPER" stat "$id2" | awk '$1=="mode"{print $2}')" 640 "the mode reached the kernel"

for s in 1 10K 1KiB 2KB 3M 1MiB; do
	run "$SHMTOOL" create -s "$s"
	is "$rc" 0 "size $s accepted"
done
is "$("$SHM_HELPER" stat "$("$SHMTOOL" create -s 2KB)" | awk '$1=="size"{print $2}')" 2000 "KB is 1000 bytes"

# a key that exists: an error naming the id, or --reuse
before=$(shm_snapshot)
expect_status 1 "key 0xdeadbeef already exists as segment $id2" "an existing key" \
	"$SHMTOOL" create -s 4096 -k 0xdeadbeef
is "$(shm_snapshot)" "$before" "an existing key: nothing created"
run "$SHMTOOL" create -s 4096 -k 0xdeadbeef -m 640 --reuse
is "$rc:$out" "0:$id2" "--reuse prints the existing id"
is "$err" "" "--reuse with the same size and mode: no warning"
# only a segment that satisfies the request is reused, as shmget(2)
# without IPC_EXCL would: at least the size, the mode asked with -m
run "$SHMTOOL" create -s 8192 -k 0xdeadbeef --reuse
is "$rc:$out" "1:" "--reuse of a smaller segment: exit 1, no id"
like "$err" "cannot reuse segment $id2 of key 0xdeadbeef: its size is 4096 bytes, less than the 8192 asked" \
	"--reuse of a smaller segment: says what differs"
run "$SHMTOOL" create -s 4096 -k 0xdeadbeef -m 600 --reuse
is "$rc:$out" "1:" "--reuse with another mode: exit 1"
like "$err" "its mode is 0640, not 0600" "--reuse with another mode: says so"
run "$SHMTOOL" create -s 100 -k 0xdeadbeef --reuse
is "$rc:$out:$err" "0:$id2:" "--reuse of a larger segment, without -m: the id, no word about a mode nobody asked for"

run "$SHMTOOL" create -s 100 -k 0x77 --json
is "$(jq -r .key <<<"$out")" 0x00000077 "--json key"
is "$(jq -r .size <<<"$out")" 100 "--json size is a number"
is "$(jq -r '.id | type' <<<"$out")" number "--json id is a number"

# ftok
touch "$WORK/ftok-file"
run "$SHMTOOL" create -s 100 --ftok "$WORK/ftok-file:R"
is "$rc" 0 "create --ftok PATH:R"
fid=$out
run "$SHMTOOL" ftok "$WORK/ftok-file"
is "$(printf '%d' $(( $("$SHM_HELPER" stat "$fid" | awk '$1=="key"{print $2}') & 0xffffffff )))" \
	"$(printf '%d' "$out")" "ftok's key (default 'R') is the segment's key"
run "$SHMTOOL" ftok "$WORK/ftok-file" 82
is "$out" "$("$SHMTOOL" ftok "$WORK/ftok-file" R)" "PROJ 82 is 'R'"
# PATH:PROJ, as every --ftok option takes it
run "$SHMTOOL" ftok "$WORK/ftok-file:R"
is "$rc:$out" "0:$("$SHMTOOL" ftok "$WORK/ftok-file" R)" "ftok PATH:PROJ is ftok PATH PROJ"
# one digit is a character, as C's ftok(path, '1'); 0 is '0'
ino=$(stat -c %i "$WORK/ftok-file"); dev=$(stat -c %d "$WORK/ftok-file")
for p in 1 0 R; do
	c=$(printf '%d' "'$p")
	want=$(printf '0x%08x' $(( (c << 24) | ((dev & 0xff) << 16) | (ino & 0xffff) )))
	is "$("$SHMTOOL" ftok "$WORK/ftok-file" "$p")" "$want" "ftok PROJ '$p' is the character, as in C"
	is "$("$SHMTOOL" ftok "$WORK/ftok-file:$p")" "$want" "ftok PATH:'$p' the same"
done
is "$("$SHMTOOL" ftok "$WORK/ftok-file" 0x31)" "$("$SHMTOOL" ftok "$WORK/ftok-file" 1)" "PROJ 0x31 is '1'"
is "$("$SHMTOOL" ftok "$WORK/ftok-file" 01)" \
	"$(printf '0x%08x' $(( (1 << 24) | ((dev & 0xff) << 16) | (ino & 0xffff) )))" "PROJ 01 is the number 1"
expect_status 2 "invalid project '00': one character" "ftok PROJ 00" \
	"$SHMTOOL" ftok "$WORK/ftok-file" 00
expect_status 2 "the project is one character" "ftok PATH:PROJ with 256" "$SHMTOOL" ftok "$WORK/ftok-file:256"
expect_status 1 "cannot use '$WORK/nope' for ftok" "--ftok on a missing file" \
	"$SHMTOOL" create -s 100 --ftok "$WORK/nope"

# --hugetlb beyond the pool of huge pages: the hint names the sysctl
hfree=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
hsize=$(awk '/^Hugepagesize:/ { print $2 }' /proc/meminfo)
if [ -n "$hfree" ] && [ -n "$hsize" ]; then
	expect_status 1 "cannot create segment of .*: not enough huge pages \\($hfree free in the hugetlb pool; reserve more with sysctl vm.nr_hugepages\\)" \
		"--hugetlb larger than the pool" "$SHMTOOL" create -s "$(( (hfree + 1) * hsize ))K" --hugetlb
fi

# --lock
run "$SHMTOOL" create -s 4096 --lock
is "$rc" 0 "--lock: exit 0"
is "$("$SHMTOOL" list -rn -o STATUS --key 0 --sort ID | sort -u | grep -c locked)" 1 "--lock: the segment is locked"
if command -v setpriv >/dev/null && command -v prlimit >/dev/null; then
	before=$(shm_snapshot)
	run setpriv --reuid=65534 --regid=65534 --clear-groups prlimit --memlock=0 "$SHMTOOL" create -s 1M --lock
	is "$rc" 1 "--lock beyond RLIMIT_MEMLOCK: exit 1"
	like "$err" "cannot lock the new segment: .*; removed it again" "--lock failing: message"
	is "$out" "" "--lock failing: no id printed"
	is "$(shm_snapshot)" "$before" "--lock failing: no segment left behind"
fi

# limits, named with their values
sysctl -q -w kernel.shmmax=65536
expect_status 1 "above kernel.shmmax \(65536 bytes\)" "a size above shmmax" "$SHMTOOL" create -s 1M
sysctl -q -w kernel.shmmax=18446744073692774399
n=$(tail -n +2 /proc/sysvipc/shm | wc -l)
sysctl -q -w kernel.shmmni="$n"
expect_status 1 "too many segments \(kernel.shmmni = $n\)" "shmmni reached" "$SHMTOOL" create -s 1
sysctl -q -w kernel.shmmni=4096

# usage errors: exit 2, nothing created
before=$(shm_snapshot)
expect_status 2 "no size given" "no size" "$SHMTOOL" create
expect_status 2 "invalid size: '0'" "size 0" "$SHMTOOL" create -s 0
expect_status 2 "invalid size: '12Q'" "size 12Q" "$SHMTOOL" create -s 12Q
expect_status 2 "size out of range: '99999999999999999999'" "size overflow" "$SHMTOOL" create -s 99999999999999999999
expect_status 2 "invalid mode: '999'" "mode 999" "$SHMTOOL" create -s 1 -m 999
expect_status 2 "invalid mode: '1000'" "mode 1000" "$SHMTOOL" create -s 1 -m 1000
expect_status 2 "invalid key: 'xyz'" "a bad key" "$SHMTOOL" create -s 1 -k xyz
expect_status 2 "key out of range" "a key above 32 bits" "$SHMTOOL" create -s 1 -k 0x100000000
expect_status 2 "at most one of --key and --ftok" "two keys" "$SHMTOOL" create -s 1 -k 1 -k 2
expect_status 2 "^shmtool: --ftok and --key are mutually exclusive\$" "--ftok and -k" \
	"$SHMTOOL" create -s 1 --ftok /tmp -k 1
expect_status 2 "key 0 is IPC_PRIVATE, the key of no segment: a private segment is made without -k" \
	"create -k 0" "$SHMTOOL" create -s 1 -k 0
like "$("$SHMTOOL" create --help | sed -n '3,6p')" "Without -k or --ftok the segment is" \
	"create --help: what no key means, in the description, not under --ftok"
expect_status 2 "--reuse needs --key" "--reuse without a key" "$SHMTOOL" create -s 1 --reuse
expect_status 2 "invalid ftok project" "a bad ftok project" "$SHMTOOL" create -s 1 --ftok "$WORK/ftok-file:300"
expect_status 2 "unexpected argument 'x'" "a stray argument" "$SHMTOOL" create -s 1 x
expect_status 2 "requires an argument" "-s without a value" "$SHMTOOL" create -s
is "$(shm_snapshot)" "$before" "usage errors create nothing"

done_testing

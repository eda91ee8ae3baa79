#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the libFuzzer targets with clang and run each for FUZZ_TIME
# seconds, starting from its seed corpus in tests/fuzz/corpus/TARGET.
# 'make fuzz' (FUZZ_TIME=300) and 'make fuzz-ci' (30) call this with the
# environment below. Prints one TAP line per target with the executions
# run, and "# PASS: n" / "# FAIL: n". A crash leaves its input in
# $BUILDDIR/tests/fuzz/crash-TARGET-*: add it to the corpus (the replay
# test then runs it) and fix the bug.
set -uo pipefail
: "${SRCDIR:?}" "${BUILDDIR:?}" "${FUZZ_CC:=clang}" "${FUZZ_TIME:=30}"
: "${SMARTCOLS_CFLAGS=}" "${SMARTCOLS_LIBS=-lsmartcols}"
out=$BUILDDIR/tests/fuzz
mkdir -p "$out"
if ! command -v "$FUZZ_CC" >/dev/null; then
	echo "Bail out! no $FUZZ_CC: install clang and libclang-rt-14-dev"
	exit 1
fi

# the pure code the targets reach, built once with coverage for libFuzzer
lib="lib/array.c lib/parse.c lib/text.c core/proc-shm.c core/segment.c core/sysv.c core/attach.c out/columns.c out/format.c core/names.c core/procfs.c core/mountinfo.c core/proc-walk.c core/orphan.c core/cgroup.c core/limits.c"
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
cflags="-g -O1 -std=gnu11 -pthread $san -I$SRCDIR/src -include $BUILDDIR/config.h $SMARTCOLS_CFLAGS"
objs=
for f in $lib; do
	o=$out/lib-${f##*/}; o=${o%.c}.o
	# shellcheck disable=SC2086
	"$FUZZ_CC" $cflags -fsanitize=fuzzer-no-link -c -o "$o" "$SRCDIR/src/$f" ||
		{ echo "Bail out! src/$f does not build with $FUZZ_CC"; exit 1; }
	objs="$objs $o"
done
pass=0 fail=0 n=0
for t in "$@"; do
	n=$((n + 1))
	bin=$out/fuzz-$t
	# shellcheck disable=SC2086
	if ! "$FUZZ_CC" $cflags -fsanitize=fuzzer -o "$bin" "$SRCDIR/tests/fuzz/fuzz-$t.c" \
		$objs $SMARTCOLS_LIBS 2>"$out/build-$t.log"; then
		cat "$out/build-$t.log"
		echo "not ok $n - fuzz-$t: does not build"
		fail=$((fail + 1))
		continue
	fi
	# new inputs go to a scratch corpus; the seeds in the tree stay as they are
	work=$out/corpus-$t
	mkdir -p "$work"
	"$bin" -max_total_time="$FUZZ_TIME" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$out/crash-$t-" "$work" "$SRCDIR/tests/fuzz/corpus/$t" \
		>"$out/run-$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/run-$t.log" | tail -n 1)
	if [ $rc -eq 0 ] && [ -n "$runs" ]; then
		echo "ok $n - fuzz-$t: ${runs} executions in ${FUZZ_TIME}s, no crash"
		pass=$((pass + 1))
	else
		grep -A30 '^==[0-9]*==\|runtime error\|check failed' "$out/run-$t.log" | head -n 60 | sed 's/^/# /'
		echo "not ok $n - fuzz-$t: crashed (status $rc); input in $out/crash-$t-*"
		fail=$((fail + 1))
	fi
done
echo "1..$n"
echo "# PASS: $pass"
echo "# FAIL: $fail"
[ "$fail" -eq 0 ]

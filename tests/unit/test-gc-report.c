/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/out/gc-report.c: the words of gc's ACTION and REASON
 * columns, and its summary (on stderr, or as JSON), System V and POSIX. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "capture.h"
#include "out/gc-report.h"
#include "out/output.h"

/* gc of segments words a candidate attached since the scan so */
static const struct gc_tally sysv = {
	.older_than = 300, .in_use_text = "attached since scan",
	.young_before = "idle for less than", .young_after = "",
	.exclude_option = "--exclude-key",
};

static const struct gc_tally posix = {
	.older_than = 300, .in_use_text = "in use since scan",
	.young_before = "changed less than", .young_after = " ago",
	.exclude_option = "--exclude",
};

/* What gc_tally_print writes to stderr. */
static const char *summary_of(const struct gc_tally *t, const char *what)
{
	static char buf[1024];
	struct capture c;

	capture_start(&c, STDERR_FILENO);
	gc_tally_print(t, what);
	return capture_end(&c, buf, sizeof(buf));
}

/* The summary table, raw: "ACTION REASON COUNT BYTES" lines. */
static const char *table_of(const struct gc_tally *t)
{
	static char buf[2048];
	struct output_opts o = { .raw = true };
	struct capture c;

	capture_start(&c, STDOUT_FILENO);
	assert_int_equal(gc_tally_print_table(t, &o), 0);
	return capture_end(&c, buf, sizeof(buf));
}

static void test_words(void **state)
{
	(void)state;
	assert_string_equal(gc_outcome_text(GC_OUT_REMOVED), "removed");
	assert_string_equal(gc_outcome_text(GC_OUT_WOULD_REMOVE), "would remove");
	assert_string_equal(gc_outcome_text(GC_OUT_SKIPPED), "skipped");
	assert_string_equal(gc_outcome_text(GC_OUT_FAILED), "failed");
	assert_null(gc_reason_text(&sysv, GC_WHY_NONE));
	assert_string_equal(gc_reason_text(&sysv, GC_WHY_IN_USE), "attached since scan");
	assert_string_equal(gc_reason_text(&posix, GC_WHY_IN_USE), "in use since scan");
	assert_string_equal(gc_reason_text(&sysv, GC_WHY_REMOVED_ELSEWHERE), "removed since scan");
	assert_string_equal(gc_reason_text(&posix, GC_WHY_NOT_REGULAR), "not a regular file");
	assert_string_equal(gc_reason_text(&posix, GC_WHY_PERMISSION), "permission denied");
	assert_string_equal(gc_reason_text(&posix, GC_WHY_USE_UNKNOWN), "use unknown");
}

/* Every reason a kind of gc meets, once, after one removal: the summary
 * lists them in the order of the enum */
static void test_summary_sysv(void **state)
{
	static const enum gc_reason seen[] = {
		GC_WHY_ERROR, GC_WHY_IN_USE, GC_WHY_PERMISSION, GC_WHY_REPLACED,
		GC_WHY_DECLINED, GC_WHY_GONE, GC_WHY_REMOVED_ELSEWHERE,
	};
	struct gc_tally t = sysv;

	(void)state;
	gc_tally_add(&t, 4096, GC_OUT_REMOVED, GC_WHY_NONE);
	for (size_t i = 0; i < sizeof(seen) / sizeof(seen[0]); i++)
		gc_tally_add(&t, 1, seen[i] == GC_WHY_ERROR || seen[i] == GC_WHY_PERMISSION ?
			     GC_OUT_FAILED : GC_OUT_SKIPPED, seen[i]);
	t.kept_young = 2;
	/* the words of the ACTION column: what failed is not called skipped */
	assert_string_equal(summary_of(&t, "segment"),
			    "removed 1 segment (4K); failed 2: 1 permission denied, 1 error; "
			    "skipped 5: 1 attached since scan, 1 replaced, 1 gone, "
			    "1 removed since scan, 1 declined; kept 2 idle for less than 5m\n");
	/* the same counts as a table, with the bytes of each reason */
	assert_string_equal(table_of(&t),
			    "ACTION REASON COUNT BYTES\n"
			    "removed  1 4096\n"
			    "failed permission\\x20denied 1 1\n"
			    "failed error 1 1\n"
			    "skipped attached\\x20since\\x20scan 1 1\n"
			    "skipped replaced 1 1\n"
			    "skipped gone 1 1\n"
			    "skipped removed\\x20since\\x20scan 1 1\n"
			    "skipped declined 1 1\n"
			    "kept young 2 \n");
}

static void test_summary_posix(void **state)
{
	static const enum gc_reason seen[] = {
		GC_WHY_DECLINED, GC_WHY_NOT_REGULAR, GC_WHY_IN_USE, GC_WHY_IN_USE,
		GC_WHY_USE_UNKNOWN,
	};
	struct gc_tally t = posix;

	(void)state;
	t.dry_run = true;
	for (size_t i = 0; i < sizeof(seen) / sizeof(seen[0]); i++)
		gc_tally_add(&t, 10, GC_OUT_SKIPPED, seen[i]);
	t.excluded = 1;
	assert_string_equal(summary_of(&t, "object"),
			    "would remove 0 objects (0B); skipped 5: 2 in use since scan, "
			    "1 not a regular file, 1 use unknown, 1 declined; kept 1 by --exclude\n");
	assert_string_equal(table_of(&t),
			    "ACTION REASON COUNT BYTES\n"
			    "would\\x20remove  0 0\n"
			    "skipped in\\x20use\\x20since\\x20scan 2 20\n"
			    "skipped not\\x20a\\x20regular\\x20file 1 10\n"
			    "skipped use\\x20unknown 1 10\n"
			    "skipped declined 1 10\n"
			    "kept excluded 1 \n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_summary_sysv),
		cmocka_unit_test(test_summary_posix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests of the rows of shmtool limits (core/limits.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/limits.h"

static void test_sysv(void **state)
{
	struct sysv_limits l = { .shmmax = 1 << 20, .shmall = 5000, .shmmni = 100, .shmmin = 1 };
	struct sysv_usage u = { .segments = 25, .pages = 1250 };
	struct limit_row rows[LIMITS_MAX_ROWS];
	double pct;

	(void)state;
	assert_int_equal(limits_sysv_rows(&l, &u, true, 4096, 4096, rows), 4);
	assert_string_equal(rows[0].resource, "SHMMNI");
	assert_true(rows[0].has_used && rows[0].used == 25 && rows[0].limit == 100);
	assert_true(limit_use_percent(&rows[0], &pct));
	assert_true(pct == 25.0);
	assert_true(rows[1].unit == LIMIT_PAGES && rows[1].page_size == 4096 && rows[1].used == 1250);
	assert_true(rows[2].used == 4096 && rows[2].unit == LIMIT_BYTES);
	assert_false(rows[3].has_used);
	assert_false(limit_use_percent(&rows[3], &pct));
	/* SHM_INFO unread, no largest: the limits alone */
	assert_int_equal(limits_sysv_rows(&l, NULL, false, 0, 4096, rows), 4);
	assert_false(rows[0].has_used || rows[1].has_used || rows[2].has_used);
	assert_true(rows[0].has_limit);
	/* a limit of 0 has no percentage */
	l.shmmni = 0;
	limits_sysv_rows(&l, &u, true, 0, 4096, rows);
	assert_false(limit_use_percent(&rows[0], &pct));
}

static void test_usage(void **state)
{
	struct sysv_usage u = { .segments = 2, .pages = 65, .resident = 3, .swapped = 1 };
	struct limits_sysctls s = { .rmid_forced = 1, .next_id = -1 };
	struct limit_row rows[LIMITS_MAX_ROWS];

	(void)state;
	assert_int_equal(limits_usage_rows(&u, &s, 4096, rows), 6);
	assert_true(rows[2].used == 3 && rows[3].used == 1);
	for (int i = 0; i < 6; i++)
		assert_false(rows[i].has_limit);
	assert_true(rows[4].has_used && rows[4].used == 1);
	assert_false(rows[5].has_used);         /* shm_next_id -1: unset */
	s.rmid_forced = -1;                     /* could not be read */
	s.next_id = 77;
	limits_usage_rows(&u, &s, 4096, rows);
	assert_false(rows[4].has_used);
	assert_true(rows[5].has_used && rows[5].used == 77);
}

static void test_fs(void **state)
{
	struct limits_fs fs = { .blocks = 4096, .bfree = 3840, .frsize = 4096,
				.files = 100, .ffree = 90 };
	struct limit_row rows[LIMITS_MAX_ROWS];
	double pct;

	(void)state;
	assert_int_equal(limits_fs_rows(&fs, rows), 2);
	assert_true(rows[0].limit == 16777216 && rows[0].used == 1048576);
	assert_true(limit_use_percent(&rows[0], &pct) && pct == 6.25);
	assert_true(rows[1].limit == 100 && rows[1].used == 10);
	/* a tmpfs without nr_inodes=: no file limit, no figure */
	fs.files = fs.ffree = 0;
	limits_fs_rows(&fs, rows);
	assert_false(rows[1].has_limit || rows[1].has_used);
	/* more free than there is (a racing statvfs): nothing used, never
	 * a wrapped number */
	fs = (struct limits_fs){ .blocks = 10, .bfree = 12, .frsize = 1, .files = 5, .ffree = 9 };
	limits_fs_rows(&fs, rows);
	assert_true(rows[0].used == 0 && rows[1].used == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysv),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_fs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

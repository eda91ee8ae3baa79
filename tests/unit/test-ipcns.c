/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/core/ipcns.c (the pure parts) and the namespaces
 * columns of src/out/columns.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "out/columns.h"
#include "core/ipcns.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void test_parse_target(void **state)
{
	static const struct {
		const char *arg;
		int rc;
		pid_t pid;
	} cases[] = {
		{ "1",                  1, 1 },
		{ "4242",               1, 4242 },
		{ "2147483647",         1, 2147483647 },
		{ "2147483648",         -EINVAL, 0 },
		{ "99999999999999999999", -EINVAL, 0 },
		{ "0",                  -EINVAL, 0 },
		{ "000",                -EINVAL, 0 },
		{ "",                   -EINVAL, 0 },
		{ "/proc/1/ns/ipc",     0, 0 },
		{ "/run/netns/x",       0, 0 },
		{ "12a",                0, 0 },         /* a file named so */
		{ "-1",                 0, 0 },
		{ " 1",                 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		pid_t pid = 0;
		int rc = ipcns_parse_target(cases[i].arg, &pid);

		if (rc != cases[i].rc)
			fail_msg("'%s': rc %d, want %d", cases[i].arg, rc, cases[i].rc);
		if (rc == 1 && pid != cases[i].pid)
			fail_msg("'%s': pid %d, want %d", cases[i].arg, (int)pid, (int)cases[i].pid);
	}
	assert_int_equal(ipcns_parse_target(NULL, NULL), -EINVAL);
}

static void test_vec_add(void **state)
{
	struct ipcns_vec v = { 0 };

	(void)state;
	assert_int_equal(ipcns_vec_add(&v, 100, 50, 5000), 1);
	assert_int_equal(ipcns_vec_add(&v, 200, 60, 6000), 1);
	assert_int_equal(ipcns_vec_add(&v, 100, 70, 7000), 0);  /* younger */
	assert_int_equal(ipcns_vec_add(&v, 100, 10, 9000), 0);  /* a lower pid, younger (pids wrap) */
	assert_int_equal(v.n, 2);
	assert_int_equal(v.v[0].inode, 100);
	assert_int_equal(v.v[0].nprocs, 3);
	assert_int_equal(v.v[0].pid, 50);
	assert_int_equal(v.v[0].fd, -1);
	assert_int_equal(ipcns_vec_add(&v, 100, 90, 100), 0);   /* older */
	assert_int_equal(v.v[0].pid, 90);
	assert_int_equal(v.v[0].start, 100);
	assert_int_equal(ipcns_vec_add(&v, 100, 80, 100), 0);   /* as old, lower pid */
	assert_int_equal(v.v[0].pid, 80);
	assert_int_equal(ipcns_vec_add(&v, 100, 85, 100), 0);   /* as old, higher pid */
	assert_int_equal(v.v[0].pid, 80);
	assert_int_equal(v.v[0].nprocs, 6);
	assert_int_equal(v.v[1].inode, 200);
	assert_int_equal(v.v[1].nprocs, 1);
	assert_int_equal(v.v[1].pid, 60);
	assert_false(v.v[0].counted);
	/* many namespaces: the vector grows */
	for (uint64_t i = 0; i < 100; i++)
		assert_int_equal(ipcns_vec_add(&v, 1000 + i, (pid_t)(2000 + i), i), 1);
	assert_int_equal(v.n, 102);
	assert_int_equal(v.v[101].inode, 1099);
	ipcns_vec_free(&v);
	assert_int_equal(v.n, 0);
	assert_null(v.v);
}

static void test_count(void **state)
{
	struct shm_segment segs[4] = {
		{ .id = 0, .size = 4096, .nattch = 0 },                 /* orphan */
		{ .id = 1, .size = 8192, .nattch = 2 },                 /* attached */
		{ .id = 2, .size = 100,  .nattch = 1, .mode = SEG_MODE_DEST | 0600 },
		{ .id = 3, .size = 1 << 20, .nattch = 0, .mode = SEG_MODE_LOCKED },
	};
	struct ipcns_info ns = { .error = -EPERM };

	(void)state;
	ipcns_count(&ns, segs, 4);
	assert_true(ns.counted);
	assert_int_equal(ns.error, 0);
	assert_int_equal(ns.segments, 4);
	assert_int_equal(ns.bytes, 4096 + 8192 + 100 + (1 << 20));
	assert_int_equal(ns.orphans, 2);
	assert_int_equal(ns.orphan_bytes, 4096 + (1 << 20));
	ipcns_count(&ns, segs, 0);
	assert_int_equal(ns.segments, 0);
	assert_int_equal(ns.bytes, 0);
	assert_int_equal(ns.orphans, 0);
	assert_int_equal(ns.orphan_bytes, 0);
}

static void test_scope(void **state)
{
	(void)state;
	for (int i = 0; i < COL_COUNT; i++) {
		bool ns = column_table[i].scope == SCOPE_NS;
		bool px = column_table[i].scope == SCOPE_POSIX ||
			  column_table[i].scope == SCOPE_LIST_POSIX;

		assert_int_equal(column_in_scope(i, SCOPE_NS), ns);
		assert_int_equal(column_in_scope(i, SCOPE_POSIX), px);
		if (ns || px) {
			assert_false(column_in_scope(i, SCOPE_ALL));
			assert_false(column_in_scope(i, SCOPE_GC));
		}
	}
	assert_true(column_in_scope(COL_KEY, SCOPE_GC));
	assert_true(column_in_scope(COL_ACTION, SCOPE_GC));
	assert_false(column_in_scope(COL_ACTION, SCOPE_ALL));
}

static void test_render(void **state)
{
	struct ipcns_info ns = {
		.inode = 4026531839u, .pid = 4242, .nprocs = 7, .fd = -1,
		.counted = true, .segments = 3, .bytes = 3 * 1048576,
		.orphans = 1, .orphan_bytes = 1048576,
	};
	struct render_opts ro = { 0 };
	char buf[128];

	(void)state;
	assert_string_equal(column_render_ns(COL_NS_NS, &ns, &ro, buf, sizeof(buf)), "4026531839");
	assert_string_equal(column_render_ns(COL_NS_SEGMENTS, &ns, &ro, buf, sizeof(buf)), "3");
	assert_string_equal(column_render_ns(COL_NS_SIZE, &ns, &ro, buf, sizeof(buf)), "3M");
	assert_string_equal(column_render_ns(COL_NS_ORPHANS, &ns, &ro, buf, sizeof(buf)), "1");
	assert_string_equal(column_render_ns(COL_NS_ORPHANSIZE, &ns, &ro, buf, sizeof(buf)), "1M");
	assert_string_equal(column_render_ns(COL_NS_NPROCS, &ns, &ro, buf, sizeof(buf)), "7");
	assert_string_equal(column_render_ns(COL_NS_PID, &ns, &ro, buf, sizeof(buf)), "4242");
	ro.bytes = true;
	assert_string_equal(column_render_ns(COL_NS_SIZE, &ns, &ro, buf, sizeof(buf)), "3145728");
	/* a namespace that could not be entered: counts unknown, not 0 */
	ns.counted = false;
	assert_null(column_render_ns(COL_NS_SEGMENTS, &ns, &ro, buf, sizeof(buf)));
	assert_null(column_render_ns(COL_NS_SIZE, &ns, &ro, buf, sizeof(buf)));
	assert_null(column_render_ns(COL_NS_ORPHANS, &ns, &ro, buf, sizeof(buf)));
	assert_null(column_render_ns(COL_NS_ORPHANSIZE, &ns, &ro, buf, sizeof(buf)));
	assert_string_equal(column_render_ns(COL_NS_PID, &ns, &ro, buf, sizeof(buf)), "4242");
	/* a segment column has no cell here */
	assert_null(column_render_ns(COL_KEY, &ns, &ro, buf, sizeof(buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_target),
		cmocka_unit_test(test_vec_add),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_render),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

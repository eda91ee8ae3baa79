/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/out/metrics-text.c: counting, and the Prometheus text format
 * (HELP and TYPE lines, label escaping). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "out/metrics-text.h"

static const struct shm_segment segs[] = {
	{ .id = 0, .uid = 1000, .size = 4096,    .nattch = 0 },                 /* orphan */
	{ .id = 1, .uid = 0,    .size = 8192,    .nattch = 1 },
	{ .id = 2, .uid = 1000, .size = 1048576, .nattch = 0, .mode = SEG_MODE_LOCKED },
	{ .id = 3, .uid = 0,    .size = 100,     .nattch = 2, .mode = SEG_MODE_DEST },
};

/* The whole text of metrics_write(). */
static char *render(const struct metrics *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	assert_int_equal(metrics_write(f, m, 1), 0);
	assert_int_equal(fclose(f), 0);
	return text;
}

static void test_collect(void **state)
{
	struct metrics m = { 0 };

	(void)state;
	assert_int_equal(metrics_collect(&m, segs, 4), 0);
	assert_int_equal(m.segs.count, 4);
	assert_int_equal(m.segs.bytes, 4096 + 8192 + 1048576 + 100);
	assert_int_equal(m.segs.orphans, 2);
	assert_int_equal(m.segs.orphan_bytes, 4096 + 1048576);
	assert_int_equal(m.removed, 1);
	assert_int_equal(m.segs.largest, 1048576);
	assert_int_equal(m.segs.nowners, 2);
	/* by uid */
	assert_int_equal(m.segs.owners[0].uid, 0);
	assert_int_equal(m.segs.owners[0].segments, 2);
	assert_int_equal(m.segs.owners[0].bytes, 8292);
	assert_int_equal(m.segs.owners[0].orphans, 0);
	assert_int_equal(m.segs.owners[1].uid, 1000);
	assert_int_equal(m.segs.owners[1].segments, 2);
	assert_int_equal(m.segs.owners[1].orphans, 2);
	assert_int_equal(m.segs.owners[1].orphan_bytes, 4096 + 1048576);
	metrics_free(&m);
	assert_null(m.segs.owners);

	assert_int_equal(metrics_collect(&m, segs, 0), 0);
	assert_int_equal(m.segs.count, 0);
	assert_int_equal(m.segs.nowners, 0);
	metrics_free(&m);
}

static void test_write(void **state)
{
	struct metrics m = { 0 };
	char *text;

	(void)state;
	assert_int_equal(metrics_collect(&m, segs, 4), 0);
	m.segs.owners[0].user = "root";
	m.segs.owners[1].user = NULL;           /* no name: the uid */
	m.has_limits = true;
	m.limits = (struct sysv_limits){ .shmmax = 4194304, .shmall = 1000, .shmmni = 8 };
	m.has_pages = true;
	m.pages = 260;
	text = render(&m);
	assert_non_null(strstr(text,
		"# HELP shmtool_segments System V shared memory segments.\n"
		"# TYPE shmtool_segments gauge\n"
		"shmtool_segments 4\n"));
	assert_non_null(strstr(text, "\nshmtool_segment_bytes 1060964\n"));
	assert_non_null(strstr(text, "\nshmtool_orphaned_segments 2\n"));
	assert_non_null(strstr(text, "\nshmtool_orphaned_bytes 1052672\n"));
	assert_non_null(strstr(text, "\nshmtool_removed_segments 1\n"));
	assert_non_null(strstr(text, "\nshmtool_owner_segments{uid=\"0\",user=\"root\"} 2\n"
					"shmtool_owner_segments{uid=\"1000\",user=\"1000\"} 2\n"));
	assert_non_null(strstr(text, "\nshmtool_owner_orphaned_bytes{uid=\"1000\",user=\"1000\"} 1052672\n"));
	assert_non_null(strstr(text, "\nshmtool_limit_shmmax_bytes 4194304\n"));
	assert_non_null(strstr(text, "\nshmtool_limit_shmall_pages 1000\n"));
	assert_non_null(strstr(text, "\nshmtool_limit_shmmni_segments 8\n"));
	assert_non_null(strstr(text, "\nshmtool_segment_pages 260\n"));
	assert_non_null(strstr(text, "\nshmtool_limit_shmmax_used_ratio 0.25\n"));
	assert_non_null(strstr(text, "\nshmtool_limit_shmall_used_ratio 0.26\n"));
	assert_non_null(strstr(text, "\nshmtool_limit_shmmni_used_ratio 0.5\n"));
	/* every sample line follows the HELP and TYPE of its family */
	for (char *line = text, *next; *line; line = next + 1) {
		char name[128];

		next = strchr(line, '\n');
		assert_non_null(next);
		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%127[a-z_]", name), 1);
		{
			char help[160], type[160];

			snprintf(help, sizeof(help), "# HELP %s ", name);
			snprintf(type, sizeof(type), "# TYPE %s gauge\n", name);
			assert_non_null(strstr(text, help));
			assert_non_null(strstr(text, type));
			assert_true(strstr(text, type) < line);
		}
	}
	free(text);
	metrics_free(&m);
}

static void test_write_without_limits(void **state)
{
	struct metrics m = { 0 };
	char *text;

	(void)state;
	text = render(&m);
	assert_non_null(strstr(text, "shmtool_segments 0\n"));
	assert_non_null(strstr(text, "# TYPE shmtool_owner_segments gauge\n"));
	assert_null(strstr(text, "shmtool_owner_segments{"));
	assert_null(strstr(text, "shmtool_limit_"));
	assert_null(strstr(text, "shmtool_segment_pages"));
	free(text);
	/* a zero limit gives a ratio of 0, not a division by zero */
	m.has_limits = true;
	m.segs.count = 3;
	text = render(&m);
	assert_non_null(strstr(text, "\nshmtool_limit_shmmni_used_ratio 0\n"));
	free(text);
}

/* POSIX objects: orphaned means neither mapped nor open; owners sorted
 * by uid; the file system metrics only when known; nothing POSIX in the
 * text unless they were counted. */
static void test_posix(void **state)
{
	static const struct posix_obj objs[] = {
		{ .uid = 1000, .size = 4096,  .use = POSIX_MAPPED },
		{ .uid = 0,    .size = 100,   .use = 0 },
		{ .uid = 1000, .size = 65536, .use = 0 },
		{ .uid = 0,    .size = 8192,  .use = POSIX_OPEN },
		{ .uid = 0,    .size = 10,    .use = POSIX_MAPPED | POSIX_OPEN },
	};
	struct metrics m = { 0 };
	char *text;

	(void)state;
	text = render(&m);
	assert_null(strstr(text, "shmtool_posix"));
	free(text);

	assert_int_equal(metrics_collect_posix(&m, objs, 5), 0);
	assert_true(m.posix.present);
	assert_int_equal(m.posix.objs.count, 5);
	assert_int_equal(m.posix.objs.bytes, 4096 + 100 + 65536 + 8192 + 10);
	assert_int_equal(m.posix.objs.orphans, 2);
	assert_int_equal(m.posix.objs.orphan_bytes, 100 + 65536);
	assert_int_equal(m.posix.objs.largest, 65536);
	assert_int_equal(m.posix.objs.nowners, 2);
	assert_int_equal(m.posix.objs.owners[0].uid, 0);
	assert_int_equal(m.posix.objs.owners[0].segments, 3);
	assert_int_equal(m.posix.objs.owners[0].orphans, 1);
	assert_int_equal(m.posix.objs.owners[1].uid, 1000);
	assert_int_equal(m.posix.objs.owners[1].orphan_bytes, 65536);
	assert_int_equal(m.segs.count, 0);      /* the System V counts untouched */
	assert_int_equal(m.segs.nowners, 0);

	m.posix.objs.owners[0].user = "root";
	metrics_posix_scan(&m, 3, false);
	text = render(&m);
	assert_non_null(strstr(text, "\nshmtool_posix_objects 5\n"));
	assert_non_null(strstr(text, "\nshmtool_posix_orphaned_bytes 65636\n"));
	assert_non_null(strstr(text, "\nshmtool_posix_uninspected_processes 3\n"));
	assert_non_null(strstr(text, "\nshmtool_posix_scan_complete 0\n"));
	assert_non_null(strstr(text, "\nshmtool_posix_owner_objects{uid=\"0\",user=\"root\"} 3\n"
				     "shmtool_posix_owner_objects{uid=\"1000\",user=\"1000\"} 2\n"));
	assert_null(strstr(text, "shmtool_posix_fs_"));
	free(text);

	/* /proc hides processes: not 0 uninspected, whatever was read */
	metrics_posix_scan(&m, 0, true);
	text = render(&m);
	assert_non_null(strstr(text, "\nshmtool_posix_uninspected_processes 1\n"));
	assert_non_null(strstr(text, "\nshmtool_posix_scan_complete 0\n"));
	free(text);
	metrics_posix_scan(&m, 2, true);
	text = render(&m);
	assert_non_null(strstr(text, "\nshmtool_posix_uninspected_processes 3\n"));
	free(text);
	metrics_posix_scan(&m, 0, false);
	text = render(&m);
	assert_non_null(strstr(text, "\nshmtool_posix_uninspected_processes 0\n"));
	assert_non_null(strstr(text, "\nshmtool_posix_scan_complete 1\n"));
	free(text);

	m.posix.has_fs = true;
	m.posix.fs_size = 1 << 20;
	m.posix.fs_used = 1 << 18;
	text = render(&m);
	assert_non_null(strstr(text, "\nshmtool_posix_fs_size_bytes 1048576\n"));
	assert_non_null(strstr(text, "\nshmtool_posix_fs_used_bytes 262144\n"));
	assert_non_null(strstr(text, "\nshmtool_posix_fs_used_ratio 0.25\n"));
	free(text);
	metrics_free(&m);
	assert_null(m.posix.objs.owners);
}

static void test_escape(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "root", "root" },
		{ "", "" },
		{ "a\"b", "a\\\"b" },
		{ "a\\b", "a\\\\b" },
		{ "a\nb", "a\\nb" },
		{ "\\\"\n", "\\\\\\\"\\n" },
		{ "tab\there", "tab\there" },   /* allowed as it is */
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
		/* the format is UTF-8: a byte of no valid sequence is U+FFFD;
		 * the rest is the exact name */
		{ "a\xff" "b", "a\xef\xbf\xbd" "b" },
		{ "\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "e\x1b[1m\xc2\x9b", "e\x1b[1m\xc2\x9b" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&text, &len);

		metrics_put_label_value(f, cases[i].in);
		fclose(f);
		assert_string_equal(text, cases[i].out);
		free(text);
	}
}

static void test_escape_in_owner(void **state)
{
	struct metrics m = { 0 };
	char *text;

	(void)state;
	assert_int_equal(metrics_collect(&m, segs, 1), 0);
	m.segs.owners[0].user = "we\"ird\\name\n";
	text = render(&m);
	assert_non_null(strstr(text, "shmtool_owner_segments{uid=\"1000\",user=\"we\\\"ird\\\\name\\n\"} 1\n"));
	free(text);
	metrics_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collect),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_write_without_limits),
		cmocka_unit_test(test_posix),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_escape_in_owner),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

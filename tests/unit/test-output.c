/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the tables of src/out/output.c: every row printed once
 * and in order, as text and as JSON; a table without rows still shows
 * its header (nothing with -n or -e, an empty array in JSON); the list
 * columns are JSON arrays; --notruncate keeps every cell whole. */
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

#include "capture.h"
#include "core/ipcns.h"
#include "core/names.h"
#include "core/posix-shm.h"
#include "out/output.h"

#define NROWS 5000
#define OUT_MAX (4 << 20)

static char *out;

static int setup(void **state)
{
	(void)state;
	out = malloc(OUT_MAX);
	return out ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	free(out);
	return 0;
}

/* The columns `cols` of n segments with ids 0..n-1, printed with `oo` to
 * a captured stdout; returns the status of output_segments. */
static int print_segs(struct output_opts oo, const struct column_list *cols, int n)
{
	struct shm_segment *segs = calloc((size_t)(n ? n : 1), sizeof(*segs));
	struct name_cache *names = names_new();
	struct render_opts ro;
	struct capture cap;
	int rc;

	assert_non_null(segs);
	assert_non_null(names);
	for (int i = 0; i < n; i++) {
		segs[i].id = i;
		segs[i].size = 4096;
	}
	output_render_opts(&oo, names, &ro);
	capture_start(&cap, STDOUT_FILENO);
	rc = output_segments(&oo, cols, segs, (size_t)n, &ro);
	capture_end(&cap, out, OUT_MAX);
	names_free(names);
	free(segs);
	return rc;
}

static const struct column_list id_col = { .ids = { COL_ID }, .n = 1 };

/* The ids 0, 1, 2... in order after the text `first` (the header, or
 * the start of the JSON array), each after `before_each` (a newline, or
 * the JSON member name): how many. */
static int count_ids(const char *first, const char *before_each)
{
	const char *p = strstr(out, first);
	int want = 0;

	assert_non_null(p);
	p += strlen(first);
	while ((p = strstr(p, before_each)) != NULL) {
		char *end;
		long id;

		p += strlen(before_each);
		if (!*p)
			break;  /* the end of the last line */
		id = strtol(p, &end, 10);
		if (end == p || id != want)
			fail_msg("row %d holds id '%.12s'", want, p);
		want++;
		p = end;
	}
	return want;
}

static void test_every_row_text(void **state)
{
	(void)state;
	assert_int_equal(print_segs((struct output_opts){ 0 }, &id_col, NROWS), 0);
	assert_int_equal(count_ids("ID", "\n"), NROWS);
}

static void test_every_row_json(void **state)
{
	size_t len;

	(void)state;
	assert_int_equal(print_segs((struct output_opts){ .json = true }, &id_col, NROWS), 0);
	assert_int_equal(count_ids("\"shm\": [", "\"id\": "), NROWS);
	/* the document closed, once, at the end */
	len = strlen(out);
	assert_true(len > 7);
	assert_string_equal(out + len - 7, "\n   ]\n}\n" + 1);
}

/* No rows: the header alone, so that a first run shows what it would
 * list; nothing with -n or -e; JSON an empty array. */
static void test_empty_table(void **state)
{
	static const struct column_list cols = { .ids = { COL_KEY, COL_ID, COL_SIZE }, .n = 3 };

	(void)state;
	assert_int_equal(print_segs((struct output_opts){ 0 }, &cols, 0), 0);
	assert_string_equal(out, "KEY ID SIZE\n");
	assert_int_equal(print_segs((struct output_opts){ .raw = true }, &cols, 0), 0);
	assert_string_equal(out, "KEY ID SIZE\n");
	assert_int_equal(print_segs((struct output_opts){ .noheadings = true }, &cols, 0), 0);
	assert_string_equal(out, "");
	assert_int_equal(print_segs((struct output_opts){ .export = true }, &cols, 0), 0);
	assert_string_equal(out, "");
	assert_int_equal(print_segs((struct output_opts){ .json = true }, &cols, 0), 0);
	assert_non_null(strstr(out, "\"shm\": ["));
	assert_null(strstr(out, "\"id\""));
}

/* PIDS and ATTACHED: "1,2" in text, arrays in JSON, "..." only in text
 * (PARTIAL says it in JSON). */
static void test_list_columns(void **state)
{
	static const struct column_list cols = { .ids = { COL_ID, COL_PIDS }, .n = 2 };
	struct attach_proc procs[2] = { { .pid = 12 }, { .pid = 34 } };
	struct attach_seg as = { .shmid = 0, .mappings = 2, .procs = procs, .nprocs = 2 };
	struct attach_table t = { .segs = &as, .nsegs = 1 };
	struct shm_segment seg = { .id = 0, .nattch = 3 };      /* one not found */
	struct name_cache *names = names_new();
	struct output_opts oo = { .raw = true };
	struct render_opts ro;
	struct capture cap;

	(void)state;
	assert_non_null(names);
	output_render_opts(&oo, names, &ro);
	ro.attach = &t;
	capture_start(&cap, STDOUT_FILENO);
	assert_int_equal(output_segments(&oo, &cols, &seg, 1, &ro), 0);
	capture_end(&cap, out, OUT_MAX);
	assert_string_equal(out, "ID PIDS\n0 12,34,...\n");

	oo = (struct output_opts){ .json = true };
	output_render_opts(&oo, names, &ro);
	ro.attach = &t;
	capture_start(&cap, STDOUT_FILENO);
	assert_int_equal(output_segments(&oo, &cols, &seg, 1, &ro), 0);
	capture_end(&cap, out, OUT_MAX);
	assert_non_null(strstr(out, "\"pids\": [\n"));
	assert_non_null(strstr(out, "12, 34\n"));
	assert_null(strstr(out, "..."));
	names_free(names);
}

/* The small tables print through the same path. */
static void test_small_tables(void **state)
{
	static const struct column_list ns_cols = { .ids = { COL_NS_NS, COL_NS_SEGMENTS }, .n = 2 };
	static const struct column_list px_cols = { .ids = { COL_PX_NAME, COL_PX_SIZE }, .n = 2 };
	struct output_opts oo = { .json = true };
	struct ipcns_info ns[2] = {
		{ .inode = 4026531839, .counted = true, .segments = 3 }, { .inode = 7 },
	};
	struct posix_obj px[2] = { { .name = (char *)"a", .size = 1 }, { .name = (char *)"b" } };
	struct name_cache *names = names_new();
	struct render_opts ro;
	struct capture cap;

	(void)state;
	assert_non_null(names);
	output_render_opts(&oo, names, &ro);
	capture_start(&cap, STDOUT_FILENO);
	assert_int_equal(output_namespaces(&oo, &ns_cols, ns, 2, &ro), 0);
	assert_int_equal(output_posix(&oo, &px_cols, px, 2, &ro), 0);
	capture_end(&cap, out, OUT_MAX);
	assert_non_null(strstr(out, "\"namespaces\": ["));
	assert_non_null(strstr(out, "\"segments\": 3"));
	/* a namespace not entered: its counts unknown */
	assert_non_null(strstr(out, "\"segments\": null"));
	assert_non_null(strstr(out, "]\n}\n{\n   \"posix\": ["));
	assert_non_null(strstr(out, "\"name\": \"b\""));
	names_free(names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_row_text),
		cmocka_unit_test(test_every_row_json),
		cmocka_unit_test(test_empty_table),
		cmocka_unit_test(test_list_columns),
		cmocka_unit_test(test_small_tables),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

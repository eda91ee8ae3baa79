/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the printing of tables in src/output.c: a table of many
 * rows is printed by two threads, each half on its own; when the second
 * thread or its memory stream cannot be had, one thread must print every
 * row, not the first half alone. When memory runs out while a table is
 * printed, no JSON document may read as complete: a large table's is
 * left open, a small one's not printed at all. Linked with
 * -Wl,--wrap=pthread_create -Wl,--wrap=fopencookie to make them fail
 * (the memory streams, through their write function). */
#include <errno.h>
#include <pthread.h>
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
#include "membuf.h"
#include "names.h"
#include "output.h"

/* pthread_create and fopencookie fail for the next *_fails calls */
static int create_fails, cookie_fails;

int __real_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	if (create_fails) {
		create_fails--;
		return EAGAIN;
	}
	return __real_pthread_create(t, a, fn, arg);
}

/* The limit_stream-th memory stream opened from now (1 for the first;
 * 0: none) takes limit_bytes and then runs out of memory, as a membuf
 * whose realloc fails. */
static int limit_stream;
static size_t limit_bytes, limit_written;
static cookie_write_function_t *limit_real_write;

static ssize_t limited_write(void *cookie, const char *buf, size_t size)
{
	if (size > limit_bytes - limit_written) {
		((struct membuf *)cookie)->failed = true;
		return 0;
	}
	limit_written += size;
	return limit_real_write(cookie, buf, size);
}

static void limit_memory(int stream, size_t bytes)
{
	limit_stream = stream;
	limit_bytes = bytes;
	limit_written = 0;
}

FILE *__real_fopencookie(void *cookie, const char *mode, cookie_io_functions_t io);
FILE *__wrap_fopencookie(void *cookie, const char *mode, cookie_io_functions_t io);
FILE *__wrap_fopencookie(void *cookie, const char *mode, cookie_io_functions_t io)
{
	if (cookie_fails) {
		cookie_fails--;
		errno = ENOMEM;
		return NULL;
	}
	if (limit_stream && --limit_stream == 0) {
		limit_real_write = io.write;
		io.write = limited_write;
	}
	return __real_fopencookie(cookie, mode, io);
}

#define NROWS 5000      /* above the count printed by two threads */
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

/* The ID column of n segments with ids 0..n-1, printed to a captured
 * stdout; returns the status of output_segments. */
static int print_n_ids(bool json, int n)
{
	static const struct column_list cols = { .ids = { COL_ID }, .n = 1 };
	struct output_opts oo = { .json = json };
	struct shm_segment *segs = calloc((size_t)n, sizeof(*segs));
	struct name_cache *names = names_new();
	struct render_opts ro;
	struct capture cap;
	int rc;

	assert_non_null(segs);
	assert_non_null(names);
	for (int i = 0; i < n; i++)
		segs[i].id = i;
	output_render_opts(&oo, names, &ro);
	capture_start(&cap, STDOUT_FILENO);
	rc = output_segments(&oo, &cols, segs, (size_t)n, &ro, NULL);
	capture_end(&cap, out, OUT_MAX);
	names_free(names);
	free(segs);
	return rc;
}

static int print_ids(bool json)
{
	return print_n_ids(json, NROWS);
}

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

/* Every id once, in order. */
static void assert_every_id(const char *first, const char *before_each)
{
	assert_int_equal(count_ids(first, before_each), NROWS);
}

/* A JSON document that does not parse as complete: its array is never
 * closed (no "]" is printed for a table of ids). */
static void assert_left_open(void)
{
	assert_non_null(strstr(out, "{\n   \"shm\": ["));
	if (strchr(out, ']'))
		fail_msg("the document is closed: ...%s", out + (strlen(out) > 40 ? strlen(out) - 40 : 0));
}

static void skip_without_two_cpus(void)
{
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip();         /* one thread prints every table there */
}

/* The usual case: two threads, the halves joined in order. */
static void test_two_threads(void **state)
{
	(void)state;
	skip_without_two_cpus();
	assert_int_equal(print_ids(false), 0);
	assert_every_id("ID", "\n");
}

/* No second thread (a process limit): the first prints every row. */
static void test_no_thread_text(void **state)
{
	(void)state;
	skip_without_two_cpus();
	create_fails = 1;
	assert_int_equal(print_ids(false), 0);
	create_fails = 0;
	assert_every_id("ID", "\n");
}

static void test_no_thread_json(void **state)
{
	(void)state;
	skip_without_two_cpus();
	create_fails = 1;
	assert_int_equal(print_ids(true), 0);
	create_fails = 0;
	assert_every_id("\"shm\": [", "\"id\": ");
	assert_non_null(strstr(out, "]\n}\n"));
}

/* No memory stream for the second half: the same. */
static void test_no_memory_stream(void **state)
{
	(void)state;
	skip_without_two_cpus();
	cookie_fails = 1;
	assert_int_equal(print_ids(false), 0);
	cookie_fails = 0;
	assert_every_id("ID", "\n");
}

/* The second half runs out of memory while the first is printed: the
 * first half is out, and the document stays open (it was closed, and
 * read as complete with half of the rows). */
static void test_second_half_no_memory_json(void **state)
{
	(void)state;
	skip_without_two_cpus();
	limit_memory(1, 20000);         /* the second half's stream, part way */
	assert_int_equal(print_ids(true), -ENOMEM);
	limit_memory(0, 0);
	assert_int_equal(count_ids("\"shm\": [", "\"id\": "), NROWS / 2);
	assert_left_open();
}

static void test_second_half_no_memory_text(void **state)
{
	(void)state;
	skip_without_two_cpus();
	limit_memory(1, 5000);          /* rows of 5 or 6 bytes */
	assert_int_equal(print_ids(false), -ENOMEM);
	limit_memory(0, 0);
	assert_int_equal(count_ids("ID", "\n"), NROWS / 2);
}

/* One thread: a chunk of rows runs out of memory after the first. */
static void test_chunk_no_memory_json(void **state)
{
	(void)state;
	limit_memory(1, 45000);         /* one chunk of 1024 rows fits, not two */
	assert_int_equal(print_n_ids(true, 3000), -ENOMEM);
	limit_memory(0, 0);
	assert_int_equal(count_ids("\"shm\": [", "\"id\": "), 1024);
	assert_left_open();
}

/* Before any row: the document is opened, never closed. */
static void test_first_chunk_no_memory_json(void **state)
{
	(void)state;
	limit_memory(1, 0);
	assert_int_equal(print_n_ids(true, 10), -ENOMEM);
	limit_memory(0, 0);
	assert_int_equal(count_ids("\"shm\": [", "\"id\": "), 0);
	assert_left_open();
}

/* The small tables (namespaces, POSIX objects, gc --posix, the list of
 * columns) print JSON whole or not at all. */
static void test_small_tables_no_memory_json(void **state)
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
	struct capture cap, cerr;
	char errtext[256];
	int rc[4];

	(void)state;
	assert_non_null(names);
	output_render_opts(&oo, names, &ro);
	capture_start(&cap, STDOUT_FILENO);
	limit_memory(1, 10);
	rc[0] = output_namespaces(&oo, &ns_cols, ns, 2, &ro);
	limit_memory(1, 10);
	rc[1] = output_posix(&oo, &px_cols, px, 2, &ro, NULL);
	limit_memory(1, 10);
	rc[2] = output_posix(&oo, &px_cols, px, 2, &ro, "\"summary\": {}");
	limit_memory(1, 10);
	capture_start(&cerr, STDERR_FILENO);    /* its message */
	rc[3] = output_list_columns(&oo, SCOPE_NS);
	capture_end(&cerr, errtext, sizeof(errtext));
	limit_memory(0, 0);
	assert_non_null(strstr(errtext, "cannot list the columns: Cannot allocate memory"));
	capture_end(&cap, out, OUT_MAX);
	for (int i = 0; i < 4; i++)
		if (rc[i] != -ENOMEM)
			fail_msg("table %d: returned %d", i, rc[i]);
	assert_string_equal(out, "");

	/* and with memory, the same calls print them */
	capture_start(&cap, STDOUT_FILENO);
	assert_int_equal(output_namespaces(&oo, &ns_cols, ns, 2, &ro), 0);
	assert_int_equal(output_posix(&oo, &px_cols, px, 2, &ro, "\"summary\": {}"), 0);
	capture_end(&cap, out, OUT_MAX);
	assert_non_null(strstr(out, "\"namespaces\": ["));
	assert_non_null(strstr(out, "\"segments\": 3"));
	assert_non_null(strstr(out, "]\n}\n{\n   \"posix\": ["));
	assert_non_null(strstr(out, "\"name\": \"b\""));
	assert_non_null(strstr(out, "   ],\n   \"summary\": {}\n}\n"));
	names_free(names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_threads),
		cmocka_unit_test(test_no_thread_text),
		cmocka_unit_test(test_no_thread_json),
		cmocka_unit_test(test_no_memory_stream),
		cmocka_unit_test(test_second_half_no_memory_json),
		cmocka_unit_test(test_second_half_no_memory_text),
		cmocka_unit_test(test_chunk_no_memory_json),
		cmocka_unit_test(test_first_chunk_no_memory_json),
		cmocka_unit_test(test_small_tables_no_memory_json),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* Unit tests for the printing of large tables in src/output.c: a table
 * of many rows is printed by two threads, each half on its own; when the
 * second thread or its memory stream cannot be had, one thread must
 * print every row, not the first half alone. Linked with
 * -Wl,--wrap=pthread_create -Wl,--wrap=fopencookie to make them fail. */
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

FILE *__real_fopencookie(void *cookie, const char *mode, cookie_io_functions_t io);
FILE *__wrap_fopencookie(void *cookie, const char *mode, cookie_io_functions_t io);
FILE *__wrap_fopencookie(void *cookie, const char *mode, cookie_io_functions_t io)
{
	if (cookie_fails) {
		cookie_fails--;
		errno = ENOMEM;
		return NULL;
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

/* The ID column of NROWS segments with ids 0..NROWS-1, printed to a
 * captured stdout; returns the status of output_segments. */
static int print_ids(bool json)
{
	static const struct column_list cols = { .ids = { COL_ID }, .n = 1 };
	struct output_opts oo = { .json = json };
	struct shm_segment *segs = calloc(NROWS, sizeof(*segs));
	struct name_cache *names = names_new();
	struct render_opts ro;
	struct capture cap;
	int rc;

	assert_non_null(segs);
	assert_non_null(names);
	for (int i = 0; i < NROWS; i++)
		segs[i].id = i;
	output_render_opts(&oo, names, &ro);
	capture_start(&cap, STDOUT_FILENO);
	rc = output_segments(&oo, &cols, segs, NROWS, &ro, NULL);
	capture_end(&cap, out, OUT_MAX);
	names_free(names);
	free(segs);
	return rc;
}

/* Every id once, in order, after the text `first` (the header, or the
 * start of the JSON array), each after `before_each` (a newline, or
 * the JSON member name). */
static void assert_every_id(const char *first, const char *before_each)
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
	assert_int_equal(want, NROWS);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_threads),
		cmocka_unit_test(test_no_thread_text),
		cmocka_unit_test(test_no_thread_json),
		cmocka_unit_test(test_no_memory_stream),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

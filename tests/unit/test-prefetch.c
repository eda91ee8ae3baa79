/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/prefetch.c: a stream read ahead by a thread must
 * give every byte of its file in order, end cleanly, pass a read error
 * on, stop its thread when closed early, and leave the descriptor
 * unread when no thread can start. */
#include <errno.h>
#include <fcntl.h>
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

#include "prefetch.h"

/* pthread_create, failing on request */
static int create_fails;
int __real_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
	if (create_fails)
		return create_fails;
	return __real_pthread_create(t, a, fn, arg);
}

static char pattern(size_t i)
{
	return (char)('a' + (i * 7 + i / 4096) % 26);
}

/* A temporary file holding n bytes of the pattern, open at offset 0. */
static int pattern_file(size_t n)
{
	FILE *tmp = tmpfile();
	int fd;

	assert_non_null(tmp);
	for (size_t i = 0; i < n; i++)
		fputc(pattern(i), tmp);
	assert_int_equal(fflush(tmp), 0);
	fd = dup(fileno(tmp));
	assert_true(fd >= 0);
	fclose(tmp);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/* Many times the thread's block size and the queue's depth, read in
 * lines and in odd-sized pieces: the same bytes in the same order. */
static void test_every_byte_in_order(void **state)
{
	const size_t n = 3 * 1024 * 1024 + 12345;
	FILE *f = prefetch_fdopen(pattern_file(n));
	char piece[1000];
	size_t got = 0, k;

	(void)state;
	assert_non_null(f);
	while ((k = fread(piece, 1, sizeof(piece), f)) > 0) {
		for (size_t i = 0; i < k; i++)
			if (piece[i] != pattern(got + i))
				fail_msg("byte %zu is '%c'", got + i, piece[i]);
		got += k;
	}
	assert_int_equal(got, n);
	assert_true(feof(f));
	assert_false(ferror(f));
	assert_int_equal(fclose(f), 0);
}

/* The lines of a file as the parser reads them, with getline. */
static void test_lines(void **state)
{
	FILE *tmp = tmpfile();
	FILE *f;
	char *line = NULL;
	size_t len = 0, nlines = 0;
	int fd;

	(void)state;
	assert_non_null(tmp);
	for (int i = 0; i < 50000; i++)
		fprintf(tmp, "%10d %s\n", i, i % 3 ? "x" : "a longer line of text");
	fflush(tmp);
	fd = dup(fileno(tmp));
	fclose(tmp);
	lseek(fd, 0, SEEK_SET);
	f = prefetch_fdopen(fd);
	assert_non_null(f);
	while (getline(&line, &len, f) != -1) {
		char want[64];

		snprintf(want, sizeof(want), "%10zu %s\n", nlines,
			 nlines % 3 ? "x" : "a longer line of text");
		assert_string_equal(line, want);
		nlines++;
	}
	assert_int_equal(nlines, 50000);
	free(line);
	assert_int_equal(fclose(f), 0);
}

static void test_empty_file(void **state)
{
	FILE *f = prefetch_fdopen(pattern_file(0));

	(void)state;
	assert_non_null(f);
	assert_int_equal(fgetc(f), EOF);
	assert_true(feof(f));
	assert_false(ferror(f));
	assert_int_equal(fclose(f), 0);
}

/* read(2) fails (a directory): the stream reports the error and errno. */
static void test_read_error(void **state)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = prefetch_fdopen(fd);
	assert_non_null(f);
	errno = 0;
	assert_int_equal(fgetc(f), EOF);
	assert_true(ferror(f));
	assert_int_equal(errno, EISDIR);
	assert_int_equal(fclose(f), 0);
}

/* Closed after one byte of a file eight times the queue: the thread,
 * reading or waiting for room, stops, and fclose returns. */
static void test_close_early(void **state)
{
	FILE *f = prefetch_fdopen(pattern_file(4 * 1024 * 1024));

	(void)state;
	assert_non_null(f);
	assert_int_equal(fgetc(f), pattern(0));
	assert_int_equal(fclose(f), 0);
}

/* No thread: NULL with its errno, and fd still open and unread. */
static void test_no_thread(void **state)
{
	int fd = pattern_file(10000);
	FILE *f;

	(void)state;
	create_fails = EAGAIN;
	errno = 0;
	f = prefetch_fdopen(fd);
	create_fails = 0;
	assert_null(f);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(lseek(fd, 0, SEEK_CUR), 0);
	assert_int_equal(close(fd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_byte_in_order),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_read_error),
		cmocka_unit_test(test_close_early),
		cmocka_unit_test(test_no_thread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/membuf.c: a memory stream that must keep every byte,
 * in order, across stdio's buffer flushes, resets and reuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "membuf.h"

/* Many small writes, as libsmartcols makes them, past several stdio
 * buffers and several growths of the memory. */
static void test_small_writes_kept_in_order(void **state)
{
	struct membuf mb = { 0 };
	FILE *f = membuf_open(&mb);
	const size_t n = 300000;

	(void)state;
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(fputc('a' + (int)(i % 26), f), 'a' + (int)(i % 26));
	assert_int_equal(fclose(f), 0);
	assert_false(mb.failed);
	assert_int_equal(mb.len, n);
	for (size_t i = 0; i < n; i++)
		if (mb.data[i] != 'a' + (char)(i % 26))
			fail_msg("byte %zu is '%c'", i, mb.data[i]);
	membuf_free(&mb);
	assert_null(mb.data);
	assert_int_equal(mb.len, 0);
}

/* fflush makes what was written readable; reset starts over in the same
 * memory, and a large write after it lands whole. */
static void test_flush_reset_reuse(void **state)
{
	struct membuf mb = { 0 };
	FILE *f = membuf_open(&mb);
	static char big[200000];

	(void)state;
	assert_non_null(f);
	fputs("{\"shm\": [", f);
	assert_int_equal(mb.len, 0);    /* still in stdio's buffer */
	assert_int_equal(fflush(f), 0);
	assert_int_equal(mb.len, 9);
	assert_memory_equal(mb.data, "{\"shm\": [", 9);

	membuf_reset(&mb);
	assert_int_equal(mb.len, 0);
	memset(big, 'x', sizeof(big));
	big[0] = '<';
	big[sizeof(big) - 1] = '>';
	assert_int_equal(fwrite(big, 1, sizeof(big), f), sizeof(big));
	fputs("end", f);
	assert_int_equal(fflush(f), 0);
	assert_int_equal(mb.len, sizeof(big) + 3);
	assert_memory_equal(mb.data, big, sizeof(big));
	assert_memory_equal(mb.data + sizeof(big), "end", 3);
	assert_true(mb.cap >= mb.len);
	assert_int_equal(fclose(f), 0);
	membuf_free(&mb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_writes_kept_in_order),
		cmocka_unit_test(test_flush_reset_reuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for src/lib/array.c: the growable array. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "lib/array.h"

struct pair {
	int a;
	long b;
};

/* Pushes keep every element, in order; the capacity doubles. */
static void test_push(void **state)
{
	struct pair *v = NULL;
	size_t n = 0, cap = 0;

	(void)state;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(ARRAY_PUSH(v, n, cap, (struct pair){ .a = i, .b = -i }), 0);
	assert_int_equal(n, 1000);
	assert_int_equal(cap, 1024);            /* 8, 16, ... 1024 */
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(v[i].a, i);
		assert_int_equal(v[i].b, -i);
	}
	ARRAY_FREE(v, n, cap);
	assert_null(v);
	assert_int_equal(n, 0);
	assert_int_equal(cap, 0);
	/* empty again, and ready for reuse */
	assert_int_equal(ARRAY_PUSH(v, n, cap, (struct pair){ .a = 7 }), 0);
	assert_int_equal(n, 1);
	assert_int_equal(cap, 8);
	assert_int_equal(v[0].a, 7);
	ARRAY_FREE(v, n, cap);
}

/* A reservation: the room asked for at once, at least twice the old
 * capacity, nothing when it is there. */
static void test_reserve(void **state)
{
	char *p = NULL, *before;
	size_t cap = 0;

	(void)state;
	assert_int_equal(ARRAY_RESERVE(p, cap, 0), 0);
	assert_null(p);                         /* no room asked, none made */
	assert_int_equal(ARRAY_RESERVE(p, cap, 3), 0);
	assert_int_equal(cap, 8);               /* the least */
	assert_int_equal(ARRAY_RESERVE(p, cap, 100), 0);
	assert_int_equal(cap, 100);             /* what was asked, more than twice 8 */
	assert_int_equal(ARRAY_RESERVE(p, cap, 101), 0);
	assert_int_equal(cap, 200);             /* twice, more than asked */
	before = p;
	assert_int_equal(ARRAY_RESERVE(p, cap, 200), 0);
	assert_ptr_equal(p, before);
	assert_int_equal(cap, 200);
	p[199] = 'x';
	free(p);
}

/* Sizes past PTRDIFF_MAX bytes, or whose product would wrap round, are
 * refused before any allocation, and the array is left as it was, its
 * elements still there and its memory still to free. */
static void test_overflow(void **state)
{
	uint64_t *v = NULL, *before;
	size_t n = 0, cap = 0, huge_cap;
	char *bytes = NULL;
	size_t nbytes = 0;

	(void)state;
	for (uint64_t i = 0; i < 5; i++)
		assert_int_equal(ARRAY_PUSH(v, n, cap, i * 3), 0);
	before = v;
	/* elements * size past SIZE_MAX: would wrap round to a small size */
	errno = 0;
	assert_int_equal(ARRAY_RESERVE(v, cap, SIZE_MAX / sizeof(*v) + 1), -ENOMEM);
	assert_int_equal(errno, ENOMEM);
	assert_int_equal(ARRAY_RESERVE(v, cap, SIZE_MAX / sizeof(*v) / 2 + 1), -ENOMEM);
	assert_int_equal(ARRAY_RESERVE(v, cap, SIZE_MAX), -ENOMEM);
	assert_int_equal(ARRAY_RESERVE(v, cap, PTRDIFF_MAX / sizeof(*v) + 1), -ENOMEM);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 8);
	assert_int_equal(n, 5);
	for (uint64_t i = 0; i < 5; i++)
		assert_true(v[i] == i * 3);
	/* a capacity that cannot double */
	huge_cap = SIZE_MAX / 2 + 1;
	errno = 0;
	assert_int_equal(array_grow(&v, &huge_cap, huge_cap + 1, sizeof(*v)), -ENOMEM);
	assert_int_equal(errno, ENOMEM);
	assert_true(huge_cap == SIZE_MAX / 2 + 1);
	assert_ptr_equal(v, before);
	ARRAY_FREE(v, n, cap);
	/* one byte each: PTRDIFF_MAX is the most */
	assert_int_equal(ARRAY_RESERVE(bytes, nbytes, (size_t)PTRDIFF_MAX + 1), -ENOMEM);
	assert_null(bytes);
	assert_int_equal(nbytes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_push),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

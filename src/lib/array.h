/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The growable array of the whole program: a typed pointer, a count and
 * a capacity (in elements) that the caller keeps where it likes, and one
 * function that makes room, with the sizes checked against overflow.
 *
 *	struct foo *v = NULL;
 *	size_t n = 0, cap = 0;
 *
 *	if (ARRAY_PUSH(v, n, cap, (struct foo){ .x = 1 }))
 *		return -ENOMEM;
 *	...
 *	ARRAY_FREE(v, n, cap);
 *
 * The macros name their arguments more than once: give them plain
 * lvalues, no side effects. */
#ifndef SHMTOOL_ARRAY_H
#define SHMTOOL_ARRAY_H

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

/* Room for at least `need` elements of `size` bytes (not 0) in the array
 * whose pointer is at pv (a `T **`, T of that size) and whose capacity
 * is *cap: nothing when it has it, else moved to a larger block, twice
 * the capacity or `need` if more (8 elements at least). Returns 0, or
 * -ENOMEM and errno ENOMEM (no memory, or more than PTRDIFF_MAX bytes:
 * the product is checked, never wraps) with the array and *cap as they
 * were. */
int array_grow(void *pv, size_t *cap, size_t need, size_t size);

/* The same for the typed pointer v (an lvalue) and its capacity cap. */
#define ARRAY_RESERVE(v, cap, need) array_grow(&(v), &(cap), (need), sizeof(*(v)))

/* Append the element (an expression of v's element type) after the n in
 * use: 0, or -ENOMEM with nothing changed. */
#define ARRAY_PUSH(v, n, cap, ...) \
	(ARRAY_RESERVE(v, cap, (n) + 1) ? -ENOMEM : ((v)[(n)++] = (__VA_ARGS__), 0))

/* Free the array: empty again, ready for reuse. */
#define ARRAY_FREE(v, n, cap) ((void)(free(v), (v) = NULL, (n) = 0, (cap) = 0))

#endif

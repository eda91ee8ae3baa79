/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <string.h>

#include "lib/array.h"

#define ARRAY_FIRST 8   /* elements in a new array */

int array_grow(void *pv, size_t *cap, size_t need, size_t size)
{
	/* no object may be larger than PTRDIFF_MAX bytes */
	size_t max = PTRDIFF_MAX / size, ncap;
	void *v, *p;

	if (need <= *cap)
		return 0;
	if (need > max) {
		errno = ENOMEM;         /* as realloc(3) says it */
		return -ENOMEM;
	}
	ncap = *cap > max / 2 ? max : *cap * 2;
	if (ncap < need)
		ncap = need;
	if (ncap < ARRAY_FIRST)
		ncap = ARRAY_FIRST < max ? ARRAY_FIRST : max;
	/* the pointer is a T *: read and written as the bytes it is */
	memcpy(&v, pv, sizeof(v));
	p = realloc(v, ncap * size);
	if (!p)
		return -ENOMEM;
	memcpy(pv, &p, sizeof(p));
	*cap = ncap;
	return 0;
}

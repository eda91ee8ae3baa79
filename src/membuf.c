/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdint.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#include "membuf.h"

#define MEMBUF_MIN_CAP (64 * 1024)   /* first allocation */

static ssize_t membuf_write(void *cookie, const char *buf, size_t size)
{
	struct membuf *mb = cookie;

	if (size > mb->cap - mb->len) {
		size_t cap = mb->cap ? mb->cap : MEMBUF_MIN_CAP;
		char *p;

		while (cap - mb->len < size) {
			if (cap > SIZE_MAX / 2)
				goto fail;
			cap *= 2;
		}
		p = realloc(mb->data, cap);
		if (!p)
			goto fail;
		mb->data = p;
		mb->cap = cap;
	}
	memcpy(mb->data + mb->len, buf, size);
	mb->len += size;
	return (ssize_t)size;
fail:
	mb->failed = true;
	return 0;       /* stdio marks the stream in error */
}

FILE *membuf_open(struct membuf *mb)
{
	static const cookie_io_functions_t io = { .write = membuf_write };
	FILE *f = fopencookie(mb, "w", io);

	if (!f)
		return NULL;
	/* fully buffered (stdio's BUFSIZ): the stream is not a terminal */
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	return f;
}

void membuf_reset(struct membuf *mb)
{
	mb->len = 0;
}

void membuf_free(struct membuf *mb)
{
	free(mb->data);
	mb->data = NULL;
	mb->len = mb->cap = 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A stdio stream that writes into memory, like open_memstream(3), but
 * through a cookie stream: stdio fills an ordinary buffer with memcpy and
 * hands it over in blocks, where a memstream copies small writes a byte
 * at a time. libsmartcols writes a table a few bytes per call. */
#ifndef SHMTOOL_MEMBUF_H
#define SHMTOOL_MEMBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct membuf {
	char *data;             /* what was written and flushed, not NUL-terminated */
	size_t len, cap;
	bool failed;            /* out of memory: a write was lost */
};

/* A write-only stream into mb (zeroed by the caller), unlocked: one
 * thread at a time writes it. fflush or fclose before reading mb. */
FILE *membuf_open(struct membuf *mb);

/* Forget the contents (keep the memory). */
void membuf_reset(struct membuf *mb);
void membuf_free(struct membuf *mb);

#endif

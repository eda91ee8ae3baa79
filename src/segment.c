/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "prefetch.h"
#include "proc-shm.h"
#include "sysv.h"

#include "segment.h"

int shm_vec_push(struct shm_vec *vec, const struct shm_segment *seg)
{
	if (vec->n == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 256;
		struct shm_segment *v = reallocarray(vec->v, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		vec->v = v;
		vec->cap = cap;
	}
	vec->v[vec->n++] = *seg;
	return 0;
}

int shm_vec_append(const struct shm_segment *seg, void *vec)
{
	return shm_vec_push(vec, seg);
}

void shm_vec_free(struct shm_vec *vec)
{
	free(vec->v);
	vec->v = NULL;
	vec->n = vec->cap = 0;
}

/* Room for the segments there are now, so that the array is not copied
 * while it grows (a hint: the count may change before the read). */
static void reserve(struct shm_vec *vec)
{
	int maxidx = sysv_max_index();
	size_t n = maxidx < 0 ? 0 : (size_t)maxidx + 1;     /* at most that many */

	if (n > vec->cap && n < (1u << 20)) {
		struct shm_segment *v = reallocarray(vec->v, n + 64, sizeof(*v));

		if (v) {
			vec->v = v;
			vec->cap = n + 64;
		}
	}
}

/* /proc/sysvipc/shm as a stream. The kernel writes the file as it is
 * read, a page per read(2): a thread of its own reads ahead while the
 * lines are parsed. Without one, stdio reads it, with a buffer of a
 * useful size (procfs says 1 KiB). */
static FILE *open_proc_shm(char **iobuf)
{
	enum { IOBUF = 1 << 16 };
	int fd = open(PROC_SYSVIPC_SHM, O_RDONLY | O_CLOEXEC);
	FILE *f;

	*iobuf = NULL;
	if (fd < 0)
		return NULL;
	f = prefetch_fdopen(fd);
	if (f)
		return f;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return NULL;
	}
	*iobuf = malloc(IOBUF);
	if (*iobuf)
		setvbuf(f, *iobuf, _IOFBF, IOBUF);
	return f;
}

int segments_each(shm_visit_fn *fn, void *ctx)
{
	char *iobuf;
	FILE *f = open_proc_shm(&iobuf);
	int rc;

	if (!f)
		return sysv_walk(fn, ctx);
	rc = proc_shm_each(f, fn, ctx);
	fclose(f);
	free(iobuf);
	return rc < 0 ? rc : 0;
}

int segments_load(struct shm_vec *vec)
{
	reserve(vec);
	return segments_each(shm_vec_append, vec);
}
